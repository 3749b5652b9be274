// Add, Sub, Mul, Div → ElementWiseAdd/Subtract/Multiply/Divide (numpy broadcasting, ONNX
// layout). A constant operand becomes a static tensor named after the ONNX value.
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

const char* ir_op(const std::string& onnx_op) {
  if (onnx_op == "Add") return "ElementWiseAdd";
  if (onnx_op == "Sub") return "ElementWiseSubtract";
  if (onnx_op == "Mul") return "ElementWiseMultiply";
  return "ElementWiseDivide";
}

Status translate_binary(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId a, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId b, input_tensor(ctx, n, 1));
  if (ctx.graph.tensor(a).dtype != ctx.graph.tensor(b).dtype)
    return n.bad_input("inputs differ in type");
  return emit_main(ctx, n, ir_op(n.op_type()), {a, b}, {});
}

}  // namespace

void register_elementwise_translators(std::vector<Translator>& out) {
  for (const char* op : {"Add", "Sub", "Mul", "Div"}) out.push_back({op, translate_binary});
}

}  // namespace oqnn::onnx_import
