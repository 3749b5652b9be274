// quant/fixed_point.h: multiplier quantization, the rounding primitives and requantize,
// checked against exact long-double arithmetic and at the edges (INT32_MIN, large shifts).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "quant/fixed_point.h"

namespace oqnn::quant {
namespace {

constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

// round-half-away(x * m * 2^(shift-31)) in long double (64-bit mantissa: exact for the
// products of an int32 by a Q31 mantissa, and powers of two scale exactly).
int64_t exact(int64_t x, int32_t m, int shift) {
  const long double v = std::ldexp(static_cast<long double>(x) * m, shift - 31);
  return std::llround(v);
}

TEST(FixedPoint, QuantizeMultiplierRepresentsTheReal) {
  for (double r : {1.0, 0.5, 0.75, 1e-3, 3.3e-7, 123.456, 0.999999999, -0.25, -7.5}) {
    QuantizedMultiplier q = quantize_multiplier(r);
    EXPECT_GE(std::abs(int64_t{q.multiplier}), int64_t{1} << 30) << r;
    EXPECT_LE(q.shift, 31);
    const double back = std::ldexp(static_cast<double>(q.multiplier), q.shift - 31);
    EXPECT_NEAR(back / r, 1.0, 1e-9) << r;
  }
  EXPECT_EQ(quantize_multiplier(0.0), QuantizedMultiplier{});
  EXPECT_EQ(quantize_multiplier(std::nan("")), QuantizedMultiplier{});
  EXPECT_EQ(quantize_multiplier(1e-40), QuantizedMultiplier{});  // below 2^-94
  // A mantissa that rounds up to 2^31 is renormalized.
  QuantizedMultiplier q = quantize_multiplier(std::nextafter(1.0, 0.0));
  EXPECT_EQ(q.multiplier, 1 << 30);
  EXPECT_EQ(q.shift, 1);
  EXPECT_EQ(quantize_multiplier(1e12).multiplier, kMax32);  // saturates
}

TEST(FixedPoint, SaturatingRoundingDoublingHighMul) {
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin32, kMin32), kMax32);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMin32, kMax32), -kMax32);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(kMax32, kMax32), kMax32 - 1);
  // 1.5 and -1.5 round away from zero; 1.25 to nearest.
  EXPECT_EQ(saturating_rounding_doubling_high_mul(3, 1 << 30), 2);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(-3, 1 << 30), -2);
  EXPECT_EQ(saturating_rounding_doubling_high_mul(5, 1 << 29), 1);
  std::mt19937 rng(7);
  std::uniform_int_distribution<int32_t> d(kMin32, kMax32);
  for (int i = 0; i < 10000; ++i) {
    int32_t a = d(rng), b = d(rng);
    if (a == kMin32 && b == kMin32) continue;
    EXPECT_EQ(saturating_rounding_doubling_high_mul(a, b), exact(a, b, 0)) << a << " " << b;
  }
}

TEST(FixedPoint, RoundingRightShiftIsHalfAwayFromZero) {
  EXPECT_EQ(rounding_right_shift(5, 1), 3);    // 2.5
  EXPECT_EQ(rounding_right_shift(-5, 1), -3);  // -2.5
  EXPECT_EQ(rounding_right_shift(7, 2), 2);    // 1.75
  EXPECT_EQ(rounding_right_shift(-7, 2), -2);
  EXPECT_EQ(rounding_right_shift(-6, 2), -2);  // -1.5
  EXPECT_EQ(rounding_right_shift(-5, 2), -1);  // -1.25
  EXPECT_EQ(rounding_right_shift(123, 0), 123);
  const int64_t kMin64 = std::numeric_limits<int64_t>::min();
  const int64_t kMax64 = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(rounding_right_shift(kMin64, 63), -1);
  EXPECT_EQ(rounding_right_shift(kMax64, 63), 1);            // just under 1
  EXPECT_EQ(rounding_right_shift(int64_t{1} << 61, 63), 0);  // 0.25
  EXPECT_EQ(rounding_right_shift(int64_t{1} << 62, 63), 1);  // 0.5
  EXPECT_EQ(rounding_right_shift(-(int64_t{1} << 62), 63), -1);
  EXPECT_EQ(rounding_right_shift(kMin64, 1), kMin64 / 2);
  EXPECT_EQ(rounding_right_shift(kMax64, 1), int64_t{1} << 62);  // rounds up
  std::mt19937_64 rng(11);
  for (int i = 0; i < 10000; ++i) {
    const auto x = static_cast<int64_t>(rng() >> 2) * ((i & 1) ? -1 : 1);
    const int e = static_cast<int>(rng() % 62);
    EXPECT_EQ(rounding_right_shift(x, e),
              std::llround(std::ldexp(static_cast<long double>(x), -e)));
  }
}

TEST(FixedPoint, MultiplyByQuantizedMultiplierIsExactlyRounded) {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> acc(kMin32, kMax32);
  std::uniform_int_distribution<int32_t> mant(1 << 30, kMax32);
  std::uniform_int_distribution<int> sh(-40, 31);
  for (int i = 0; i < 20000; ++i) {
    const int32_t x = acc(rng), m = mant(rng) * ((i & 1) ? -1 : 1);
    const int s = sh(rng);
    const int64_t want = std::clamp<int64_t>(exact(x, m, s), kMin32, kMax32);
    EXPECT_EQ(multiply_by_quantized_multiplier(x, m, s), want) << x << " " << m << " " << s;
  }
}

