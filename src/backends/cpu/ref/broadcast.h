// Numpy broadcasting as strides: an input of shape `in` read at every index of `out`
// has stride 0 along the dimensions it is broadcast in (and the missing leading ones).
// For two inputs, dimensions along which both advance the same way are merged first
// (plan_binary), so the inner loop runs over long contiguous (or constant) stretches.
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

struct BinaryPlan {
  ir::Shape out;                // at least rank 1
  std::vector<int64_t> sa, sb;  // broadcast strides of the two inputs
};

inline BinaryPlan plan_binary(const ir::Shape& a, const ir::Shape& b, const ir::Shape& out) {
  BinaryPlan p{out, broadcast_strides(a, out), broadcast_strides(b, out)};
  if (p.out.empty()) p = {{1}, {0}, {0}};
  // Merge dimension d into d+1 when each input's stride there is the stride of d+1 times
  // its size: walking the merged dimension visits the same elements.
  BinaryPlan m{{p.out.back()}, {p.sa.back()}, {p.sb.back()}};
  for (size_t i = p.out.size() - 1; i-- > 0;) {
    auto fits = [&](const std::vector<int64_t>& s, const std::vector<int64_t>& ms) {
      return s[i] == ms.front() * m.out.front();
    };
    if (fits(p.sa, m.sa) && fits(p.sb, m.sb)) {
      m.out.front() *= p.out[i];
    } else {
      m.out.insert(m.out.begin(), p.out[i]);
      m.sa.insert(m.sa.begin(), p.sa[i]);
      m.sb.insert(m.sb.begin(), p.sb[i]);
    }
  }
  return m;
}

// y[i] = op(a[...], b[...]) over the plan's output.
template <class A, class B, class Y, class Op>
void binary_loop(const BinaryPlan& p, const A* a, const B* b, Y* y, Op op) {
  const int64_t inner = p.out.back(), ia = p.sa.back(), ib = p.sb.back();
  ir::Shape outer(p.out.begin(), p.out.end() - 1);
  std::vector<int64_t> oa(p.sa.begin(), p.sa.end() - 1), ob(p.sb.begin(), p.sb.end() - 1);
  const int64_t rows = ir::num_elements(outer);
  for (int64_t r = 0; r < rows; ++r) {
    const A* ap = a + broadcast_offset(r, outer, oa);
    const B* bp = b + broadcast_offset(r, outer, ob);
    Y* yp = y + r * inner;
    for (int64_t i = 0; i < inner; ++i) yp[i] = op(ap[i * ia], bp[i * ib]);
  }
}

}  // namespace oqnn::cpu::ref
