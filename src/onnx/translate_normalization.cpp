// LayerNormalization and MeanVarianceNormalization → LayerNorm (ONNX layout, any axes);
// InstanceNormalization, GroupNormalization and LRN → the channel-last InstanceNorm,
// GroupNorm and Lrn; LpNormalization → L2Norm (p=2) or ReduceL1 + ElementWiseDivide (p=1).
#include "onnx/layout.h"
#include "onnx/shape_rules.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status translate_layer_norm(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId scale, input_tensor(ctx, n, 1));
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  auto axis = normalize_axis(n.attr_int("axis", -1), rank);
  if (!axis) return n.bad_input("axis is out of range for rank " + std::to_string(rank));
  for (size_t i = 1; i < 3; ++i)
    if (n.has_input(i) && static_cast<int64_t>(ctx.shape_of(n.input(i)).size()) > rank - *axis)
      return n.bad_input(std::string(i == 1 ? "Scale" : "B") + " has more dimensions than the " +
                         std::to_string(rank - *axis) + " normalized ones");
  std::vector<ir::TensorId> in{x, scale};
  if (n.has_input(2)) {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId b, input_tensor(ctx, n, 2));
    in.push_back(b);
  }
  std::vector<int64_t> axes;
  for (int64_t d = *axis; d < rank; ++d) axes.push_back(d);
  ir::Params p;
  p.set("axes", axes);
  p.set("epsilon", n.attr_float("epsilon", 1e-5));
  bool stats = (n.num_outputs() > 1 && !n.output(1).empty()) ||
               (n.num_outputs() > 2 && !n.output(2).empty());
  if (!stats) return emit_main(ctx, n, "LayerNorm", std::move(in), std::move(p));
  p.set("stats_outputs", int64_t{1});
  std::vector<std::string> names{n.output(0), n.num_outputs() > 1 ? n.output(1) : "",
                                 n.num_outputs() > 2 ? n.output(2) : ""};
  OQNN_ASSIGN_OR_RETURN(auto ids,
                        ctx.emit_multi(n.name(), "LayerNorm", std::move(in), std::move(p), names));
  for (size_t j = 0; j < names.size(); ++j)
    if (!names[j].empty()) ctx.set_tensor(names[j], ids[j]);
  return Status::ok();
}

Status translate_mvn(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  OQNN_ASSIGN_OR_RETURN(auto axes,
                        normalize_axes(n.attr_ints("axes", {0, 2, 3}), rank, n.prefix()));
  if (axes.empty()) return n.bad_input("axes must not be empty");
  ir::Params p;
  p.set("axes", axes);
  // ONNX divides by sqrt(var) + 1e-9; sqrt(var + 1e-18) is the same to float precision
  // and equally 0 / 1e-9 = 0 for a constant input.
  p.set("epsilon", 1e-18);
  return emit_main(ctx, n, "LayerNorm", {x}, std::move(p));
}

// x and its per-channel operands (inputs 1, 2, each with `c` values) channel-last.
Status emit_channel_norm(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                         std::vector<ir::TensorId> in, ir::Params p) {
  if (ctx.graph.tensor(in[0]).shape.size() == 2)
    return emit_main(ctx, n, op, std::move(in), std::move(p));
  OQNN_ASSIGN_OR_RETURN(in[0], channel_last(ctx, n, in[0]));
  return emit_channel_last(ctx, n, op, std::move(in), std::move(p));
}

Expected<ir::TensorId> channel_operand(ImportContext& ctx, const OnnxNode& n, size_t i, int64_t c) {
  if (!n.has_input(i)) return n.bad_input("required input " + std::to_string(i) + " is missing");
  if (ir::num_elements(ctx.shape_of(n.input(i))) != c)
    return n.bad_input("input " + std::to_string(i) + " must have " + std::to_string(c) +
                       " values (one per channel)");
  return input_tensor(ctx, n, i);
}

Status translate_instance_norm(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 2) return n.bad_input("input must be [N, C, ...]");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId s, channel_operand(ctx, n, 1, xs[1]));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId b, channel_operand(ctx, n, 2, xs[1]));
  ir::Params p;
  p.set("epsilon", n.attr_float("epsilon", 1e-5));
  return emit_channel_norm(ctx, n, "InstanceNorm", {x, s, b}, std::move(p));
}

