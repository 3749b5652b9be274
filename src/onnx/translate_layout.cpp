// Data movement on activations: Reshape, Flatten, Squeeze, Unsqueeze → Reshape; Transpose;
// Concat; Identity, Dropout (inference) and same-type Cast are aliases of their input.
#include "onnx/shape_rules.h"
#include "onnx/tensor_proto.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status emit_reshape(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, ir::Shape shape) {
  ir::Params p;
  p.set("shape", std::move(shape));
  return emit_main(ctx, n, "Reshape", {x}, std::move(p));
}

Status translate_reshape(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* spec, const_input(ctx, n, 1, "shape"));
  OQNN_ASSIGN_OR_RETURN(ir::Shape s, reshape_shape(ctx.graph.tensor(x).shape, to_ints(*spec),
                                                   n.attr_int("allowzero", 0) != 0, n.prefix()));
  return emit_reshape(ctx, n, x, std::move(s));
}

Status translate_flatten(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(
      ir::Shape s, flatten_shape(ctx.graph.tensor(x).shape, n.attr_int("axis", 1), n.prefix()));
  return emit_reshape(ctx, n, x, std::move(s));
}

Expected<std::optional<std::vector<int64_t>>> squeeze_axes(ImportContext& ctx, const OnnxNode& n) {
  const ConstTensor* in = nullptr;
  if (n.opset() >= 13 && n.has_input(1)) {
    OQNN_ASSIGN_OR_RETURN(in, const_input(ctx, n, 1, "axes"));
  }
  return axes_operand(n, in, 13);
}

Status translate_squeeze(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(auto axes, squeeze_axes(ctx, n));
  OQNN_ASSIGN_OR_RETURN(
      ir::Shape s, squeeze_shape(ctx.graph.tensor(x).shape, axes.value_or(std::vector<int64_t>{}),
                                 !axes.has_value(), n.prefix()));
  return emit_reshape(ctx, n, x, std::move(s));
}

Status translate_unsqueeze(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(auto axes, squeeze_axes(ctx, n));
  if (!axes) return n.bad_input("axes are missing");
  OQNN_ASSIGN_OR_RETURN(ir::Shape s, unsqueeze_shape(ctx.graph.tensor(x).shape, *axes, n.prefix()));
  return emit_reshape(ctx, n, x, std::move(s));
}

Status translate_transpose(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  size_t rank = ctx.graph.tensor(x).shape.size();
  std::vector<int64_t> perm = n.attr_ints("perm");
  if (perm.empty())
    for (size_t d = rank; d-- > 0;) perm.push_back(static_cast<int64_t>(d));
  ir::Params p;
  p.set("perm", perm);
  return emit_main(ctx, n, "Transpose", {x}, std::move(p));
}

Status translate_concat(ImportContext& ctx, const OnnxNode& n) {
  std::vector<ir::TensorId> in;
  for (size_t i = 0; i < n.num_inputs(); ++i) {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId t, input_tensor(ctx, n, i));
    in.push_back(t);
  }
  if (in.empty()) return n.bad_input("has no inputs");
  auto rank = static_cast<int64_t>(ctx.graph.tensor(in[0]).shape.size());
  auto axis = normalize_axis(n.attr_int("axis", 0), rank);
  if (!axis) return n.bad_input("axis is out of range for rank " + std::to_string(rank));
  ir::Params p;
  p.set("axis", *axis);
  return emit_main(ctx, n, "Concat", std::move(in), std::move(p));
}

Status translate_identity(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ctx.set_tensor(n.output(0), x);
  return Status::ok();
}

Status translate_dropout(ImportContext& ctx, const OnnxNode& n) {
  // In training mode Dropout drops at random, except with ratio 0 (exports of models whose
  // dropout probability is 0 pass training=True through): then it is the identity.
  if (n.has_input(2)) {
    OQNN_ASSIGN_OR_RETURN(const ConstTensor* t, const_input(ctx, n, 2, "training_mode"));
    bool zero_ratio = false;
    if (n.has_input(1)) {
      OQNN_ASSIGN_OR_RETURN(const ConstTensor* r, const_input(ctx, n, 1, "ratio"));
      zero_ratio = r->numel() == 1 && to_doubles(*r)[0] == 0.0;
    }
    if (t->numel() > 0 && to_ints(*t)[0] != 0 && !zero_ratio)
      return n.unsupported("training_mode=true is not supported (unless ratio is 0)");
  }
  return translate_identity(ctx, n);
}

// The IR dtype a Cast to ONNX type `to` gives: int64 narrows to int32 and double becomes
// float32, as everywhere in the IR; float16 is handled by emit_cast.
std::optional<ir::DataType> cast_target(int32_t to) {
  if (to == ::onnx::TensorProto::DOUBLE) return ir::DataType::kFloat32;
  auto dt = dtype_from_onnx(to);
  if (dt == ir::DataType::kInt64) return ir::DataType::kInt32;
  return dt;
}

Status translate_cast(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  auto to = static_cast<int32_t>(n.attr_int("to", 0));
  auto dt = cast_target(to);
  ir::DataType from = ctx.graph.tensor(x).dtype;
  if (!dt)
    return n.unsupported("a cast of a run-time tensor from " + std::string(ir::dtype_name(from)) +
                         " to " + onnx_dtype_name(to) + " is not supported");
  if (*dt == from) return translate_identity(ctx, n);
  return emit_cast(ctx, n, x, *dt);
}

}  // namespace

void register_layout_translators(std::vector<Translator>& out) {
  out.push_back({"Reshape", translate_reshape});
  out.push_back({"Flatten", translate_flatten});
  out.push_back({"Squeeze", translate_squeeze});
  out.push_back({"Unsqueeze", translate_unsqueeze});
  out.push_back({"Transpose", translate_transpose});
  out.push_back({"Concat", translate_concat});
  out.push_back({"Identity", translate_identity});
  out.push_back({"Dropout", translate_dropout});
  out.push_back({"Cast", translate_cast});
}

}  // namespace oqnn::onnx_import
