// Unary activations: Relu, Sigmoid, HardSwish, Clip → ReluMinMax (Relu for Clip(min=0)),
// LeakyRelu / PRelu → Prelu, HardSigmoid → ElementWiseNeuron("hard_sigmoid").
#include <cfloat>

#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status translate_unary(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  return emit_main(ctx, n, n.op_type(), {x}, {});  // Relu, Sigmoid, HardSwish: same names
}

// A Clip bound: the attribute before opset 11, an optional constant scalar input from 11.
Expected<std::optional<double>> clip_bound(ImportContext& ctx, const OnnxNode& n, size_t input,
                                           const char* name) {
  if (n.opset() < 11) {
    if (!n.has_attr(name)) return std::optional<double>{};
    return std::optional<double>{n.attr_float(name, 0.0)};
  }
  if (!n.has_input(input)) return std::optional<double>{};
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* c, const_input(ctx, n, input, name));
  if (c->numel() != 1) return n.bad_input(std::string(name) + " must be a scalar");
  return std::optional<double>{to_doubles(*c)[0]};
}

Status translate_clip(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(auto lo, clip_bound(ctx, n, 1, "min"));
  OQNN_ASSIGN_OR_RETURN(auto hi, clip_bound(ctx, n, 2, "max"));
  if (lo && *lo == 0.0 && !hi) return emit_main(ctx, n, "Relu", {x}, {});
  // An absent bound is the type's limit, as in ONNX (so it still clamps infinities).
  ir::Params p;
  p.set("min_value", lo.value_or(-static_cast<double>(FLT_MAX)));
  p.set("max_value", hi.value_or(static_cast<double>(FLT_MAX)));
  return emit_main(ctx, n, "ReluMinMax", {x}, std::move(p));
}

Status translate_leaky_relu(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  std::vector<double> alpha{n.attr_float("alpha", 0.01)};
  ir::TensorId slope = ctx.add_static(ctx.aux_tensor_name(n.name() + "_alpha"),
                                      make_const_doubles(ir::DataType::kFloat32, {1}, alpha));
  return emit_main(ctx, n, "Prelu", {x, slope}, {});
}

Status translate_prelu(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId slope, input_tensor(ctx, n, 1));
  return emit_main(ctx, n, "Prelu", {x, slope}, {});
}

Status translate_hard_sigmoid(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Params p;
  p.set("operation", std::string("hard_sigmoid"));
  p.set("alpha", n.attr_float("alpha", 0.2));
  p.set("beta", n.attr_float("beta", 0.5));
  return emit_main(ctx, n, "ElementWiseNeuron", {x}, std::move(p));
}

}  // namespace

void register_activation_translators(std::vector<Translator>& out) {
  out.push_back({"Relu", translate_unary});
  out.push_back({"Sigmoid", translate_unary});
  out.push_back({"HardSwish", translate_unary});
  out.push_back({"Clip", translate_clip});
  out.push_back({"LeakyRelu", translate_leaky_relu});
  out.push_back({"PRelu", translate_prelu});
  out.push_back({"HardSigmoid", translate_hard_sigmoid});
}

}  // namespace oqnn::onnx_import
