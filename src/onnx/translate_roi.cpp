// RoiAlign → RoiAlign on the channel-last input (rois and batch_indices as they are; int64
// batch indices are int32 at run time). spatial_scale → img_size_ratio [s, s];
// coordinate_transformation_mode half_pixel (opset 16's default) → aligned 1,
// output_half_pixel (opset 10's only behaviour) → aligned 0; mode avg|max as is.
#include <cmath>

#include "onnx/layout.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status check_roi_align(const OnnxNode& n) {
  std::string mode = n.attr_string("mode", "avg");
  if (mode != "avg" && mode != "max") return n.bad_input("unknown mode '" + mode + "'");
  std::string ctm = n.attr_string("coordinate_transformation_mode", "half_pixel");
  if (n.opset() >= 16 && ctm != "half_pixel" && ctm != "output_half_pixel")
    return n.bad_input("unknown coordinate_transformation_mode '" + ctm + "'");
  for (const char* a : {"output_height", "output_width"})
    if (n.attr_int(a, 1) < 1 || n.attr_int(a, 1) > (int64_t{1} << 20))
      return n.bad_input(std::string(a) + " must be between 1 and 2^20, got " +
                         std::to_string(n.attr_int(a, 1)));
  int64_t sr = n.attr_int("sampling_ratio", 0);
  if (sr < 0 || sr > (int64_t{1} << 20))
    return n.bad_input("sampling_ratio must be between 0 and 2^20, got " + std::to_string(sr));
  return check_spatial_scale(n);
}

Status translate_roi_align(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_roi_align(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId rois, input_tensor(ctx, n, 1));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId idx, input_tensor(ctx, n, 2));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  if (xs.size() != 4) return n.bad_input("X must be rank 4 [N, C, H, W], got " + ir::shape_str(xs));
  if (ctx.graph.tensor(rois).dtype != ir::DataType::kFloat32)
    return n.unsupported("rois must be float32");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  const double scale = n.attr_float("spatial_scale", 1.0);
  const bool half_pixel = n.opset() >= 16 && n.attr_string("coordinate_transformation_mode",
                                                           "half_pixel") == "half_pixel";
  ir::Params p;
  p.set("img_size_ratio", std::vector<double>{scale, scale});
  p.set("output_height", n.attr_int("output_height", 1));
  p.set("output_width", n.attr_int("output_width", 1));
  p.set("sampling_ratio", n.attr_int("sampling_ratio", 0));
  p.set("aligned", int64_t{half_pixel ? 1 : 0});
  p.set("mode", n.attr_string("mode", "avg"));
  return emit_channel_last(ctx, n, "RoiAlign", {xl, rois, idx}, std::move(p));
}

}  // namespace

Status check_spatial_scale(const OnnxNode& n) {
  double scale = n.attr_float("spatial_scale", 1.0);
  if (!std::isfinite(scale) || scale <= 0)
    return n.bad_input("spatial_scale must be positive and finite, got " + std::to_string(scale));
  if (n.attr_error()) return *n.attr_error();
  return Status::ok();
}

void register_roi_translators(std::vector<Translator>& out) {
  out.push_back({"RoiAlign", translate_roi_align, check_roi_align});
}

}  // namespace oqnn::onnx_import
