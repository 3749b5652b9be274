// Transposed convolution: TransposeConv2d (NHWC activations, weight [kh, kw, cin,
// cout/group] as QNN's) and TransposeConv3d (NDHWC, weight [kd, kh, kw, cin, cout/group]).
// One rule for every spatial rank r: stride/dilation/output_padding have r values,
// pad_amount 2r ([begin, end] per axis).
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

// out = stride*(in-1) + output_padding + dilation*(k-1) + 1 - pad_begin - pad_end.
Expected<int64_t> transpose_conv_dim(const Node& n, int64_t in, int64_t k, int64_t s, int64_t d,
                                     int64_t op, int64_t p0, int64_t p1) {
  int64_t out = s * (in - 1) + op + d * (k - 1) + 1 - p0 - p1;
  if (out < 1) return shape_error(n, "padding leaves no output");
  return out;
}

Expected<std::vector<OutputInfo>> transpose_conv_rule(const Graph& g, const Node& n, size_t r) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& w = input_shape(g, n, 1);
  const std::string rank = std::to_string(r + 2);
  if (x.size() != r + 2)
    return shape_error(n, "input must be rank " + rank + (r == 3 ? " (NDHWC)" : " (NHWC)") +
                              ", got " + shape_str(x));
  if (w.size() != r + 2)
    return shape_error(
        n, "weight must be rank " + rank +
               (r == 3 ? " [kd, kh, kw, cin, cout/group]" : " [kh, kw, cin, cout/group]") +
               ", got " + shape_str(w));
  const std::vector<int64_t> ones(r, 1), zeros(r, 0);
  auto stride = n.params.get_ints("stride", ones);
  auto dil = n.params.get_ints("dilation", ones);
  auto pad = n.params.get_ints("pad_amount", std::vector<int64_t>(2 * r, 0));
  auto opad = n.params.get_ints("output_padding", zeros);
  if (stride.size() != r || dil.size() != r || pad.size() != 2 * r || opad.size() != r)
    return shape_error(n, "stride/dilation/output_padding need " + std::to_string(r) +
                              " values and pad_amount " + std::to_string(2 * r));
  constexpr int64_t kLimit = int64_t{1} << 20;  // keeps the arithmetic in range
  for (size_t i = 0; i < r; ++i)
    if (stride[i] < 1 || stride[i] > kLimit || dil[i] < 1 || dil[i] > kLimit)
      return shape_error(n, "stride and dilation must be in [1, 2^20]");
  for (size_t i = 0; i < 3 * r; ++i)
    if (int64_t v = i < 2 * r ? pad[i] : opad[i - 2 * r]; v < 0 || v > kLimit)
      return shape_error(n, "pad_amount/output_padding must be in [0, 2^20]");
  const int64_t group = n.params.get_int("group", 1), cin = x[r + 1];
  bool fits = group >= 1 && w[r] == cin && cin % group == 0;
  for (size_t i = 0; i < r; ++i) fits = fits && w[i] >= 1 && w[i] <= kLimit;
  if (!fits)
    return shape_error(n, "weight " + shape_str(w) + " and group " + std::to_string(group) +
                              " do not fit input " + shape_str(x));
  int64_t cout = w[r + 1] * group;
  if (has_input(n, 2) && num_elements(input_shape(g, n, 2)) != cout)
    return shape_error(n, "bias must have " + std::to_string(cout) + " elements");
  Shape out{x[0]};
  for (size_t i = 0; i < r; ++i) {
    OQNN_ASSIGN_OR_RETURN(int64_t o, transpose_conv_dim(n, x[i + 1], w[i], stride[i], dil[i],
                                                        opad[i], pad[2 * i], pad[2 * i + 1]));
    out.push_back(o);
  }
  out.push_back(cout);
  if (checked_num_elements(out) < 0) return shape_error(n, "output too large");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

Expected<std::vector<OutputInfo>> transpose_conv2d_rule(const Graph& g, const Node& n) {
  return transpose_conv_rule(g, n, 2);
}
Expected<std::vector<OutputInfo>> transpose_conv3d_rule(const Graph& g, const Node& n) {
  return transpose_conv_rule(g, n, 3);
}

OpDef transpose_conv_def(const char* name, const char* summary, ShapeRule rule,
                         const char* onnx_op) {
  return {name,
          summary,
          {"in", "weight", "bias"},
          2,
          3,
          {{"stride", ParamKind::kInts},
           {"dilation", ParamKind::kInts},
           {"pad_amount", ParamKind::kInts},
           {"output_padding", ParamKind::kInts},
           {"group", ParamKind::kInt}},
          rule,
          false,
          {onnx_op}};
}

}  // namespace

void register_spatial_ops(std::vector<OpDef>& ops) {
  ops.push_back(transpose_conv_def(
      "TransposeConv2d", "2-D transposed convolution, NHWC input, weight [kh, kw, cin, cout/group]",
      transpose_conv2d_rule, "ConvTranspose"));
  ops.push_back(transpose_conv_def(
      "TransposeConv3d",
      "3-D transposed convolution, NDHWC input, weight [kd, kh, kw, cin, cout/group]",
      transpose_conv3d_rule, "ConvTranspose (5-D input)"));
}

}  // namespace oqnn::ir
