// Transposed convolution: TransposeConv2d (NHWC activations, weight [kh, kw, cin,
// cout/group] as QNN's).
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

Expected<std::vector<OutputInfo>> transpose_conv_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& w = input_shape(g, n, 1);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  if (w.size() != 4)
    return shape_error(n, "weight must be rank 4 [kh, kw, cin, cout/group], got " + shape_str(w));
  auto stride = n.params.get_ints("stride", {1, 1});
  auto dil = n.params.get_ints("dilation", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  auto opad = n.params.get_ints("output_padding", {0, 0});
  if (stride.size() != 2 || dil.size() != 2 || pad.size() != 4 || opad.size() != 2)
    return shape_error(n, "stride/dilation/output_padding need 2 values and pad_amount 4");
  constexpr int64_t kLimit = int64_t{1} << 20;  // keeps the arithmetic in range
  for (int64_t v : {stride[0], stride[1], dil[0], dil[1]})
    if (v < 1 || v > kLimit) return shape_error(n, "stride and dilation must be in [1, 2^20]");
  for (int64_t v : {pad[0], pad[1], pad[2], pad[3], opad[0], opad[1]})
    if (v < 0 || v > kLimit)
      return shape_error(n, "pad_amount/output_padding must be in [0, 2^20]");
  int64_t group = n.params.get_int("group", 1);
  if (group < 1 || w[2] != x[3] || x[3] % group != 0 || w[0] > kLimit || w[1] > kLimit)
    return shape_error(n, "weight " + shape_str(w) + " and group " + std::to_string(group) +
                              " do not fit input " + shape_str(x));
  int64_t cout = w[3] * group;
  if (has_input(n, 2) && num_elements(input_shape(g, n, 2)) != cout)
    return shape_error(n, "bias must have " + std::to_string(cout) + " elements");
  OQNN_ASSIGN_OR_RETURN(
      int64_t ho, transpose_conv_dim(n, x[1], w[0], stride[0], dil[0], opad[0], pad[0], pad[1]));
  OQNN_ASSIGN_OR_RETURN(
      int64_t wo, transpose_conv_dim(n, x[2], w[1], stride[1], dil[1], opad[1], pad[2], pad[3]));
  Shape out{x[0], ho, wo, cout};
  if (checked_num_elements(out) < 0) return shape_error(n, "output too large");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

}  // namespace

void register_spatial_ops(std::vector<OpDef>& ops) {
  ops.push_back({"TransposeConv2d",
                 "2-D transposed convolution, NHWC input, weight [kh, kw, cin, cout/group]",
                 {"in", "weight", "bias"},
                 2,
                 3,
                 {{"stride", ParamKind::kInts},
                  {"dilation", ParamKind::kInts},
                  {"pad_amount", ParamKind::kInts},
                  {"output_padding", ParamKind::kInts},
                  {"group", ParamKind::kInt}},
                 transpose_conv_rule,
                 false,
                 {"ConvTranspose"}});
}

}  // namespace oqnn::ir
