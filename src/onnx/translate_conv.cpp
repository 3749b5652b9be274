// Conv → Conv2d (weights converted to HWIO) or, when group == in channels == out channels,
// DepthWiseConv2d (weights [kh, kw, 1, cout]). 1-D convolution runs as 2-D over an
// H = 1 image (speech models); 3-D (5-D input) → Conv3d (weights [kd, kh, kw, cin_g, cout];
// a depthwise 3-D conv stays Conv3d with group == channels, as in QNN).
#include <cstring>

#include "onnx/layout.h"
#include "onnx/translators.h"
#include "onnx/window.h"

namespace oqnn::onnx_import {
namespace {

// ONNX [cout, cin_g, spatial...] → [spatial..., cin_g, cout]; depthwise is cin_g == 1.
ConstTensor to_hwio(const ConstTensor& w) {
  const int64_t co = w.shape[0], ci = w.shape[1];
  ir::Shape shape(w.shape.begin() + 2, w.shape.end());
  const int64_t taps = ir::num_elements(shape);
  // Read in place (float32 data is aligned: owned strings, or aligned external views).
  const auto* src = reinterpret_cast<const float*>(w.data->data());
  std::vector<std::byte> bytes(w.byte_size());
  auto* dst = reinterpret_cast<float*>(bytes.data());
  for (int64_t o = 0; o < co; ++o)
    for (int64_t i = 0; i < ci; ++i)
      for (int64_t k = 0; k < taps; ++k) dst[(k * ci + i) * co + o] = src[(o * ci + i) * taps + k];
  shape.push_back(ci);
  shape.push_back(co);
  return make_const_bytes(ir::DataType::kFloat32, std::move(shape), std::move(bytes));
}

Status check_conv(const OnnxNode& n) {
  if (n.has_attr("kernel_shape") && n.attr_ints("kernel_shape").size() > 3)
    return n.unsupported(std::to_string(n.attr_ints("kernel_shape").size()) +
                         "-D convolution is not supported (only 1-D to 3-D)");
  return check_window_attrs(n, 3);
}

// The weight as ONNX [cout, cin/group, spatial...]; a 1-D weight gets kh = 1.
Expected<ConstTensor> weight_2d(ImportContext& ctx, const OnnxNode& n, size_t rank) {
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* w, const_input(ctx, n, 1, "weight"));
  if (w->dtype != ir::DataType::kFloat32)
    return n.unsupported("weight type " + std::string(ir::dtype_name(w->dtype)) +
                         " is not supported (float32 only)");
  if (w->shape.size() != rank)
    return n.bad_input("weight must be rank " + std::to_string(rank) + ", got " +
                       ir::shape_str(w->shape));
  ConstTensor w4 = to_ir_const(*w);  // float64 weights become float32
  if (rank == 3) w4.shape = {w->shape[0], w->shape[1], 1, w->shape[2]};
  return w4;
}

Status translate_conv(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_conv(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 3 || xs.size() > 5)
    return n.unsupported(std::to_string(static_cast<int64_t>(xs.size()) - 2) +
                         "-D convolution is not supported (only 1-D to 3-D; input has shape " +
                         ir::shape_str(xs) + ")");
  const bool row = xs.size() == 3;  // 1-D: a 2-D convolution over an H = 1 image
  const bool volume = xs.size() == 5;
  OQNN_ASSIGN_OR_RETURN(ConstTensor w, weight_2d(ctx, n, xs.size()));
  int64_t cout = w.shape[0], cin_g = w.shape[1], group = n.attr_int("group", 1);
  if (group < 1 || cin_g * group != xs[1] || cout % group != 0)
    return n.bad_input("weight " + ir::shape_str(w.shape) + " and group " + std::to_string(group) +
                       " do not fit input " + ir::shape_str(xs));
  std::vector<int64_t> kernel(w.shape.begin() + 2, w.shape.end()), in(xs.begin() + 2, xs.end());
  if (row) kernel = {w.shape[3]};
  if (n.has_attr("kernel_shape") && n.attr_ints("kernel_shape") != kernel)
    return n.bad_input("kernel_shape does not match the weight " + ir::shape_str(w.shape));
  OQNN_ASSIGN_OR_RETURN(WindowNd win,
                        volume ? resolve_window_nd(n, kernel, in) : resolve_window(n, kernel, in));

  std::vector<ir::TensorId> inputs;
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, window_input(ctx, n, x));
  inputs.push_back(xl);
  inputs.push_back(ctx.add_static(n.input(1), to_hwio(w)));
  OQNN_RETURN_IF_ERROR(append_conv_bias(ctx, n, cout, inputs));
  bool depthwise = !volume && group > 1 && group == xs[1] && group == cout;
  ir::Params p;
  p.set("stride", win.stride);
  p.set("dilation", win.dilation);
  p.set("pad_amount", win.pad_amount);
  if (!depthwise) p.set("group", group);
  const std::string op = volume ? "Conv3d" : depthwise ? "DepthWiseConv2d" : "Conv2d";
  return emit_window_op(ctx, n, op, row, std::move(inputs), std::move(p));
}

}  // namespace

Status append_conv_bias(ImportContext& ctx, const OnnxNode& n, int64_t cout,
                        std::vector<ir::TensorId>& inputs) {
  if (!n.has_input(2)) return Status::ok();
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* b, const_input(ctx, n, 2, "bias"));
  if (b->numel() != cout) return n.bad_input("bias must have " + std::to_string(cout) + " values");
  if (b->dtype != ir::DataType::kFloat32) return n.unsupported("bias must be float32");
  inputs.push_back(ctx.tensor_of(n.input(2)));
  return Status::ok();
}

void register_conv_translators(std::vector<Translator>& out) {
  out.push_back({"Conv", translate_conv, check_conv});
}

}  // namespace oqnn::onnx_import
