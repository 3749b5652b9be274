// Numpy-style broadcasting for the element-wise kernels: strides of an input over the
// output's index space (0 along broadcast dimensions) and an in-order walk over the output.
#pragma once

#include <cstdint>
#include <vector>

#include "ir/types.h"

namespace oqnn::htp {

// Row-major strides of `in` aligned to the trailing dimensions of `out`; 0 where `in` has
// size 1 (or lacks the dimension).
inline std::vector<int64_t> broadcast_strides(const ir::Shape& out, const ir::Shape& in) {
  std::vector<int64_t> s(out.size(), 0);
  int64_t stride = 1;
  for (size_t k = 0; k < in.size(); ++k) {
    const size_t d_in = in.size() - 1 - k, d_out = out.size() - 1 - k;
    s[d_out] = in[d_in] == 1 ? 0 : stride;
    stride *= in[d_in];
  }
  return s;
}

// Calls f(o, ia, ib) for every output element o in order, with the offsets of the
// elements of a and b that broadcast to it.
template <class F>
void for_each_broadcast(const ir::Shape& out, const std::vector<int64_t>& sa,
                        const std::vector<int64_t>& sb, F&& f) {
  const int64_t total = ir::num_elements(out);
  if (total <= 0) return;
  if (out.empty()) {
    f(int64_t{0}, int64_t{0}, int64_t{0});
    return;
  }
  const size_t r = out.size();
  const int64_t inner = out[r - 1], step_a = sa[r - 1], step_b = sb[r - 1];
  std::vector<int64_t> idx(r, 0);
  int64_t ia = 0, ib = 0;
  for (int64_t o = 0; o < total; o += inner) {
    for (int64_t j = 0; j < inner; ++j) f(o + j, ia + j * step_a, ib + j * step_b);
    for (size_t d = r - 1; d-- > 0;) {
      ia += sa[d];
      ib += sb[d];
      if (++idx[d] < out[d]) break;
      ia -= sa[d] * out[d];
      ib -= sb[d] * out[d];
      idx[d] = 0;
    }
  }
}

}  // namespace oqnn::htp
