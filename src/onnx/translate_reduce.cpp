// The ONNX reductions (ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd, ReduceL1,
// ReduceL2, ReduceLogSum, ReduceLogSumExp, ReduceSumSquare) → the IR op of the same name.
// Axes are an attribute before opset 18 (13 for ReduceSum) and a constant input from it
// on; no axes means all of them, unless noop_with_empty_axes makes the node an identity.
#include <string_view>

#include "onnx/shape_rules.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

int64_t axes_input_opset(std::string_view op) {
  return op == "ReduceSum" ? 13 : 18;
}

Status check_reduce(const OnnxNode& n) {
  if (n.opset() < axes_input_opset(n.op_type()) && n.has_input(1))
    return n.bad_input("takes one input before opset " +
                       std::to_string(axes_input_opset(n.op_type())));
  return Status::ok();
}

Status translate_reduce(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_reduce(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const int64_t from = axes_input_opset(n.op_type());
  const ConstTensor* axes_in = nullptr;
  if (n.opset() >= from && n.has_input(1)) {
    OQNN_ASSIGN_OR_RETURN(axes_in, const_input(ctx, n, 1, "axes"));
  }
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  std::vector<int64_t> axes = axes_operand(n, axes_in, from).value_or(std::vector<int64_t>{});
  if (axes.empty()) {
    if (n.attr_int("noop_with_empty_axes", 0) != 0) {
      ctx.set_tensor(n.output(0), x);  // ONNX defines this case as the identity
      return Status::ok();
    }
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  }
  OQNN_ASSIGN_OR_RETURN(axes, normalize_axes(axes, rank, n.prefix()));
  ir::Params p;
  p.set("axes", axes);
  p.set("keep_dims", int64_t{n.attr_int("keepdims", 1) != 0 ? 1 : 0});
  return emit_main(ctx, n, n.op_type(), {x}, std::move(p));
}

}  // namespace

void register_reduce_translators(std::vector<Translator>& out) {
  for (std::string_view op :
       {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
        "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"})
    out.push_back({op, translate_reduce, check_reduce});
}

}  // namespace oqnn::onnx_import
