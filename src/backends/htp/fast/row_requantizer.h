// Requantization of a run of consecutive output channels in the fast kernels: per-channel
// multipliers laid out as plain arrays, and the branch-free int32 form of requantize for
// narrow accumulators, so that the loop vectorizes (AVX-512 intrinsics where gemm_isa() picks
// AVX512-VNNI). Same results as quant::requantize.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/qgemm.h"
#include "backends/htp/ref/linear_quant.h"

namespace oqnn::htp::fast {

class RowRequantizer {
 public:
  // `extra[c]`, when given, is added to the bias of channel c (the GEMM engine's zero-point
  // compensation).
  explicit RowRequantizer(const LinearQuant& q, const std::vector<int64_t>& extra = {})
      : bias_(q.bias), zero_(q.out.zero_point), lo_(q.lo), hi_(q.hi) {
#if defined(__x86_64__)
    if (gemm_isa() == Isa::kAvx512Vnni) row_fn_ = requantize_row_i32_avx512;
#endif
    for (size_t c = 0; c < q.mult.size(); ++c) {
      if (!extra.empty()) bias_[c] += extra[c];
      mult_.push_back(q.mult[c].multiplier);
      shift_.push_back(q.mult[c].shift);
      bias32_.push_back(quant::saturate_int32(bias_[c]));  // exact where narrow sums are used
    }
  }

  // max |bias[c] (+ extra[c])|: narrow sums need it inside the int32 bound.
  int64_t max_abs_bias() const {
    int64_t m = 0;
    for (int64_t b : bias_) m = std::max<int64_t>(m, b < 0 ? -b : b);
    return m;
  }

  // codes[j] = output code of channel c0 + j for accumulator acc[j] (bias not yet added).
  template <class A>
  void run(const A* __restrict acc, int64_t c0, int64_t n, int32_t* __restrict codes) const {
    if constexpr (std::is_same_v<A, int32_t>) {
      row_fn_(acc, bias32_.data() + c0, mult_.data() + c0, shift_.data() + c0, n, zero_, lo_, hi_,
              codes);
    } else {
      for (int64_t j = 0; j < n; ++j)
        codes[j] = quant::requantize(int64_t{acc[j]} + bias_[c0 + j], mult_[c0 + j], shift_[c0 + j],
                                     zero_, lo_, hi_);
    }
  }

 private:
  std::vector<int32_t> mult_, shift_, bias32_;
  std::vector<int64_t> bias_;
  int32_t zero_, lo_, hi_;
  RequantRowFn row_fn_ = requantize_row_i32;  // the int32 row: the best the ISA choice runs
};

struct OutCodes {
  std::byte* data;
  ir::DataType dtype;
};

// Writes requantized codes (already inside the output range) into a uint8/uint16 tensor.
inline void store_codes(std::byte* out, ir::DataType dt, int64_t base, const int32_t* codes,
                        int64_t n) {
  if (dt == ir::DataType::kUInt8) {
    uint8_t* o = reinterpret_cast<uint8_t*>(out) + base;
    for (int64_t j = 0; j < n; ++j) o[j] = static_cast<uint8_t>(codes[j]);
  } else {
    uint16_t* o = reinterpret_cast<uint16_t*>(out) + base;
    for (int64_t j = 0; j < n; ++j) o[j] = static_cast<uint16_t>(codes[j]);
  }
}

}  // namespace oqnn::htp::fast
