// Softmax, LogSoftmax and Hardmax along one axis; Batchnorm (only when folding is disabled
// or impossible); the normalizations LayerNorm and RmsNorm (any axes, optional gamma/beta),
// L2Norm, and the channel-last InstanceNorm, GroupNorm and Lrn.
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

Expected<std::vector<OutputInfo>> batchnorm_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (x.shape.empty()) return shape_error(n, "input must have a channel dimension");
  int64_t c = x.shape.back();
  if (num_elements(input_shape(g, n, 1)) != c || num_elements(input_shape(g, n, 2)) != c)
    return shape_error(n, "scale and bias must have " + std::to_string(c) + " elements");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

// gamma/beta broadcast to the input without changing its shape.
Status check_affine(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  for (size_t i = 1; i < 3; ++i) {
    if (!has_input(n, i)) continue;
    auto b = broadcast_shapes(x, input_shape(g, n, i));
    if (!b || *b != x || input_shape(g, n, i).size() > x.size())
      return shape_error(n, (i == 1 ? "gamma " : "beta ") + shape_str(input_shape(g, n, i)) +
                                " does not broadcast to the input " + shape_str(x));
  }
  return Status::ok();
}

Expected<std::vector<OutputInfo>> layernorm_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  auto axes = n.params.get_ints("axes");
  if (axes.empty()) return shape_error(n, "axes must not be empty");
  Shape stats = x.shape;
  std::vector<bool> seen(x.shape.size(), false);
  for (int64_t a : axes) {
    if (a < 0 || a >= static_cast<int64_t>(x.shape.size()))
      return shape_error(n, "axis out of range");
    if (seen[static_cast<size_t>(a)])
      return shape_error(n, "axis " + std::to_string(a) + " is listed twice");
    seen[static_cast<size_t>(a)] = true;
    stats[static_cast<size_t>(a)] = 1;
  }
  OQNN_RETURN_IF_ERROR(check_affine(g, n));
  const double eps = n.params.get_float("epsilon", 0.0);
  if (n.op == "RmsNorm" && !(eps >= 0.0 && eps < 1e30))  // rejects NaN too
    return shape_error(n, "epsilon must be a finite value >= 0");
  std::vector<OutputInfo> out{{x.dtype, x.shape}};
  if (n.params.get_int("stats_outputs", 0) != 0) {
    out.push_back({x.dtype, stats});  // mean
    out.push_back({x.dtype, stats});  // 1 / sqrt(var + epsilon)
  }
  return out;
}

// Channel-last [N, ..., C] input with per-channel gamma and beta.
Expected<std::vector<OutputInfo>> channel_norm_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (x.shape.size() < 2) return shape_error(n, "input must be [N, ..., C]");
  int64_t c = x.shape.back();
  for (size_t i = 1; i < 3; ++i)
    if (has_input(n, i) && num_elements(input_shape(g, n, i)) != c)
      return shape_error(n, std::string(i == 1 ? "gamma" : "beta") + " must have " +
                                std::to_string(c) + " elements");
  if (n.op == "GroupNorm") {
    int64_t groups = n.params.get_int("group", 1);
    if (groups <= 0 || c % groups != 0)
      return shape_error(n, "group " + std::to_string(groups) + " does not divide " +
                                std::to_string(c) + " channels");
  }
  if (n.op == "Lrn" && n.params.get_int("radius", 0) < 0)
    return shape_error(n, "radius must be >= 0");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

OpDef axis_op(const char* name, const char* summary, std::vector<ParamDef> params,
              std::vector<std::string> onnx) {
  return {name, summary, {"in"}, 1, 1, std::move(params), softmax_rule, false, std::move(onnx)};
}

}  // namespace

void register_norm_ops(std::vector<OpDef>& ops) {
  ParamDef axis{"axis", ParamKind::kInt}, beta{"beta", ParamKind::kFloat};
  ParamDef eps{"epsilon", ParamKind::kFloat};
  ops.push_back(
      axis_op("Softmax", "exp(beta*x) / sum(exp(beta*x)) along axis", {axis, beta}, {"Softmax"}));
  ops.push_back(axis_op("LogSoftmax", "beta*x - log(sum(exp(beta*x))) along axis", {axis, beta},
                        {"LogSoftmax"}));
  ops.push_back(axis_op("Hardmax", "1 at the first maximum along axis, else 0 (not a QNN op)",
                        {axis}, {"Hardmax"}));
  ops.push_back({"Batchnorm",
                 "in * scale[c] + bias[c], channel-last",
                 {"in", "scale", "bias"},
                 3,
                 3,
                 {},
                 batchnorm_rule,
                 false,
                 {"BatchNormalization"}});
  ops.push_back({"LayerNorm",
                 "(x - mean) / sqrt(var + epsilon) * gamma + beta over axes; stats_outputs=1 "
                 "adds mean and inverse std outputs",
                 {"in", "gamma", "beta"},
                 1,
                 3,
                 {eps, {"axes", ParamKind::kInts, true}, {"stats_outputs", ParamKind::kInt}},
                 layernorm_rule,
                 false,
                 {"LayerNormalization", "MeanVarianceNormalization"}});
  ops.push_back({"RmsNorm",
                 "x / sqrt(mean(x^2) + epsilon) * gamma + beta over axes (epsilon default 1e-6)",
                 {"in", "gamma", "beta"},
                 1,
                 3,
                 {eps, {"axes", ParamKind::kInts, true}},
                 layernorm_rule,
                 false,
                 {"ReduceMean-of-squares pattern (fuse_norms)"}});
  ops.push_back({"InstanceNorm",
                 "per (n, c) normalization over the spatial dims, channel-last",
                 {"in", "gamma", "beta"},
                 3,
                 3,
                 {eps},
                 channel_norm_rule,
                 false,
                 {"InstanceNormalization"}});
  ops.push_back({"GroupNorm",
                 "per (n, group) normalization over spatial dims and the group's channels",
                 {"in", "gamma", "beta"},
                 3,
                 3,
                 {eps, {"group", ParamKind::kInt, true}},
                 channel_norm_rule,
                 false,
                 {"GroupNormalization"}});
  ops.push_back({"L2Norm",
                 "x / sqrt(max(sum(x^2), epsilon)) along axis",
                 {"in"},
                 1,
                 1,
                 {axis, eps},
                 softmax_rule,
                 false,
                 {"LpNormalization (p=2)"}});
  ops.push_back({"Lrn",
                 "x / (bias + alpha * sum(x^2 over channels c-radius..c+radius))^beta, "
                 "channel-last",
                 {"in"},
                 1,
                 1,
                 {{"alpha", ParamKind::kFloat},
                  beta,
                  {"bias", ParamKind::kFloat},
                  {"radius", ParamKind::kInt, true}},
                 channel_norm_rule,
                 false,
                 {"LRN"}});
}

}  // namespace oqnn::ir
