// The geometry of a quantized MatMul (ref/matmul_ref.cpp, fast/matmul_fast.cpp): batched
// A[..., M, K] x B[..., K, N] with broadcast batch dimensions and optional transposes.
#pragma once

#include <vector>

#include "backends/htp/ref/broadcast.h"
#include "ir/graph.h"

namespace oqnn::htp::ref {

struct MatMulShape {
  ir::Shape batch;                      // output batch dimensions
  std::vector<int64_t> a_batch_stride;  // per batch dim, in units of matrices
  std::vector<int64_t> b_batch_stride;
  int64_t m = 1, k = 1, n = 1;
  bool ta = false, tb = false;
};

inline MatMulShape matmul_shape(const ir::Graph& g, const ir::Node& node) {
  const ir::Shape& a = g.tensor(node.inputs[0]).shape;
  const ir::Shape& b = g.tensor(node.inputs[1]).shape;
  const ir::Shape& y = g.tensor(node.outputs[0]).shape;
  MatMulShape s;
  s.ta = node.params.get_int("transpose_in0") != 0;
  s.tb = node.params.get_int("transpose_in1") != 0;
  s.m = y[y.size() - 2];
  s.n = y[y.size() - 1];
  s.k = s.ta ? a[a.size() - 2] : a[a.size() - 1];
  s.batch.assign(y.begin(), y.end() - 2);
  s.a_batch_stride = broadcast_strides(s.batch, ir::Shape(a.begin(), a.end() - 2));
  s.b_batch_stride = broadcast_strides(s.batch, ir::Shape(b.begin(), b.end() - 2));
  return s;
}

}  // namespace oqnn::htp::ref
