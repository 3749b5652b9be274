// NonMaxSuppression and NonZero in QNN's static-output form (detection.h), and RoiPooling.
//
// NonMaxSuppression: boxes [B, N, 4] (y1, x1, y2, x2 in any corner order; center_point_box 1:
// x_center, y_center, width, height, an OpenQNN extension: QNN's converter refuses it) and
// scores [B, C, N] → selected_indices int32 [B * C * min(max_boxes_selected, N), 3] rows of
// (batch, class, box) in ONNX order (batch, then class, then decreasing score), and
// valid_num_selected_indices int32 [1]. max_boxes_selected is per batch and class (QNN's
// converter passes ONNX's max_output_boxes_per_class). A box is suppressed when its IoU with
// a kept one is above iou_threshold; only boxes scoring above score_threshold (when given)
// are candidates.
//
// NonZero: in (any dtype, rank >= 1) → out int32 [numel, rank] (QNN's layout, the transpose
// of ONNX's) holding the coordinates of the nonzero elements in row-major order, and the
// count int32 [1].
//
// RoiPooling (ONNX MaxRoiPool): in NHWC [N, H, W, C], rois float32 [R, 5] (batch index,
// x1, y1, x2, y2 as ONNX lays them out) → [R, output_height, output_width, C], the max of
// each bin of the box scaled by img_size_ratio [s, s] (ONNX spatial_scale) and rounded.
#include "ir/ops/detection.h"

#include <cmath>

#include "ir/ops/families.h"

namespace oqnn::ir {

bool has_valid_count(std::string_view op) {
  return op == "NonMaxSuppression" || op == "NonZero";
}

namespace {

using Rule = Expected<std::vector<OutputInfo>>;

// float32, or codes standing for floats (the HTP's quantized activations).
bool float_values(const Tensor& t) {
  return t.dtype == DataType::kFloat32 ||
         (t.encoding && (t.dtype == DataType::kUInt8 || t.dtype == DataType::kUInt16));
}

Rule nms_rule(const Graph& g, const Node& n) {
  const Shape& boxes = input_shape(g, n, 0);
  const Shape& scores = input_shape(g, n, 1);
  if (boxes.size() != 3 || boxes[2] != 4)
    return shape_error(n, "boxes must be [batch, boxes, 4], got " + shape_str(boxes));
  if (scores.size() != 3 || scores[0] != boxes[0] || scores[2] != boxes[1])
    return shape_error(n,
                       "scores must be [batch, classes, boxes] with the boxes' batch and "
                       "boxes, got " +
                           shape_str(scores) + " for boxes " + shape_str(boxes));
  if (!float_values(g.tensor(n.inputs[0])) || !float_values(g.tensor(n.inputs[1])))
    return shape_error(n, "boxes and scores must be float32 or quantized");
  const double iou = n.params.get_float("iou_threshold", 0.0);
  if (!(iou >= 0.0 && iou <= 1.0))
    return shape_error(n, "iou_threshold must be in [0, 1], got " + std::to_string(iou));
  if (n.params.has("score_threshold") && std::isnan(n.params.get_float("score_threshold")))
    return shape_error(n, "score_threshold must be a number");
  const int64_t max = n.params.get_int("max_boxes_selected", 0);
  if (max < 1 || max > kMaxElements)
    return shape_error(n,
                       "max_boxes_selected must be between 1 and 2^40, got " + std::to_string(max));
  const int64_t cpb = n.params.get_int("center_point_box", 0);
  if (cpb != 0 && cpb != 1) return shape_error(n, "center_point_box must be 0 or 1");
  const int64_t per_class = std::min(max, boxes[1]);
  if (per_class < 1) return shape_error(n, "there are no boxes");
  // At most the scores' element count (per_class <= boxes), so it cannot overflow.
  const int64_t rows = boxes[0] * scores[1] * per_class;
  if (rows > kMaxElements) return shape_error(n, "more than 2^40 selected indices");
  return std::vector<OutputInfo>{{DataType::kInt32, {rows, 3}}, {DataType::kInt32, {1}}};
}

Rule nonzero_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (x.empty()) return shape_error(n, "input must have at least one dim");
  const int64_t count = num_elements(x);
  if (count < 1) return shape_error(n, "input has no elements");
  return std::vector<OutputInfo>{{DataType::kInt32, {count, static_cast<int64_t>(x.size())}},
                                 {DataType::kInt32, {1}}};
}

Rule roi_pooling_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& rois = input_shape(g, n, 1);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  if (rois.size() != 2 || rois[1] != 5)
    return shape_error(n,
                       "rois must be [R, 5] (batch index, x1, y1, x2, y2), got " + shape_str(rois));
  if (g.tensor(n.inputs[0]).dtype != DataType::kFloat32 ||
      g.tensor(n.inputs[1]).dtype != DataType::kFloat32)
    return shape_error(n, "input and rois must be float32");
  const int64_t oh = n.params.get_int("output_height", 0);
  const int64_t ow = n.params.get_int("output_width", 0);
  constexpr int64_t kLimit = int64_t{1} << 20;
  if (oh < 1 || ow < 1 || oh > kLimit || ow > kLimit)
    return shape_error(n, "output_height and output_width must be between 1 and 2^20");
  auto ratio = n.params.get_floats("img_size_ratio", {1.0, 1.0});
  if (ratio.size() != 2 || !(ratio[0] > 0) || !(ratio[1] > 0) || ratio[0] > 1e30 || ratio[1] > 1e30)
    return shape_error(n, "img_size_ratio must be 2 positive finite values");
  return std::vector<OutputInfo>{{DataType::kFloat32, {rois[0], oh, ow, x[3]}}};
}

}  // namespace

void register_detection_ops(std::vector<OpDef>& ops) {
  ops.push_back({"NonMaxSuppression",
                 "int32 (batch, class, box) rows of the boxes kept per batch and class, padded "
                 "with -1 to a static maximum, and the valid row count",
                 {"boxes", "scores"},
                 2,
                 2,
                 {{"iou_threshold", ParamKind::kFloat, true},
                  {"score_threshold", ParamKind::kFloat},
                  {"max_boxes_selected", ParamKind::kInt, true},
                  {"center_point_box", ParamKind::kInt}},
                 nms_rule,
                 false,
                 {"NonMaxSuppression"}});
  ops.push_back({"NonZero",
                 "int32 coordinates [numel, rank] of the nonzero elements, padded with -1, and "
                 "their count",
                 {"in"},
                 1,
                 1,
                 {},
                 nonzero_rule,
                 false,
                 {"NonZero"}});
  ops.push_back({"RoiPooling",
                 "max pooling of an NHWC input over rounded boxes (rois [R, 5] with the batch "
                 "index first, as ONNX MaxRoiPool)",
                 {"in", "rois"},
                 2,
                 2,
                 {{"output_height", ParamKind::kInt, true},
                  {"output_width", ParamKind::kInt, true},
                  {"img_size_ratio", ParamKind::kFloats}},
                 roi_pooling_rule,
                 false,
                 {"MaxRoiPool"}});
}

}  // namespace oqnn::ir
