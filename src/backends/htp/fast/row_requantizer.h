// Requantization of a run of consecutive output channels in the fast kernels: per-channel
// multipliers laid out as plain arrays, and the branch-free int32 form of requantize for
// narrow accumulators, so that the loop vectorizes. Same results as quant::requantize.
#pragma once

#include <cstdint>
#include <type_traits>
#include <vector>

#include "backends/htp/ref/linear_quant.h"

namespace oqnn::htp::fast {

class RowRequantizer {
 public:
  explicit RowRequantizer(const LinearQuant& q)
      : bias_(q.bias), zero_(q.out.zero_point), lo_(q.lo), hi_(q.hi) {
    for (size_t c = 0; c < q.mult.size(); ++c) {
      mult_.push_back(q.mult[c].multiplier);
      shift_.push_back(q.mult[c].shift);
      bias32_.push_back(quant::saturate_int32(q.bias[c]));  // exact where narrow sums are used
    }
  }

  // codes[j] = output code of channel c0 + j for accumulator acc[j] (bias not yet added).
  template <class A>
  void run(const A* __restrict acc, int64_t c0, int64_t n, int32_t* __restrict codes) const {
    if constexpr (std::is_same_v<A, int32_t>) {
      const int32_t* m = mult_.data() + c0;
      const int32_t* s = shift_.data() + c0;
      const int32_t* b = bias32_.data() + c0;
      for (int64_t j = 0; j < n; ++j)
        codes[j] = quant::requantize_int32(acc[j] + b[j], m[j], s[j], zero_, lo_, hi_);
    } else {
      for (int64_t j = 0; j < n; ++j)
        codes[j] = quant::requantize(int64_t{acc[j]} + bias_[c0 + j], mult_[c0 + j],
                                     shift_[c0 + j], zero_, lo_, hi_);
    }
  }

 private:
  std::vector<int32_t> mult_, shift_, bias32_;
  std::vector<int64_t> bias_;
  int32_t zero_, lo_, hi_;
};

inline void store_codes(const CodeWriter& y, int64_t base, const int32_t* codes, int64_t n) {
  for (int64_t j = 0; j < n; ++j) y.set(base + j, codes[j]);
}

}  // namespace oqnn::htp::fast
