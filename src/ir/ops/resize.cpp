// Resize (QNN Resize; its ResizeBilinear and ResizeNearestNeighbor are special cases) on
// NHWC tensors, with ONNX Resize semantics resolved at import: the output size, the scale
// per spatial axis (ONNX maps coordinates with the scale, not the size ratio), the
// coordinate transformation, the interpolation and its options.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

bool one_of(const std::string& v, std::initializer_list<const char*> set) {
  for (const char* s : set)
    if (v == s) return true;
  return false;
}

Expected<std::vector<OutputInfo>> resize_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  auto size = n.params.get_ints("out_size");
  auto scale = n.params.get_floats("scale");
  if (size.size() != 2 || scale.size() != 2)
    return shape_error(n, "out_size and scale need 2 values (H, W)");
  for (int i = 0; i < 2; ++i) {
    if (size[i] < 1 || size[i] > (int64_t{1} << 24))
      return shape_error(n, "out_size must be in [1, 2^24]");
    if (!(scale[i] > 0) || scale[i] > 1e9) return shape_error(n, "scale must be > 0");
  }
  const std::string mode = n.params.get_string("mode", "nearest");
  if (!one_of(mode, {"nearest", "linear", "cubic"}))
    return shape_error(n, "mode must be nearest, linear or cubic");
  const std::string ct = n.params.get_string("coordinate_transformation_mode", "half_pixel");
  if (!one_of(ct, {"half_pixel", "half_pixel_symmetric", "pytorch_half_pixel", "align_corners",
                   "asymmetric", "tf_crop_and_resize"}))
    return shape_error(n, "unknown coordinate_transformation_mode '" + ct + "'");
  if (ct == "tf_crop_and_resize" && n.params.get_floats("roi").size() != 4)
    return shape_error(n, "tf_crop_and_resize needs roi (h0, w0, h1, w1)");
  const std::string nm = n.params.get_string("nearest_mode", "round_prefer_floor");
  if (!one_of(nm, {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"}))
    return shape_error(n, "unknown nearest_mode '" + nm + "'");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, {x[0], size[0], size[1], x[3]}}};
}

}  // namespace

void register_resize_ops(std::vector<OpDef>& ops) {
  ops.push_back({"Resize",
                 "spatial resize (NHWC): nearest, linear or cubic, ONNX coordinate modes",
                 {"in"},
                 1,
                 1,
                 {{"out_size", ParamKind::kInts, true},
                  {"scale", ParamKind::kFloats, true},
                  {"mode", ParamKind::kString},
                  {"coordinate_transformation_mode", ParamKind::kString},
                  {"nearest_mode", ParamKind::kString},
                  {"cubic_coeff_a", ParamKind::kFloat},
                  {"exclude_outside", ParamKind::kInt},
                  {"extrapolation_value", ParamKind::kFloat},
                  {"roi", ParamKind::kFloats}},
                 resize_rule,
                 false,
                 {"Resize", "Upsample"}});
}

}  // namespace oqnn::ir