TEST(FixedPoint, EdgeCases) {
  // INT32_MIN accumulators, the largest multiplier, and shifts at both ends.
  EXPECT_EQ(multiply_by_quantized_multiplier(kMin32, kMax32, 0), -kMax32);
  EXPECT_EQ(multiply_by_quantized_multiplier(kMin32, kMax32, 31), kMin32);  // saturates
  EXPECT_EQ(multiply_by_quantized_multiplier(kMin32, 1 << 30, 1), kMin32);  // x * 1.0
  EXPECT_EQ(multiply_by_quantized_multiplier(kMax32, 1 << 30, 1), kMax32);
  EXPECT_EQ(multiply_by_quantized_multiplier(kMin32, kMax32, -31), -1);  // ~ -1.0
  EXPECT_EQ(multiply_by_quantized_multiplier(kMin32, kMax32, -32), 0);   // ~ -0.5 + tiny
  EXPECT_EQ(multiply_by_quantized_multiplier(kMin32, kMin32 + 1, -60), 0);
  EXPECT_EQ(multiply_by_quantized_multiplier(kMax32, kMax32, -94), 0);
  EXPECT_EQ(multiply_by_quantized_multiplier(1, kMax32, 31), kMax32);
  // Ties: 0.5 -> 1, -0.5 -> -1, 1.5 -> 2.
  EXPECT_EQ(multiply_by_quantized_multiplier(1, 1 << 30, 0), 1);
  EXPECT_EQ(multiply_by_quantized_multiplier(-1, 1 << 30, 0), -1);
  EXPECT_EQ(multiply_by_quantized_multiplier(3, 1 << 30, 0), 2);
  // Shifts above 31 shift left (only an unnormalized mantissa stays in range).
  EXPECT_EQ(multiply_by_quantized_multiplier(3, 1, 33), 12);
  EXPECT_EQ(multiply_by_quantized_multiplier(-3, 1, 33), -12);
  EXPECT_EQ(multiply_by_quantized_multiplier(1 << 29, 1 << 30, 40), kMax32);
}

TEST(FixedPoint, WideAccumulatorsAgreeWithNarrowOnes) {
  // int64 accumulators (16-bit activations) take the 128-bit path; values that fit in
  // int32 must give the same answer either way, and large ones are rounded exactly.
  std::mt19937_64 rng(5);
  for (int i = 0; i < 10000; ++i) {
    const auto m = static_cast<int32_t>((1u << 30) + (rng() % (1u << 30)));
    const int s = -10 - static_cast<int>(rng() % 31);  // results mostly within int32
    const int64_t big = static_cast<int64_t>(rng() % (int64_t{1} << 40)) - (int64_t{1} << 39);
    const long double v = std::ldexp(static_cast<long double>(big) * m, s - 31);
    const int64_t want = std::clamp<int64_t>(std::llroundl(v), kMin32, kMax32);
    if (std::fabs(v - std::floor(v) - 0.5L) < 1e-6L) continue;  // long double is not exact here
    EXPECT_EQ(multiply_by_quantized_multiplier(big, m, s), want) << big << " " << m << " " << s;
  }
}

TEST(FixedPoint, RequantizeAddsZeroPointAndClamps) {
  const QuantizedMultiplier half = quantize_multiplier(0.5);
  EXPECT_EQ(requantize(5, half, 10, 0, 255), 13);  // 2.5 -> 3, + 10
  EXPECT_EQ(requantize(-5, half, 10, 0, 255), 7);  // -2.5 -> -3, + 10
  EXPECT_EQ(requantize(1000, half, 10, 0, 255), 255);
  EXPECT_EQ(requantize(-1000, half, 10, 0, 255), 0);
  EXPECT_EQ(requantize(int64_t{1} << 40, half, 0, 0, 65535), 65535);  // saturates, no wrap
  EXPECT_EQ(requantize(kMin32, half, 0, -128, 127), -128);
  EXPECT_EQ(requantize(7, half, 0, 5, 5), 5);  // a fused clip narrowing the range
}

TEST(FixedPoint, BranchFreeInt32RequantizeEqualsRequantize) {
  std::mt19937 rng(9);
  std::uniform_int_distribution<int32_t> acc(kMin32, kMax32);
  std::uniform_int_distribution<int32_t> small(-70000, 70000);
  std::uniform_int_distribution<int32_t> mant(1 << 30, kMax32);
  std::uniform_int_distribution<int> sh(-100, 31);
  std::uniform_int_distribution<int32_t> zp(-300, 70000);
  for (int i = 0; i < 200000; ++i) {
    const int32_t x = (i & 2) ? acc(rng) : small(rng);
    const int32_t m = mant(rng) * ((i & 1) ? -1 : 1);
    const int s = (i & 4) ? sh(rng) : 31 - (i % 64);
    const int32_t z = zp(rng);
    ASSERT_EQ(requantize_int32(x, m, s, z, 0, 65535), requantize(x, m, s, z, 0, 65535))
        << x << " " << m << " " << s << " " << z;
    ASSERT_EQ(requantize_int32(x, m, s, z, -128, 127), requantize(x, m, s, z, -128, 127));
  }
  for (int32_t x : {kMin32, kMax32, 0, -1, 1})
    for (int s : {31, 30, 0, -31, -32, -33, -60, -94})
      EXPECT_EQ(requantize_int32(x, kMax32, s, 7, 0, 255), requantize(x, kMax32, s, 7, 0, 255));
}

}  // namespace
}  // namespace oqnn::quant
