// Resampling and transposed convolution (channel-last activations, [N, spatial..., C]):
// Resize (QNN's Resize enumerations, extended with ONNX's tf_crop_and_resize,
// half_pixel_symmetric and the Upsample rounding) and TransposeConv2d.
#include <cmath>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Status check_resize_modes(const Node& n) {
  auto in_range = [&](const char* name, int64_t hi) {
    int64_t v = n.params.get_int(name, 0);
    return v >= 0 && v <= hi;
  };
  if (!in_range("interpolation_mode", 2))
    return shape_error(n, "interpolation_mode must be 0 (nearest), 1 (linear) or 2 (cubic)");
  if (!in_range("transformation_mode", 5))
    return shape_error(n, "transformation_mode must be 0..5");
  if (!in_range("nearest_mode", 4)) return shape_error(n, "nearest_mode must be 0..4");
  if (!in_range("exclude_outside", 1) || !in_range("antialias", 1))
    return shape_error(n, "exclude_outside and antialias must be 0 or 1");
  if (n.params.get_int("antialias", 0) == 1 && n.params.get_int("interpolation_mode", 0) == 0)
    return shape_error(n, "antialias needs linear or cubic interpolation");
  return Status::ok();
}

Expected<std::vector<OutputInfo>> resize_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (x.size() < 3) return shape_error(n, "input must be [N, spatial..., C], got " + shape_str(x));
  const size_t sp = x.size() - 2;
  auto size = n.params.get_ints("output_size");
  if (size.size() != sp)
    return shape_error(n, "output_size needs " + std::to_string(sp) + " values");
  auto scale = n.params.get_floats("scale");
  if (!scale.empty() && scale.size() != sp)
    return shape_error(n, "scale needs " + std::to_string(sp) + " values");
  for (double s : scale)
    if (!std::isfinite(s) || s <= 0 || s > 1e6) return shape_error(n, "scale must be in (0, 1e6]");
  if (n.params.get_int("transformation_mode", 0) == 4 &&
      n.params.get_floats("roi").size() != 2 * sp)
    return shape_error(n,
                       "tf_crop_and_resize needs roi with " + std::to_string(2 * sp) + " values");
  OQNN_RETURN_IF_ERROR(check_resize_modes(n));
  Shape out = x;
  for (size_t d = 0; d < sp; ++d) {
    if (size[d] < 1 || size[d] > kMaxElements) return shape_error(n, "output_size must be >= 1");
    out[d + 1] = size[d];
  }
  if (checked_num_elements(out) < 0) return shape_error(n, "output too large");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

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
  ops.push_back({"Resize",
                 "resample the spatial dims to output_size; interpolation_mode 0 nearest|1 "
                 "linear|2 cubic; transformation_mode 0 half_pixel|1 pytorch_half_pixel|2 "
                 "align_corners|3 asymmetric|4 tf_crop_and_resize|5 half_pixel_symmetric; "
                 "nearest_mode 0 round_prefer_floor|1 round_prefer_ceil|2 floor|3 ceil|4 simple",
                 {"in"},
                 1,
                 1,
                 {{"output_size", ParamKind::kInts, true},
                  {"scale", ParamKind::kFloats},
                  {"interpolation_mode", ParamKind::kInt},
                  {"transformation_mode", ParamKind::kInt},
                  {"nearest_mode", ParamKind::kInt},
                  {"cubic_coeff", ParamKind::kFloat},
                  {"exclude_outside", ParamKind::kInt},
                  {"antialias", ParamKind::kInt},
                  {"roi", ParamKind::kFloats},
                  {"extrapolation_value", ParamKind::kFloat}},
                 resize_rule,
                 false,
                 {"Resize", "Upsample"}});
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
