// Window arithmetic shared by the windowed kernels of every backend.
#pragma once

#include <cstdint>
#include <vector>

namespace oqnn::ir {

// The input coordinates a window reads along one axis: the window of output index `o`
// starts at o * stride - pad0 and has `k` taps `dil` apart; taps outside [0, in) (padding)
// are left out.
inline std::vector<int64_t> window_taps(int64_t o, int64_t stride, int64_t pad0, int64_t k,
                                        int64_t dil, int64_t in) {
  std::vector<int64_t> t;
  const int64_t start = o * stride - pad0;
  for (int64_t j = 0; j < k; ++j) {
    const int64_t v = start + j * dil;
    if (v >= 0 && v < in) t.push_back(v);
  }
  return t;
}

}  // namespace oqnn::ir
