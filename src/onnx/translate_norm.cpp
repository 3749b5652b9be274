// BatchNormalization → Batchnorm (channel-last, scale/bias precomputed); Softmax,
// LogSoftmax and Hardmax → the IR op of the same name (with opset < 13's coerce-to-2-D
// semantics).
#include <cmath>

#include "onnx/layout.h"
#include "onnx/shape_rules.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status check_batchnorm(const OnnxNode& n) {
  if (n.attr_int("training_mode", 0) != 0) return n.unsupported("training_mode=1 is not supported");
  if (n.opset() < 9 && n.attr_int("spatial", 1) == 0)
    return n.unsupported("spatial=0 (per-element statistics) is not supported");
  return Status::ok();
}

Status translate_batchnorm(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_batchnorm(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 2) return n.bad_input("input must have a channel dimension");
  const char* roles[] = {"scale", "B", "mean", "var"};
  std::vector<std::vector<float>> p;
  for (size_t i = 0; i < 4; ++i) {
    OQNN_ASSIGN_OR_RETURN(const ConstTensor* c, const_input(ctx, n, i + 1, roles[i]));
    if (c->numel() != xs[1])
      return n.bad_input(std::string(roles[i]) + " must have " + std::to_string(xs[1]) + " values");
    p.push_back(to_floats(*c));
  }
  // The arithmetic onnxruntime uses, in float: y = x * (scale / sqrt(var + eps)) + ...
  auto eps = static_cast<float>(n.attr_float("epsilon", 1e-5));
  std::vector<float> scale(p[0].size()), bias(p[0].size());
  for (size_t c = 0; c < scale.size(); ++c) {
    float inv_std = 1.0f / std::sqrt(p[3][c] + eps);
    scale[c] = inv_std * p[0][c];
    bias[c] = p[1][c] - p[2][c] * scale[c];
  }
  auto as_const = [&](const std::vector<float>& v) {
    std::vector<double> d(v.begin(), v.end());
    return make_const_doubles(ir::DataType::kFloat32, {xs[1]}, d);
  };
  ir::TensorId s = ctx.add_static(ctx.aux_tensor_name(n.name() + "_scale"), as_const(scale));
  ir::TensorId b = ctx.add_static(ctx.aux_tensor_name(n.name() + "_bias"), as_const(bias));
  if (xs.size() == 2) return emit_main(ctx, n, "Batchnorm", {x, s, b}, {});
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  return emit_channel_last(ctx, n, "Batchnorm", {xl, s, b}, {});
}

Status translate_softmax(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  auto rank = static_cast<int64_t>(xs.size());
  auto axis = normalize_axis(n.attr_int("axis", n.opset() < 13 ? 1 : -1), rank);
  if (!axis) return n.bad_input("axis is out of range for rank " + std::to_string(rank));
  ir::Params p;
  if (n.opset() >= 13 || *axis == rank - 1) {
    p.set("axis", *axis);
    return emit_main(ctx, n, n.op_type(), {x}, std::move(p));
  }
  // Before opset 13 the input is coerced to 2-D [outer, inner] at `axis` and normalized
  // over all of `inner`.
  OQNN_ASSIGN_OR_RETURN(ir::Shape flat, flatten_shape(xs, *axis, n.prefix()));
  ir::Params r;
  r.set("shape", flat);
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x2,
                        ctx.emit(ctx.aux_node_name(n.name() + "_to_2d"), "Reshape", {x},
                                 std::move(r), ctx.aux_tensor_name(n.output(0) + "_in_2d")));
  p.set("axis", int64_t{1});
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y2, ctx.emit(n.name(), n.op_type(), {x2}, std::move(p),
                                                  ctx.aux_tensor_name(n.output(0) + "_2d")));
  ir::Params back;
  back.set("shape", xs);
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, ctx.emit(ctx.aux_node_name(n.name() + "_from_2d"),
                                                 "Reshape", {y2}, std::move(back), n.output(0)));
  ctx.set_tensor(n.output(0), y);
  return Status::ok();
}

}  // namespace

void register_norm_translators(std::vector<Translator>& out) {
  out.push_back({"BatchNormalization", translate_batchnorm, check_batchnorm});
  out.push_back({"Softmax", translate_softmax, nullptr});
  out.push_back({"LogSoftmax", translate_softmax, nullptr});
  out.push_back({"Hardmax", translate_softmax, nullptr});
}

}  // namespace oqnn::onnx_import
