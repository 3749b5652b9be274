// FullyConnected (weight [cout, k]) and MatMul (batched, broadcast).
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> fc_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& w = input_shape(g, n, 1);
  if (w.size() != 2) return shape_error(n, "weight must be [out, in], got " + shape_str(w));
  if (x.empty() || x.back() != w[1])
    return shape_error(n, "input " + shape_str(x) + " does not fit weight " + shape_str(w));
  if (has_input(n, 2) && num_elements(input_shape(g, n, 2)) != w[0])
    return shape_error(n, "bias must have " + std::to_string(w[0]) + " elements");
  int64_t rows = num_elements(Shape(x.begin(), x.end() - 1));  // w[1] may be 0
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, {rows, w[0]}}};
}

Expected<std::vector<OutputInfo>> matmul_rule(const Graph& g, const Node& n) {
  Shape a = input_shape(g, n, 0), b = input_shape(g, n, 1);
  if (a.size() < 2 || b.size() < 2) return shape_error(n, "inputs must be rank >= 2");
  if (n.params.get_int("transpose_in0")) std::swap(a[a.size() - 1], a[a.size() - 2]);
  if (n.params.get_int("transpose_in1")) std::swap(b[b.size() - 1], b[b.size() - 2]);
  if (a.back() != b[b.size() - 2])
    return shape_error(n, "inner dimensions differ: " + shape_str(a) + " x " + shape_str(b));
  auto batch = broadcast_shapes(Shape(a.begin(), a.end() - 2), Shape(b.begin(), b.end() - 2));
  if (!batch) return shape_error(n, "batch dimensions do not broadcast");
  Shape out = *batch;
  out.push_back(a[a.size() - 2]);
  out.push_back(b.back());
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

}  // namespace

void register_linear_ops(std::vector<OpDef>& ops) {
  std::vector<ParamDef> fc;
  add_fused_activation_params(fc);
  ops.push_back({"FullyConnected",
                 "out[m, o] = sum_k in[m, k] * weight[o, k] + bias[o]",
                 {"in", "weight", "bias"},
                 2,
                 3,
                 fc,
                 fc_rule,
                 false,
                 {"Gemm", "MatMul (static right side)"}});
  ops.push_back({"MatMul",
                 "batched matrix product with broadcasting",
                 {"in0", "in1"},
                 2,
                 2,
                 {{"transpose_in0", ParamKind::kInt}, {"transpose_in1", ParamKind::kInt}},
                 matmul_rule,
                 false,
                 {"MatMul"}});
}

}  // namespace oqnn::ir
