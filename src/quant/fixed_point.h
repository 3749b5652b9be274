// The single definition of fixed-point requantization, rounding and saturation. The
// converter's quantization simulation, the HTP reference kernels and the HTP fast kernels
// all call these functions, so they agree bit for bit.
//
// Conventions:
// - A real multiplier is stored as an int32 Q31 mantissa and a power-of-two exponent:
//   real ~= multiplier * 2^(shift - 31), |multiplier| in [2^30, 2^31) (or 0), shift <= 31.
// - Rounding is round-half-away-from-zero everywhere (the same rule as
//   quant::quantize_value, std::round and TFLite's fixed-point helpers), so positive and
//   negative values are treated symmetrically and there is no truncation bias.
// - multiply_by_quantized_multiplier rounds once, exactly: the full product acc * multiplier
//   is formed in 64 bits (128 bits when acc does not fit in 32 bits) and shifted with
//   rounding. Unlike TFLite's two-step form (high multiply, then rounding shift) there is no
//   double rounding, and accumulators wider than 32 bits (16-bit activations) need no
//   pre-saturation.
// Header-only: the kernels inline these in their inner loops.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

namespace oqnn::quant {

struct QuantizedMultiplier {
  int32_t multiplier = 0;  // Q31 mantissa, sign of the real multiplier
  int shift = 0;           // power-of-two exponent, <= 31
  bool operator==(const QuantizedMultiplier&) const = default;
};

// real -> (multiplier, shift). Reals whose magnitude is below 2^-94 become 0 (any product
// with an int64 accumulator would round to 0 anyway); magnitudes at or above 2^31 saturate.
// Non-finite reals map to 0; callers validate scales before they get here.
inline QuantizedMultiplier quantize_multiplier(double real) {
  if (real == 0.0 || !std::isfinite(real)) return {};
  int exponent = 0;
  const double mantissa = std::frexp(real, &exponent);  // |mantissa| in [0.5, 1)
  int64_t q = std::llround(mantissa * 2147483648.0);    // half away from zero
  if (q == (int64_t{1} << 31) || q == -(int64_t{1} << 31)) {
    q /= 2;
    ++exponent;
  }
  if (exponent < -94) return {};
  if (exponent > 31)
    return {real > 0 ? std::numeric_limits<int32_t>::max() : -std::numeric_limits<int32_t>::max(),
            31};
  return {static_cast<int32_t>(q), exponent};
}

inline int32_t saturate_int32(int64_t v) {
  return static_cast<int32_t>(std::clamp<int64_t>(v, std::numeric_limits<int32_t>::min(),
                                                  std::numeric_limits<int32_t>::max()));
}

// round(a * b / 2^31), half away from zero; the one overflowing case
// (INT32_MIN * INT32_MIN = 2^62 -> 2^31) saturates to INT32_MAX.
inline int32_t saturating_rounding_doubling_high_mul(int32_t a, int32_t b) {
  if (a == std::numeric_limits<int32_t>::min() && b == a)
    return std::numeric_limits<int32_t>::max();
  const int64_t ab = int64_t{a} * int64_t{b};
  // Truncating division after a nudge of half towards the sign: ties go away from zero
  // (TFLite nudges negatives by 1 - 2^30, which sends their ties towards +inf instead).
  const int64_t nudge = ab >= 0 ? (int64_t{1} << 30) : -(int64_t{1} << 30);
  return static_cast<int32_t>((ab + nudge) / (int64_t{1} << 31));
}

// round(x / 2^exponent), half away from zero, for exponent in [0, 63] (negative exponents
// are treated as 0). Computed on magnitudes in uint64, so no intermediate overflows.
inline int64_t rounding_right_shift(int64_t x, int exponent) {
  if (exponent <= 0) return x;
  exponent = std::min(exponent, 63);
  const uint64_t half = uint64_t{1} << (exponent - 1);
  // |x| <= 2^63 and half <= 2^62, so mag + half fits in uint64.
  const uint64_t mag = x < 0 ? static_cast<uint64_t>(-(x + 1)) + 1 : static_cast<uint64_t>(x);
  const auto r = static_cast<int64_t>((mag + half) >> exponent);
  return x < 0 ? -r : r;
}

namespace detail {
// round(x / 2^exponent) for 128-bit x, half away from zero, exponent in [0, 126].
inline __int128 rounding_right_shift_128(__int128 x, int exponent) {
  if (exponent <= 0) return x;
  const unsigned __int128 half = static_cast<unsigned __int128>(1) << (exponent - 1);
  const bool neg = x < 0;
  const unsigned __int128 mag =
      neg ? static_cast<unsigned __int128>(-(x + 1)) + 1 : static_cast<unsigned __int128>(x);
  const __int128 r = static_cast<__int128>((mag + half) >> exponent);
  return neg ? -r : r;
}
}  // namespace detail

// round(acc * multiplier * 2^(shift - 31)), half away from zero, saturated to int32.
inline int32_t multiply_by_quantized_multiplier(int64_t acc, int32_t multiplier, int shift) {
  const int right = 31 - shift;  // >= 0 for shifts quantize_multiplier produces
  const bool narrow =
      acc >= std::numeric_limits<int32_t>::min() && acc <= std::numeric_limits<int32_t>::max();
  if (narrow && right >= 0) {
    // |acc * multiplier| < 2^62: exact in int64.
    const int64_t p = acc * int64_t{multiplier};
    return saturate_int32(rounding_right_shift(p, std::min(right, 63)));
  }
  // Wide accumulators (16-bit activations) or a left shift: exact in 128 bits.
  __int128 p = static_cast<__int128>(acc) * multiplier;  // |p| < 2^94
  if (right < 0) {
    const int left = std::min(-right, 32);
    p *= static_cast<__int128>(1) << left;  // |p| < 2^126
  } else {
    p = detail::rounding_right_shift_128(p, std::min(right, 126));
  }
  const __int128 lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>(p < lo ? lo : (p > hi ? hi : p));
}

inline int32_t multiply_by_quantized_multiplier(int64_t acc, QuantizedMultiplier m) {
  return multiply_by_quantized_multiplier(acc, m.multiplier, m.shift);
}

// The requantization step of every integer kernel: scale an accumulator (in units of the
// input scale product) to the output scale, add the output zero point, clamp to the output
// code range (which also applies fused Relu/clip bounds when the caller narrows it).
inline int32_t requantize(int64_t acc, int32_t multiplier, int shift, int32_t out_zero_point,
                          int32_t qmin, int32_t qmax) {
  const int64_t v =
      int64_t{multiply_by_quantized_multiplier(acc, multiplier, shift)} + out_zero_point;
  return static_cast<int32_t>(std::clamp<int64_t>(v, qmin, qmax));
}

// requantize() specialised to an int32 accumulator and shift <= 31 (every multiplier
// quantize_multiplier makes): the same result, written without branches so that the fast
// kernels' loops over output channels vectorize. Tests check it against requantize().
[[gnu::always_inline]] inline int32_t requantize_int32(int32_t acc, int32_t multiplier, int shift,
                                                       int32_t out_zero_point, int32_t qmin,
                                                       int32_t qmax) {
  // Written for the vectorizer: plain ternaries (std::clamp does not inline into ISA
  // clones) and shifts of the data by the amount, never of a constant.
  const int right0 = 31 - shift;
  const int64_t right = right0 < 0 ? 0 : (right0 > 63 ? 63 : right0);
  const int64_t p = int64_t{acc} * multiplier;  // |p| < 2^62
  const int64_t mag = p < 0 ? -p : p;
  // round(mag / 2^right), half up, as floor((floor(2 * mag / 2^right) + 1) / 2); applied to
  // the magnitude, so ties go away from zero. 2 * mag < 2^63.
  const int64_t rounded = (((mag << 1) >> right) + 1) >> 1;
  constexpr int64_t kLo = std::numeric_limits<int32_t>::min();
  constexpr int64_t kHi = std::numeric_limits<int32_t>::max();
  int64_t r = p < 0 ? -rounded : rounded;
  r = r < kLo ? kLo : (r > kHi ? kHi : r);
  r += out_zero_point;
  r = r < qmin ? qmin : (r > qmax ? qmax : r);
  return static_cast<int32_t>(r);
}

inline int32_t requantize(int64_t acc, QuantizedMultiplier m, int32_t out_zero_point, int32_t qmin,
                          int32_t qmax) {
  return requantize(acc, m.multiplier, m.shift, out_zero_point, qmin, qmax);
}

}  // namespace oqnn::quant
