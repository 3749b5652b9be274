// NonMaxSuppression → NonMaxSuppression and NonZero → NonZero + Transpose in QNN's
// static-output form (ir/ops/detection.h): the ONNX output keeps its name and holds the
// static maximum of rows, and the valid count is a second tensor, named as QNN's converter
// names it for NMS (`<output>_valid_num_selected_indices`) and `<output>_valid_count` for
// NonZero; padded_outputs.h makes it a graph output where the padded rows reach one.
// NMS's max_output_boxes_per_class, iou_threshold and score_threshold must be constants
// (as in QNN's converter). MaxRoiPool → RoiPooling on the channel-last input.
#include <algorithm>
#include <cmath>
#include <optional>

#include "onnx/layout.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status check_nms(const OnnxNode& n) {
  int64_t cpb = n.attr_int("center_point_box", 0);
  if (cpb != 0 && cpb != 1)
    return n.bad_input("center_point_box must be 0 or 1, got " + std::to_string(cpb));
  return Status::ok();
}

// Optional scalar constant input `i`; nullopt when absent.
Expected<std::optional<double>> scalar_input(ImportContext& ctx, const OnnxNode& n, size_t i,
                                             const std::string& role) {
  if (!n.has_input(i)) return std::optional<double>{};
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* c, const_input(ctx, n, i, role));
  if (c->numel() != 1) return n.bad_input(role + " must hold one value");
  return std::optional<double>{to_doubles(*c)[0]};
}

Status translate_nms(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_nms(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId boxes, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId scores, input_tensor(ctx, n, 1));
  const ir::Shape& bs = ctx.graph.tensor(boxes).shape;
  const ir::Shape& ss = ctx.graph.tensor(scores).shape;
  if (bs.size() != 3 || bs[2] != 4)
    return n.bad_input("boxes must be [num_batches, spatial_dimension, 4], got " +
                       ir::shape_str(bs));
  if (ss.size() != 3 || ss[0] != bs[0] || ss[2] != bs[1])
    return n.bad_input(
        "scores must be [num_batches, num_classes, spatial_dimension] matching "
        "boxes " +
        ir::shape_str(bs) + ", got " + ir::shape_str(ss));
  if (ctx.graph.tensor(boxes).dtype != ir::DataType::kFloat32 ||
      ctx.graph.tensor(scores).dtype != ir::DataType::kFloat32)
    return n.unsupported("boxes and scores must be float");
  OQNN_ASSIGN_OR_RETURN(auto max, scalar_input(ctx, n, 2, "max_output_boxes_per_class"));
  OQNN_ASSIGN_OR_RETURN(auto iou, scalar_input(ctx, n, 3, "iou_threshold"));
  OQNN_ASSIGN_OR_RETURN(auto score, scalar_input(ctx, n, 4, "score_threshold"));
  if (!max || *max < 1)
    return n.unsupported("max_output_boxes_per_class " + std::to_string(max ? *max : 0.0) +
                         " selects no boxes; an empty output is not supported");
  if (iou && !(*iou >= 0.0 && *iou <= 1.0))
    return n.bad_input("iou_threshold must be in [0, 1], got " + std::to_string(*iou));
  if (score && std::isnan(*score)) return n.bad_input("score_threshold is NaN");
  ir::Params p;
  p.set("iou_threshold", iou.value_or(0.0));
  if (score) p.set("score_threshold", *score);
  p.set("max_boxes_selected", static_cast<int64_t>(std::min(*max, static_cast<double>(bs[1]))));
  p.set("center_point_box", n.attr_int("center_point_box", 0));
  const std::string& out = n.output(0);
  OQNN_ASSIGN_OR_RETURN(auto ids,
                        ctx.emit_multi(n.name(), "NonMaxSuppression", {boxes, scores}, std::move(p),
                                       {out, out + "_valid_num_selected_indices"}));
  ctx.set_tensor(out, ids[0]);
  return Status::ok();
}

Status translate_nonzero(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  if (xs.empty()) return n.unsupported("a scalar input (output [0, N]) is not supported");
  if (ir::num_elements(xs) < 1) return n.unsupported("an empty input is not supported");
  const std::string& out = n.output(0);
  OQNN_ASSIGN_OR_RETURN(auto ids,
                        ctx.emit_multi(n.name(), "NonZero", {x}, {},
                                       {ctx.aux_tensor_name(out + "_rows"), out + "_valid_count"}));
  ir::Params t;
  t.set("perm", std::vector<int64_t>{1, 0});
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, ctx.emit(ctx.aux_node_name(n.name() + "_onnx_layout"),
                                                 "Transpose", {ids[0]}, std::move(t), out));
  ctx.set_tensor(out, y);
  return Status::ok();
}

Status check_max_roi_pool(const OnnxNode& n) {
  auto pooled = n.attr_ints("pooled_shape");
  if (pooled.size() != 2) return n.bad_input("pooled_shape must hold 2 values");
  for (int64_t v : pooled)
    if (v < 1 || v > (int64_t{1} << 20))
      return n.bad_input("pooled_shape values must be between 1 and 2^20, got " +
                         std::to_string(v));
  return check_spatial_scale(n);
}

Status translate_max_roi_pool(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_max_roi_pool(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId rois, input_tensor(ctx, n, 1));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  const ir::Shape& rs = ctx.graph.tensor(rois).shape;
  if (xs.size() != 4) return n.bad_input("X must be rank 4 [N, C, H, W], got " + ir::shape_str(xs));
  if (rs.size() != 2 || rs[1] != 5)
    return n.bad_input("rois must be [num_rois, 5], got " + ir::shape_str(rs));
  if (ctx.graph.tensor(x).dtype != ir::DataType::kFloat32 ||
      ctx.graph.tensor(rois).dtype != ir::DataType::kFloat32)
    return n.unsupported("X and rois must be float");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  const auto pooled = n.attr_ints("pooled_shape");
  const double scale = n.attr_float("spatial_scale", 1.0);
  ir::Params p;
  p.set("output_height", pooled[0]);
  p.set("output_width", pooled[1]);
  p.set("img_size_ratio", std::vector<double>{scale, scale});
  return emit_channel_last(ctx, n, "RoiPooling", {xl, rois}, std::move(p));
}

}  // namespace

void register_detection_translators(std::vector<Translator>& out) {
  out.push_back({"NonMaxSuppression", translate_nms, check_nms});
  out.push_back({"NonZero", translate_nonzero, nullptr});
  out.push_back({"MaxRoiPool", translate_max_roi_pool, check_max_roi_pool});
}

}  // namespace oqnn::onnx_import
