// QuantizeLinear / DequantizeLinear (opsets 10, 13, 19, 21) → the IR's Quantize / Dequantize
// with constant scale and zero point as params (ir/affine_quant.h), or, when the data is a
// constant too, folded here: a QDQ model's int8 weights and int32 biases, each behind a
// DequantizeLinear, become float32 constants, so the ops reading them see static weights.
// Per tensor (scalar or one-element scale), per axis (1-D scale, `axis`) and blocked
// (opset 21 `block_size`, scale shaped like the data). float8 and int4 data have no IR type
// and stop at the tensor that holds them (exit 3).
#include "ir/affine_quant.h"
#include "onnx/const_fold.h"
#include "onnx/shape_rules.h"
#include "onnx/tensor_proto.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

using ir::DataType;

bool is_dequantize(const OnnxNode& n) {
  return n.op_type() == "DequantizeLinear";
}

// The integer type of the codes: the zero point's, else (QuantizeLinear) output_dtype or
// uint8; for DequantizeLinear the data's, which the zero point must match.
Expected<DataType> code_type(const OnnxNode& n, DataType x, const ConstTensor* zp) {
  if (is_dequantize(n)) {
    if (zp && zp->dtype != x)
      return n.bad_input("zero point is " + std::string(ir::dtype_name(zp->dtype)) + ", the data " +
                         std::string(ir::dtype_name(x)));
    return x;
  }
  if (zp) return zp->dtype;
  int64_t out = n.attr_int("output_dtype", 0);
  if (out == 0) return DataType::kUInt8;
  auto dt = dtype_from_onnx(static_cast<int32_t>(out));
  if (!dt)
    return n.unsupported("output_dtype " + onnx_dtype_name(static_cast<int32_t>(out)) +
                         " is not supported yet");
  return *dt;
}

// Where the scale's shape says the parameters go; errors name the node.
Status place_params(const OnnxNode& n, const ir::Shape& x, const ir::Shape& scale,
                    ir::AffineQuant& q) {
  int64_t rank = static_cast<int64_t>(x.size());
  q.block_size = n.attr_int("block_size", 0);
  if (q.block_size < 0) return n.bad_input("block_size must not be negative");
  if (q.block_size == 0 && ir::num_elements(scale) == 1 && scale.size() <= 1) return Status::ok();
  int64_t axis_attr = n.attr_int("axis", 1);
  auto axis = normalize_axis(axis_attr, rank);
  if (!axis)
    return n.bad_input("axis " + std::to_string(axis_attr) + " is out of range for rank " +
                       std::to_string(rank));
  q.axis = *axis;
  if (q.block_size == 0) {
    if (scale.size() != 1)
      return n.bad_input("a per-axis scale must be 1-D, not " + ir::shape_str(scale));
    return Status::ok();
  }
  ir::Shape want = x;
  auto a = static_cast<size_t>(q.axis);
  want[a] = (x[a] + q.block_size - 1) / q.block_size;
  if (scale != want)
    return n.bad_input("a blocked scale of " + ir::shape_str(x) + " in blocks of " +
                       std::to_string(q.block_size) + " along axis " + std::to_string(q.axis) +
                       " must be " + ir::shape_str(want) + ", not " + ir::shape_str(scale));
  return Status::ok();
}

