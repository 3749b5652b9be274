#include <algorithm>

#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

std::vector<Translator> build_table() {
  std::vector<Translator> t;
  register_conv_translators(t);
  register_pool_translators(t);
  register_norm_translators(t);
  register_activation_translators(t);
  register_elementwise_translators(t);
  register_unary_translators(t);
  register_linear_translators(t);
  register_layout_translators(t);
  register_recurrent_translators(t);
  register_resize_translators(t);
  register_sample_translators(t);
  register_roi_translators(t);
  register_quantize_translators(t);
  register_detection_translators(t);
  register_pad_translators(t);
  register_reduce_translators(t);
  register_normalization_translators(t);
  register_einsum_translators(t);
  register_indexing_translators(t);
  register_conv_transpose_translators(t);
  std::sort(t.begin(), t.end(),
            [](const Translator& a, const Translator& b) { return a.op_type < b.op_type; });
  return t;
}

}  // namespace

const Translator* find_translator(std::string_view op_type) {
  static const std::vector<Translator> kTable = build_table();  // built once, read-only
  auto it = std::lower_bound(kTable.begin(), kTable.end(), op_type,
                             [](const Translator& t, std::string_view o) { return t.op_type < o; });
  return it != kTable.end() && it->op_type == op_type ? &*it : nullptr;
}

Expected<ir::TensorId> input_tensor(ImportContext& ctx, const OnnxNode& n, size_t i) {
  if (!n.has_input(i)) return n.bad_input("required input " + std::to_string(i) + " is missing");
  return ctx.tensor_of(n.input(i));
}

Expected<const ConstTensor*> const_input(ImportContext& ctx, const OnnxNode& n, size_t i,
                                         const std::string& role) {
  if (!n.has_input(i)) return n.bad_input(role + " (input " + std::to_string(i) + ") is missing");
  const ConstTensor* c = ctx.const_of(n.input(i));
  if (!c)
    return n.unsupported(role + " '" + n.input(i) +
                         "' is computed at run time; only a constant is supported");
  return c;
}

Status emit_main(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                 std::vector<ir::TensorId> inputs, ir::Params params) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId out,
                        ctx.emit(n.name(), op, std::move(inputs), std::move(params), n.output(0)));
  ctx.set_tensor(n.output(0), out);
  return Status::ok();
}

Status emit_cast(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, ir::DataType to) {
  auto cast_params = [](ir::DataType dt) {
    ir::Params p;
    p.set("to", std::string(ir::dtype_name(dt)));
    return p;
  };
  if (to == ir::DataType::kFloat16) {
    OQNN_ASSIGN_OR_RETURN(x, ctx.emit(n.name(), "Cast", {x}, cast_params(to),
                                      ctx.aux_tensor_name(n.output(0) + "_float16")));
    to = ir::DataType::kFloat32;
    OQNN_ASSIGN_OR_RETURN(x, ctx.emit(ctx.aux_node_name(n.name() + "_float32"), "Cast", {x},
                                      cast_params(to), n.output(0)));
  } else if (to != ctx.graph.tensor(x).dtype) {
    OQNN_ASSIGN_OR_RETURN(x, ctx.emit(n.name(), "Cast", {x}, cast_params(to), n.output(0)));
  }
  ctx.set_tensor(n.output(0), x);
  return Status::ok();
}

}  // namespace oqnn::onnx_import
