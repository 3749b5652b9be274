// Softmax, ReduceMean and Batchnorm (the last only when folding is disabled or impossible).
#include <algorithm>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> softmax_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  int64_t axis = n.params.get_int("axis", static_cast<int64_t>(x.shape.size()) - 1);
  if (axis < 0 || axis >= static_cast<int64_t>(x.shape.size()))
    return shape_error(n, "axis out of range");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

Expected<std::vector<OutputInfo>> reduce_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  auto axes = n.params.get_ints("axes");
  bool keep = n.params.get_int("keep_dims", 1) != 0;
  Shape out;
  for (int64_t d = 0; d < static_cast<int64_t>(x.shape.size()); ++d) {
    bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
    if (!reduced)
      out.push_back(x.shape[d]);
    else if (keep)
      out.push_back(1);
  }
  for (int64_t a : axes)
    if (a < 0 || a >= static_cast<int64_t>(x.shape.size()))
      return shape_error(n, "axis out of range");
  return std::vector<OutputInfo>{{x.dtype, out}};
}

Expected<std::vector<OutputInfo>> batchnorm_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (x.shape.empty()) return shape_error(n, "input must have a channel dimension");
  int64_t c = x.shape.back();
  if (num_elements(input_shape(g, n, 1)) != c || num_elements(input_shape(g, n, 2)) != c)
    return shape_error(n, "scale and bias must have " + std::to_string(c) + " elements");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

}  // namespace

void register_norm_ops(std::vector<OpDef>& ops) {
  ops.push_back({"Softmax",
                 "exp(beta*x) / sum(exp(beta*x)) along axis",
                 {"in"},
                 1,
                 1,
                 {{"axis", ParamKind::kInt}, {"beta", ParamKind::kFloat}},
                 softmax_rule,
                 false,
                 {"Softmax"}});
  ops.push_back({"ReduceMean",
                 "mean over axes (keep_dims default 1)",
                 {"in"},
                 1,
                 1,
                 {{"axes", ParamKind::kInts, true}, {"keep_dims", ParamKind::kInt}},
                 reduce_rule,
                 false,
                 {"ReduceMean"}});
  ops.push_back({"Batchnorm",
                 "in * scale[c] + bias[c], channel-last",
                 {"in", "scale", "bias"},
                 3,
                 3,
                 {},
                 batchnorm_rule,
                 false,
                 {"BatchNormalization"}});
}

}  // namespace oqnn::ir
