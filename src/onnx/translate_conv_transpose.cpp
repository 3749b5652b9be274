// ConvTranspose → TransposeConv2d (weight [cin, cout/group, kh, kw] → [kh, kw, cin,
// cout/group]). 1-D runs as 2-D over an H = 1 image; 3-D (5-D input) → TransposeConv3d
// (weight [kd, kh, kw, cin, cout/group]). Padding follows
// the ONNX reference: output_shape (or auto_pad SAME_*) fixes the output size, and an end
// padding below zero becomes output_padding (rows that only the bias reaches).
#include <algorithm>

#include "onnx/layout.h"
#include "onnx/translators.h"
#include "onnx/window.h"

namespace oqnn::onnx_import {
namespace {

Status check_conv_transpose(const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_window_attrs(n, 3));
  if (n.attr_error()) return *n.attr_error();
  return Status::ok();
}

// ONNX [cin, cog, spatial...] → [spatial..., cin, cog].
ConstTensor to_hwio_transposed(const ConstTensor& w) {
  const int64_t ci = w.shape[0], co = w.shape[1];
  ir::Shape shape(w.shape.begin() + 2, w.shape.end());
  const int64_t taps = ir::num_elements(shape);
  const auto* src = reinterpret_cast<const float*>(w.data->data());
  std::vector<std::byte> bytes(static_cast<size_t>(ci * co * taps) * sizeof(float));
  auto* dst = reinterpret_cast<float*>(bytes.data());
  for (int64_t i = 0; i < ci; ++i)
    for (int64_t o = 0; o < co; ++o)
      for (int64_t k = 0; k < taps; ++k) dst[(k * ci + i) * co + o] = src[(i * co + o) * taps + k];
  shape.push_back(ci);
  shape.push_back(co);
  return make_const_bytes(ir::DataType::kFloat32, std::move(shape), std::move(bytes));
}

// The last `r` values of a per-dim attribute (output_shape may also list N and C).
std::vector<int64_t> spatial_attr(const OnnxNode& n, const char* name, size_t r) {
  std::vector<int64_t> v = n.attr_ints(name, std::vector<int64_t>(r, 0));
  return std::vector<int64_t>(v.end() - static_cast<int64_t>(r), v.end());
}

struct TransposeWindow {
  std::vector<int64_t> pad_amount, output_padding;  // IR form, 2-D or 3-D
};

Expected<TransposeWindow> transpose_window(const OnnxNode& n, const Window2d& win,
                                           const std::vector<int64_t>& kernel,
                                           const std::vector<int64_t>& in) {
  const size_t r = in.size();
  for (const char* a : {"output_padding", "output_shape"})
    if (n.has_attr(a) && n.attr_ints(a).size() != r && n.attr_ints(a).size() != r + 2)
      return n.bad_input(std::string(a) + " has " + std::to_string(n.attr_ints(a).size()) +
                         " values, expected " + std::to_string(r));
  const std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  std::vector<int64_t> opad = spatial_attr(n, "output_padding", r);
  std::vector<int64_t> out_shape = spatial_attr(n, "output_shape", r);
  std::vector<int64_t> pads = n.attr_ints("pads", std::vector<int64_t>(2 * r, 0));
  if (auto_pad == "VALID") pads.assign(2 * r, 0);
  const size_t ir_rank = std::max<size_t>(r, 2);
  TransposeWindow t{std::vector<int64_t>(2 * ir_rank, 0), std::vector<int64_t>(ir_rank, 0)};
  for (size_t i = 0; i < r; ++i) {
    const size_t d = i + ir_rank - r;  // IR dim: 1-D windows are the W dim
    const int64_t s = win.stride[d], dil = win.dilation[d];
    if (opad[i] < 0 || opad[i] > (int64_t{1} << 20)) return n.bad_input("bad output_padding");
    const int64_t natural = s * (in[i] - 1) + opad[i] + dil * (kernel[i] - 1) + 1;
    int64_t begin = pads[i], out = natural - pads[i] - pads[i + r];
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      out = n.has_attr("output_shape") ? out_shape[i] : in[i] * s;
      const int64_t total = natural - out;
      const int64_t half = total >= 0 ? total / 2 : -((-total + 1) / 2);  // floor division
      begin = auto_pad == "SAME_UPPER" ? half : total - half;
    } else if (n.has_attr("output_shape")) {
      out = out_shape[i];
    }
    if (begin < 0) return n.unsupported("negative leading padding is not supported");
    if (out < 1) return n.bad_input("the output would be empty");
    // out = natural - opad + output_padding - begin - end, with both IR values >= 0.
    const int64_t extra = out - (natural - opad[i] - begin);
    t.pad_amount[2 * d] = begin;
    t.pad_amount[2 * d + 1] = extra < 0 ? -extra : 0;
    t.output_padding[d] = extra > 0 ? extra : 0;
  }
  return t;
}

Status translate_conv_transpose(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_conv_transpose(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 3 || xs.size() > 5)
    return n.unsupported("only 1-D to 3-D ConvTranspose is supported (input has shape " +
                         ir::shape_str(xs) + ")");
  const bool row = xs.size() == 3, volume = xs.size() == 5;
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* wc, const_input(ctx, n, 1, "weight"));
  if (wc->dtype != ir::DataType::kFloat32) return n.unsupported("weight must be float32");
  if (wc->shape.size() != xs.size())
    return n.bad_input("weight must be rank " + std::to_string(xs.size()) + ", got " +
                       ir::shape_str(wc->shape));
  ConstTensor w = to_ir_const(*wc);
  if (row) w.shape = {w.shape[0], w.shape[1], 1, w.shape[2]};
  const int64_t group = n.attr_int("group", 1);
  if (group < 1 || w.shape[0] != xs[1] || xs[1] % group != 0)
    return n.bad_input("weight " + ir::shape_str(wc->shape) + " and group " +
                       std::to_string(group) + " do not fit input " + ir::shape_str(xs));
  std::vector<int64_t> kernel(wc->shape.begin() + 2, wc->shape.end());
  std::vector<int64_t> in(xs.begin() + 2, xs.end());
  if (n.has_attr("kernel_shape") && n.attr_ints("kernel_shape") != kernel)
    return n.bad_input("kernel_shape does not match the weight " + ir::shape_str(wc->shape));
  // resolve_window reads strides/dilations; its pads are the forward conv's, not used.
  OQNN_ASSIGN_OR_RETURN(WindowNd win,
                        volume ? resolve_window_nd(n, kernel, in) : resolve_window(n, kernel, in));
  OQNN_ASSIGN_OR_RETURN(TransposeWindow tw, transpose_window(n, win, kernel, in));

  const int64_t cout = w.shape[1] * group;
  std::vector<ir::TensorId> inputs;
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, window_input(ctx, n, x));
  inputs.push_back(xl);
  inputs.push_back(ctx.add_static(n.input(1), to_hwio_transposed(w)));
  OQNN_RETURN_IF_ERROR(append_conv_bias(ctx, n, cout, inputs));
  ir::Params p;
  p.set("stride", win.stride);
  p.set("dilation", win.dilation);
  p.set("pad_amount", tw.pad_amount);
  p.set("output_padding", tw.output_padding);
  p.set("group", group);
  return emit_window_op(ctx, n, volume ? "TransposeConv3d" : "TransposeConv2d", row,
                        std::move(inputs), std::move(p));
}

}  // namespace

void register_conv_transpose_translators(std::vector<Translator>& out) {
  out.push_back({"ConvTranspose", translate_conv_transpose, check_conv_transpose});
}

}  // namespace oqnn::onnx_import