// Opset 18's per-group scale or bias as per-channel values (each repeated c / groups times).
Expected<ir::TensorId> group_operand(ImportContext& ctx, const OnnxNode& n, size_t i, int64_t c,
                                     int64_t groups) {
  if (n.opset() >= 21 || groups == c || !n.has_input(i)) return channel_operand(ctx, n, i, c);
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* k, const_input(ctx, n, i, "per-group scale/bias"));
  if (k->numel() != groups)
    return n.bad_input("input " + std::to_string(i) + " must have " + std::to_string(groups) +
                       " values (one per group)");
  std::vector<float> v = to_floats(*k);
  std::vector<double> per_c;
  for (int64_t ch = 0; ch < c; ++ch) per_c.push_back(v[static_cast<size_t>(ch / (c / groups))]);
  return ctx.add_static(ctx.aux_tensor_name(n.input(i) + "_per_channel"),
                        make_const_doubles(ir::DataType::kFloat32, {c}, per_c));
}

Status translate_group_norm(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 2) return n.bad_input("input must be [N, C, ...]");
  if (!n.has_attr("num_groups")) return n.bad_input("attribute num_groups is missing");
  int64_t groups = n.attr_int("num_groups", 1);
  if (groups <= 0 || xs[1] % groups != 0)
    return n.bad_input("num_groups " + std::to_string(groups) + " does not divide " +
                       std::to_string(xs[1]) + " channels");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId s, group_operand(ctx, n, 1, xs[1], groups));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId b, group_operand(ctx, n, 2, xs[1], groups));
  ir::Params p;
  p.set("epsilon", n.attr_float("epsilon", 1e-5));
  p.set("group", groups);
  return emit_channel_norm(ctx, n, "GroupNorm", {x, s, b}, std::move(p));
}

Status check_lrn(const OnnxNode& n) {
  if (!n.has_attr("size")) return n.bad_input("attribute size is missing");
  int64_t size = n.attr_int("size", 1);
  if (size <= 0) return n.bad_input("size must be positive, got " + std::to_string(size));
  if (size % 2 == 0)
    return n.unsupported("an even size (" + std::to_string(size) +
                         ") sums an asymmetric window; only odd sizes are supported");
  return Status::ok();
}

Status translate_lrn(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_lrn(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  if (ctx.graph.tensor(x).shape.size() < 2) return n.bad_input("input must be [N, C, ...]");
  int64_t size = n.attr_int("size", 1);
  ir::Params p;
  p.set("alpha", n.attr_float("alpha", 1e-4) / static_cast<double>(size));
  p.set("beta", n.attr_float("beta", 0.75));
  p.set("bias", n.attr_float("bias", 1.0));
  p.set("radius", (size - 1) / 2);
  return emit_channel_norm(ctx, n, "Lrn", {x}, std::move(p));
}

Status check_lp_norm(const OnnxNode& n) {
  int64_t p = n.attr_int("p", 2);
  if (p != 1 && p != 2) return n.bad_input("p must be 1 or 2, got " + std::to_string(p));
  return Status::ok();
}

Status translate_lp_norm(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_lp_norm(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  auto axis = normalize_axis(n.attr_int("axis", -1), rank);
  if (!axis) return n.bad_input("axis is out of range for rank " + std::to_string(rank));
  ir::Params p;
  if (n.attr_int("p", 2) == 2) {
    p.set("axis", *axis);
    p.set("epsilon", 1e-24);  // only keeps 0 / 0 from being NaN: a zero vector stays zero
    return emit_main(ctx, n, "L2Norm", {x}, std::move(p));
  }
  p.set("axes", std::vector<int64_t>{*axis});
  p.set("keep_dims", int64_t{1});
  OQNN_ASSIGN_OR_RETURN(ir::TensorId norm,
                        ctx.emit(ctx.aux_node_name(n.name() + "_l1"), "ReduceL1", {x}, std::move(p),
                                 ctx.aux_tensor_name(n.output(0) + "_l1")));
  return emit_main(ctx, n, "ElementWiseDivide", {x, norm}, {});
}

}  // namespace

void register_normalization_translators(std::vector<Translator>& out) {
  out.push_back({"LayerNormalization", translate_layer_norm, nullptr});
  out.push_back({"MeanVarianceNormalization", translate_mvn, nullptr});
  out.push_back({"InstanceNormalization", translate_instance_norm, nullptr});
  out.push_back({"GroupNormalization", translate_group_norm, nullptr});
  out.push_back({"LRN", translate_lrn, check_lrn});
  out.push_back({"LpNormalization", translate_lp_norm, check_lp_norm});
}

}  // namespace oqnn::onnx_import
