// Conv2d and DepthWiseConv2d (NHWC activations, HWIO weights) and Conv3d (NDHWC
// activations, DHWIO weights [kd, kh, kw, cin/group, cout]; depthwise 3-D is Conv3d with
// group == channels, as in QNN, which has no DepthWiseConv3d). One rule for every
// spatial rank r: stride/dilation have r values, pad_amount 2r ([begin, end] per axis).
#include <optional>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

// Whether stride/dilation/pad_amount of a node with `r` spatial axes are well formed;
// bounded so that the shape arithmetic cannot overflow (params may come from files).
std::optional<Error> bad_window(const Node& n, size_t r, const std::vector<int64_t>& stride,
                                const std::vector<int64_t>& dil, const std::vector<int64_t>& pad) {
  const std::string rs = std::to_string(r);
  if (stride.size() != r || dil.size() != r || pad.size() != 2 * r)
    return shape_error(
        n, "stride/dilation need " + rs + " values and pad_amount " + std::to_string(2 * r));
  for (size_t i = 0; i < r; ++i) {
    if (stride[i] < 1 || dil[i] < 1) return shape_error(n, "stride and dilation must be >= 1");
    if (stride[i] > (int64_t{1} << 20) || dil[i] > (int64_t{1} << 20))
      return shape_error(n, "stride or dilation too large");
  }
  for (int64_t p : pad)
    if (p < 0 || p > kMaxElements) return shape_error(n, "pad_amount must be in [0, 2^40]");
  return std::nullopt;
}

Expected<std::vector<OutputInfo>> conv_rule(const Graph& g, const Node& n, size_t r,
                                            bool depthwise) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& w = input_shape(g, n, 1);
  const char* layout = r == 3 ? "NDHWC" : "NHWC";
  const char* wlayout = r == 3 ? "DHWIO" : "HWIO";
  if (x.size() != r + 2)
    return shape_error(n, "input must be rank " + std::to_string(r + 2) + " (" + layout +
                              "), got " + shape_str(x));
  if (w.size() != r + 2)
    return shape_error(n, "weight must be rank " + std::to_string(r + 2) + " (" + wlayout +
                              "), got " + shape_str(w));
  const std::vector<int64_t> ones(r, 1);
  auto stride = n.params.get_ints("stride", ones);
  auto dil = n.params.get_ints("dilation", ones);
  auto pad = n.params.get_ints("pad_amount", std::vector<int64_t>(2 * r, 0));
  if (auto bad = bad_window(n, r, stride, dil, pad)) return *bad;
  const int64_t cin = x[r + 1], cin_g = w[r], cout = w[r + 1];
  if (depthwise) {
    if (cin_g != 1 || cin < 1 || cout % cin != 0)
      return shape_error(
          n, "depthwise weight " + shape_str(w) + " does not fit input " + shape_str(x));
  } else {
    int64_t group = n.params.get_int("group", 1);
    if (group < 1 || cin % group != 0 || cout % group != 0 || cin_g * group != cin)
      return shape_error(n, "weight " + shape_str(w) + " and group " + std::to_string(group) +
                                " do not fit input " + shape_str(x));
  }
  if (has_input(n, 2) && num_elements(input_shape(g, n, 2)) != cout)
    return shape_error(n, "bias must have " + std::to_string(cout) + " elements");
  Shape out{x[0]};
  for (size_t i = 0; i < r; ++i) {
    if (w[i] < 1 || w[i] > kMaxElements) return shape_error(n, "bad kernel size");
    const int64_t span = dil[i] * (w[i] - 1) + 1;
    const int64_t o = (x[i + 1] + pad[2 * i] + pad[2 * i + 1] - span) / stride[i] + 1;
    if (x[i + 1] + pad[2 * i] + pad[2 * i + 1] < span || o < 1)
      return shape_error(n, "kernel larger than padded input");
    out.push_back(o);
  }
  out.push_back(cout);
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

Expected<std::vector<OutputInfo>> conv2d_rule(const Graph& g, const Node& n) {
  return conv_rule(g, n, 2, false);
}
Expected<std::vector<OutputInfo>> dwconv_rule(const Graph& g, const Node& n) {
  return conv_rule(g, n, 2, true);
}
Expected<std::vector<OutputInfo>> conv3d_rule(const Graph& g, const Node& n) {
  return conv_rule(g, n, 3, false);
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
  ops.push_back({"Conv3d",
                 "3-D convolution, NDHWC input, [kd,kh,kw,cin/group,cout] weight",
                 {"in", "weight", "bias"},
                 2,
                 3,
                 conv_params(true),
                 conv3d_rule,
                 false,
                 {"Conv (5-D input)"}});
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
