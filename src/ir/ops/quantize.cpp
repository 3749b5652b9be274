// Quantize and Dequantize: ONNX QuantizeLinear / DequantizeLinear with their scale and zero
// point as parameters (ir/affine_quant.h: per tensor, per axis or blocked; round half to
// even and saturate, as onnxruntime). Quantize maps float32 to the integer type `dtype`
// (uint8, int8, uint16, int16), Dequantize an integer tensor (those and int32) to float32.
// These are graph values, not encodings: the codes are plain integers to every backend.
#include "ir/affine_quant.h"
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Status check_params(const Node& n, const Shape& x, DataType qtype) {
  std::string why = check_affine_quant(affine_quant_from(n.params), x, qtype);
  if (!why.empty()) return shape_error(n, why);
  return Status::ok();
}

Expected<std::vector<OutputInfo>> quantize_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  // A float activation, or the quantized form of one (an encoding: the HTP's finalized graph).
  if (x.dtype != DataType::kFloat32 && !x.encoding)
    return shape_error(n, "input is " + std::string(dtype_name(x.dtype)) + ", not float32");
  std::string to = n.params.get_string("dtype", "uint8");
  auto dt = dtype_from_name(to);
  if (!dt || !is_affine_quant_dtype(*dt) || *dt == DataType::kInt32)
    return shape_error(n, "cannot quantize to '" + to + "' (uint8, int8, uint16 or int16)");
  OQNN_RETURN_IF_ERROR(check_params(n, x.shape, *dt));
  return std::vector<OutputInfo>{{*dt, x.shape}};
}

Expected<std::vector<OutputInfo>> dequantize_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (!is_affine_quant_dtype(x.dtype))
    return shape_error(n, "input is " + std::string(dtype_name(x.dtype)) +
                              ", not int8, uint8, int16, uint16 or int32");
  OQNN_RETURN_IF_ERROR(check_params(n, x.shape, x.dtype));
  return std::vector<OutputInfo>{{DataType::kFloat32, x.shape}};
}

std::vector<ParamDef> affine_params() {
  return {{"scale", ParamKind::kFloats, true},
          {"zero_point", ParamKind::kInts, true},
          {"axis", ParamKind::kInt},
          {"block_size", ParamKind::kInt}};
}

}  // namespace

void register_quantize_ops(std::vector<OpDef>& ops) {
  std::vector<ParamDef> q = affine_params();
  q.push_back({"dtype", ParamKind::kString, true});
  ops.push_back({"Quantize",
                 "float -> integer codes: saturate(round_half_even(x / scale) + zero_point)",
                 {"in"},
                 1,
                 1,
                 std::move(q),
                 quantize_rule,
                 false,
                 {"QuantizeLinear"}});
  ops.push_back({"Dequantize",
                 "integer codes -> float32: (q - zero_point) * scale",
                 {"in"},
                 1,
                 1,
                 affine_params(),
                 dequantize_rule,
                 false,
                 {"DequantizeLinear"}});
}

}  // namespace oqnn::ir
