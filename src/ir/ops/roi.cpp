// RoiAlign (NHWC): in[N, H, W, C], rois[R, 4] (x1, y1, x2, y2 in image coordinates, float32)
// and batch_indices[R] (int32) → [R, output_height, output_width, C]. img_size_ratio =
// [height, width] scales the boxes to the feature map (ONNX spatial_scale, the same for
// both); sampling_ratio 0 samples each bin ceil(bin size) times per axis; aligned 1
// shifts the scaled boxes by -0.5 (ONNX half_pixel), 0 keeps them and makes each box at
// least 1 x 1 (output_half_pixel). `mode` avg|max is an OpenQNN extension (QNN's RoiAlign
// averages); max takes, as onnxruntime does, the largest weighted corner of the samples.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> roi_align_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& rois = input_shape(g, n, 1);
  const Shape& idx = input_shape(g, n, 2);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  if (rois.size() != 2 || rois[1] != 4)
    return shape_error(n, "rois must be [R, 4], got " + shape_str(rois));
  if (idx.size() != 1 || idx[0] != rois[0])
    return shape_error(n, "batch_indices must be [R] with the rois' R, got " + shape_str(idx));
  if (!real_or_quantized_like(g.tensor(n.inputs[1]), g.tensor(n.inputs[0])))
    return shape_error(n, "rois must be float32, or quantized like the input");
  if (g.tensor(n.inputs[2]).dtype != DataType::kInt32)
    return shape_error(n, "batch_indices must be int32");
  const int64_t oh = n.params.get_int("output_height", 1);
  const int64_t ow = n.params.get_int("output_width", 1);
  const int64_t sr = n.params.get_int("sampling_ratio", 0);
  constexpr int64_t kLimit = int64_t{1} << 20;  // bounds the output and the sample grid
  if (oh < 1 || ow < 1 || oh > kLimit || ow > kLimit)
    return shape_error(n, "output_height and output_width must be between 1 and 2^20");
  if (sr < 0 || sr > kLimit) return shape_error(n, "sampling_ratio must be between 0 and 2^20");
  auto ratio = n.params.get_floats("img_size_ratio", {1.0, 1.0});
  if (ratio.size() != 2 || !(ratio[0] > 0) || !(ratio[1] > 0) || ratio[0] > 1e30 || ratio[1] > 1e30)
    return shape_error(n, "img_size_ratio must be 2 positive finite values");
  const int64_t aligned = n.params.get_int("aligned", 0);
  if (aligned != 0 && aligned != 1) return shape_error(n, "aligned must be 0 or 1");
  const std::string mode = n.params.get_string("mode", "avg");
  if (mode != "avg" && mode != "max")
    return shape_error(n, "mode must be avg or max, got '" + mode + "'");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, {rois[0], oh, ow, x[3]}}};
}

}  // namespace

void register_roi_ops(std::vector<OpDef>& ops) {
  ops.push_back({"RoiAlign",
                 "bilinear RoI pooling of an NHWC input over boxes; mode max is an OpenQNN "
                 "extension",
                 {"in", "rois", "batch_indices"},
                 3,
                 3,
                 {{"img_size_ratio", ParamKind::kFloats},
                  {"output_height", ParamKind::kInt, true},
                  {"output_width", ParamKind::kInt, true},
                  {"sampling_ratio", ParamKind::kInt},
                  {"aligned", ParamKind::kInt},
                  {"mode", ParamKind::kString}},
                 roi_align_rule,
                 false,
                 {"RoiAlign"}});
}

}  // namespace oqnn::ir
