// Numpy broadcasting as strides: an input of shape `in` read at every index of `out`
// has stride 0 along the dimensions it is broadcast in (and the missing leading ones).
#pragma once

#include <cstdint>
#include <vector>

#include "ir/types.h"

namespace oqnn::cpu::ref {

// Element strides of `in` aligned to the rank of `out`.
inline std::vector<int64_t> broadcast_strides(const ir::Shape& in, const ir::Shape& out) {
  std::vector<int64_t> st(out.size(), 0);
  int64_t s = 1;
  for (size_t i = 0; i < in.size(); ++i) {
    size_t d = in.size() - 1 - i, od = out.size() - 1 - i;
    st[od] = in[d] == 1 ? 0 : s;
    s *= in[d];
  }
  return st;
}

// Offset into the input for the flat index `flat` of `out` (row-major).
inline int64_t broadcast_offset(int64_t flat, const ir::Shape& out,
                                const std::vector<int64_t>& strides) {
  int64_t off = 0;
  for (size_t i = out.size(); i-- > 0;) {
    off += (flat % out[i]) * strides[i];
    flat /= out[i];
  }
  return off;
}

}  // namespace oqnn::cpu::ref
