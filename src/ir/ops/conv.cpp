// Conv2d and DepthWiseConv2d (NHWC activations, HWIO weights).
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> conv_rule(const Graph& g, const Node& n, bool depthwise) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& w = input_shape(g, n, 1);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  if (w.size() != 4) return shape_error(n, "weight must be rank 4 (HWIO), got " + shape_str(w));
  auto stride = n.params.get_ints("stride", {1, 1});
  auto dil = n.params.get_ints("dilation", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  if (stride.size() != 2 || dil.size() != 2 || pad.size() != 4)
    return shape_error(n, "stride/dilation need 2 values and pad_amount 4");
  if (stride[0] < 1 || stride[1] < 1 || dil[0] < 1 || dil[1] < 1)
    return shape_error(n, "stride and dilation must be >= 1");
  // Bounded so that the arithmetic below cannot overflow (params may come from files).
  auto too_large = [](int64_t v) { return v > (int64_t{1} << 20); };
  for (int64_t v : {stride[0], stride[1], dil[0], dil[1]})
    if (too_large(v)) return shape_error(n, "stride or dilation too large");
  for (int64_t p : pad)
    if (p < 0 || p > kMaxElements) return shape_error(n, "pad_amount must be in [0, 2^40]");
  int64_t cout = w[3];
  if (depthwise) {
    if (w[2] != 1 || x[3] < 1 || cout % x[3] != 0)
      return shape_error(
          n, "depthwise weight " + shape_str(w) + " does not fit input " + shape_str(x));
  } else {
    int64_t group = n.params.get_int("group", 1);
    if (group < 1 || x[3] % group != 0 || cout % group != 0 || w[2] * group != x[3])
      return shape_error(n, "weight " + shape_str(w) + " and group " + std::to_string(group) +
                                " do not fit input " + shape_str(x));
  }
  if (has_input(n, 2) && num_elements(input_shape(g, n, 2)) != cout)
    return shape_error(n, "bias must have " + std::to_string(cout) + " elements");
  int64_t eh = dil[0] * (w[0] - 1) + 1, ew = dil[1] * (w[1] - 1) + 1;
  int64_t ho = (x[1] + pad[0] + pad[1] - eh) / stride[0] + 1;
  int64_t wo = (x[2] + pad[2] + pad[3] - ew) / stride[1] + 1;
  if (ho < 1 || wo < 1) return shape_error(n, "kernel larger than padded input");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, {x[0], ho, wo, cout}}};
}

Expected<std::vector<OutputInfo>> conv2d_rule(const Graph& g, const Node& n) {
  return conv_rule(g, n, false);
}
Expected<std::vector<OutputInfo>> dwconv_rule(const Graph& g, const Node& n) {
  return conv_rule(g, n, true);
}

std::vector<ParamDef> conv_params(bool with_group) {
  std::vector<ParamDef> p = {{"stride", ParamKind::kInts},
                             {"dilation", ParamKind::kInts},
                             {"pad_amount", ParamKind::kInts}};
  if (with_group) p.push_back({"group", ParamKind::kInt});
  add_fused_activation_params(p);
  return p;
}

}  // namespace

void register_conv_ops(std::vector<OpDef>& ops) {
  ops.push_back({"Conv2d",
                 "2-D convolution, NHWC input, [kh,kw,cin/group,cout] weight",
                 {"in", "weight", "bias"},
                 2,
                 3,
                 conv_params(true),
                 conv2d_rule,
                 false,
                 {"Conv"}});
  ops.push_back({"DepthWiseConv2d",
                 "depthwise 2-D convolution, weight [kh,kw,1,cin*multiplier]",
                 {"in", "weight", "bias"},
                 2,
                 3,
                 conv_params(false),
                 dwconv_rule,
                 false,
                 {"Conv (group == channels)"}});
}

}  // namespace oqnn::ir