// The node's parameters for data of shape `x` and type `x_type`, checked; `qtype` receives
// the code type.
Expected<ir::AffineQuant> affine_params(const OnnxNode& n, const ir::Shape& x, DataType x_type,
                                        const ConstTensor& scale, const ConstTensor* zp,
                                        DataType& qtype) {
  if (!scale.is_floating()) return n.bad_input("scale is not a float tensor");
  OQNN_ASSIGN_OR_RETURN(qtype, code_type(n, x_type, zp));
  // A scalar and a one-element tensor are the same per-tensor parameter (onnxruntime mixes
  // them); otherwise the shapes must agree.
  if (zp && zp->shape != scale.shape && !(zp->numel() == 1 && scale.numel() == 1))
    return n.bad_input("zero point " + ir::shape_str(zp->shape) + " and scale " +
                       ir::shape_str(scale.shape) + " differ in shape");
  ir::AffineQuant q;
  OQNN_RETURN_IF_ERROR(place_params(n, x, scale.shape, q));
  for (double s : to_doubles(scale)) q.scale.push_back(static_cast<float>(s));
  q.zero_point = zp ? to_ints(*zp) : std::vector<int64_t>(q.scale.size(), 0);
  std::string why = ir::check_affine_quant(q, x, qtype);
  if (!why.empty()) return n.bad_input(why);
  return q;
}

Status translate_quantize(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* scale, const_input(ctx, n, 1, "scale"));
  const ConstTensor* zp = nullptr;
  if (n.has_input(2)) {
    OQNN_ASSIGN_OR_RETURN(zp, const_input(ctx, n, 2, "zero point"));
  }
  const ir::Tensor& xt = ctx.graph.tensor(x);
  DataType qtype;
  OQNN_ASSIGN_OR_RETURN(ir::AffineQuant q, affine_params(n, xt.shape, xt.dtype, *scale, zp, qtype));
  ir::Params p;
  ir::set_affine_quant(p, q);
  if (is_dequantize(n)) return emit_main(ctx, n, "Dequantize", {x}, std::move(p));
  p.set("dtype", std::string(ir::dtype_name(qtype)));
  return emit_main(ctx, n, "Quantize", {x}, std::move(p));
}

Expected<std::vector<ConstTensor>> fold_quantize(const OnnxNode& n,
                                                 std::span<const ConstTensor* const> in) {
  const ConstTensor& x = *in[0];
  const ConstTensor* zp = in.size() > 2 ? in[2] : nullptr;
  DataType qtype;
  OQNN_ASSIGN_OR_RETURN(ir::AffineQuant q, affine_params(n, x.shape, x.dtype, *in[1], zp, qtype));
  ir::AffineIndex at(q, x.shape);
  if (is_dequantize(n)) {
    if (x.is_floating()) return n.bad_input("data is a float tensor");
    auto codes = to_ints(x);
    std::vector<double> v(codes.size());
    for (size_t i = 0; i < v.size(); ++i) {
      size_t c = at(static_cast<int64_t>(i));
      v[i] = ir::dequantize_affine(codes[i], q.scale[c], q.zero_point[c]);
    }
    // A float16 scale makes a float16 result (rounded once, as onnxruntime).
    DataType out = in[1]->dtype == DataType::kFloat16 ? DataType::kFloat16 : DataType::kFloat32;
    return std::vector<ConstTensor>{make_const_doubles(out, x.shape, v)};
  }
  if (!x.is_floating()) return n.bad_input("data is not a float tensor");
  auto reals = to_doubles(x);
  std::vector<int64_t> v(reals.size());
  int64_t lo = ir::dtype_min(qtype), hi = ir::dtype_max(qtype);
  for (size_t i = 0; i < v.size(); ++i) {
    size_t c = at(static_cast<int64_t>(i));
    v[i] = ir::quantize_affine(static_cast<float>(reals[i]), q.scale[c], q.zero_point[c], lo, hi);
  }
  return std::vector<ConstTensor>{make_const_ints(qtype, x.shape, v)};
}

}  // namespace

void register_quantize_translators(std::vector<Translator>& out) {
  out.push_back({"QuantizeLinear", translate_quantize});
  out.push_back({"DequantizeLinear", translate_quantize});
}

void register_quantize_folders(std::vector<FoldEntry>& out) {
  out.push_back({"QuantizeLinear", fold_quantize, 2});
  out.push_back({"DequantizeLinear", fold_quantize, 2});
}

}  // namespace oqnn::onnx_import
