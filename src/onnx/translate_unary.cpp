// Unary element-wise ONNX ops → one IR op each (elementwise_unary.cpp), with the ONNX
// attributes as params and the ONNX defaults written out, so the IR never depends on a
// default it does not state. CastLike (used by the expanded function bodies of these ops)
// becomes a Cast.
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

struct UnaryOp {
  const char* onnx;
  const char* ir;
};

constexpr UnaryOp kUnaryOps[] = {
    {"Abs", "ElementWiseAbs"},
    {"Neg", "ElementWiseNeg"},
    {"Sign", "ElementWiseSign"},
    {"Floor", "ElementWiseFloor"},
    {"Ceil", "ElementWiseCeil"},
    {"Round", "ElementWiseRound"},
    {"Exp", "ElementWiseExp"},
    {"Log", "ElementWiseLog"},
    {"Sqrt", "ElementWiseSquareRoot"},
    {"Erf", "ElementWiseErf"},
    {"Sin", "ElementWiseSin"},
    {"Cos", "ElementWiseCos"},
    {"Tan", "ElementWiseTan"},
    {"Asin", "ElementWiseAsin"},
    {"Acos", "ElementWiseAcos"},
    {"Atan", "ElementWiseAtan"},
    {"Sinh", "ElementWiseSinh"},
    {"Cosh", "ElementWiseCosh"},
    {"Asinh", "ElementWiseAsinh"},
    {"Acosh", "ElementWiseAcosh"},
    {"Atanh", "ElementWiseAtanh"},
    {"Tanh", "Tanh"},
    {"Softplus", "ElementWiseSoftplus"},
    {"Softsign", "Softsign"},
    {"Mish", "Mish"},
    {"Elu", "Elu"},
    {"Celu", "Celu"},
    {"Selu", "Selu"},
    {"ThresholdedRelu", "ThresholdedRelu"},
    {"Gelu", "Gelu"},
    {"IsNaN", "ElementWiseIsNan"},
    {"IsInf", "ElementWiseIsInf"},
    {"Not", "ElementWiseNot"},
    {"BitwiseNot", "ElementWiseBitwiseNot"},
};

const char* ir_op(const std::string& onnx) {
  for (const UnaryOp& u : kUnaryOps)
    if (onnx == u.onnx) return u.ir;
  return nullptr;  // not reached: only registered ops come here
}

// The attribute checks, apart so that a dry run reports them without the inputs.
Status check_unary(const OnnxNode& n) {
  const std::string& op = n.op_type();
  if (op == "Celu" && n.attr_float("alpha", 1.0) == 0.0) return n.bad_input("alpha must not be 0");
  if (op == "Gelu") {
    std::string a = n.attr_string("approximate", "none");
    if (a != "none" && a != "tanh") return n.bad_input("approximate '" + a + "' is not none|tanh");
  }
  if (op == "IsInf")
    for (const char* flag : {"detect_negative", "detect_positive"}) {
      int64_t v = n.attr_int(flag, 1);
      if (v != 0 && v != 1) return n.bad_input(std::string(flag) + " must be 0 or 1");
    }
  return Status::ok();
}

ir::Params unary_params(const OnnxNode& n) {
  const std::string& op = n.op_type();
  ir::Params p;
  if (op == "Elu" || op == "Celu" || op == "ThresholdedRelu")
    p.set("alpha", n.attr_float("alpha", 1.0));
  if (op == "Selu") {
    p.set("alpha", n.attr_float("alpha", 1.67326319217681884765625));
    p.set("gamma", n.attr_float("gamma", 1.05070102214813232421875));
  }
  if (op == "Gelu") p.set("approximate", n.attr_string("approximate", "none"));
  if (op == "IsInf") {
    p.set("detect_negative", n.attr_int("detect_negative", 1));
    p.set("detect_positive", n.attr_int("detect_positive", 1));
  }
  return p;
}

Status translate_unary(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_unary(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  return emit_main(ctx, n, ir_op(n.op_type()), {x}, unary_params(n));
}

// CastLike: Cast to the IR dtype of input 1 (already int64→int32 / double→float32, as
// every IR tensor; float16 is float32 inside a graph); the same dtype is an alias of the
// input.
Status translate_cast_like(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::DataType to;
  if (const ConstTensor* c = n.has_input(1) ? ctx.const_of(n.input(1)) : nullptr) {
    to = c->dtype == ir::DataType::kInt64 ? ir::DataType::kInt32 : c->dtype;  // as add_static
  } else {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId like, input_tensor(ctx, n, 1));
    to = ctx.graph.tensor(like).dtype;
  }
  return emit_cast(ctx, n, x, to);
}

}  // namespace

void register_unary_translators(std::vector<Translator>& out) {
  for (const UnaryOp& u : kUnaryOps) out.push_back({u.onnx, translate_unary, check_unary});
  out.push_back({"CastLike", translate_cast_like});
}

}  // namespace oqnn::onnx_import
