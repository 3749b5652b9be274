// NonMaxSuppression and NonZero in the static-output form (ir/ops/detection.h) and
// RoiPooling, as onnxruntime computes them. NMS: per batch and class, the boxes scoring
// above score_threshold are taken in decreasing score (ties: lower box index first); a box
// is kept unless its IoU with a kept box exceeds iou_threshold, up to max_boxes_selected;
// IoU in float32 as onnxruntime (an empty intersection or a box of no area is IoU 0); a NaN
// score is never a candidate.
// RoiPooling: each box is scaled and rounded (half away from zero), cut into bins of
// floor/ceil edges clamped to the image, and each bin's max taken (0 for an empty bin).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/kernel_util.h"
#include "ir/ops/detection.h"

namespace oqnn::cpu {
namespace {

using In = std::span<const rt::HostTensor>;

struct Corners {
  float x_min, x_max, y_min, y_max;
};

Corners corners_of(const float* b, bool center) {
  if (center) {
    const float hw = b[2] / 2, hh = b[3] / 2;
    return {b[0] - hw, b[0] + hw, b[1] - hh, b[1] + hh};
  }
  return {std::min(b[1], b[3]), std::max(b[1], b[3]), std::min(b[0], b[2]), std::max(b[0], b[2])};
}

bool suppresses(const Corners& a, const Corners& b, float iou_threshold) {
  const float ix_min = std::max(a.x_min, b.x_min), ix_max = std::min(a.x_max, b.x_max);
  if (ix_max <= ix_min) return false;
  const float iy_min = std::max(a.y_min, b.y_min), iy_max = std::min(a.y_max, b.y_max);
  if (iy_max <= iy_min) return false;
  const float inter = (ix_max - ix_min) * (iy_max - iy_min);
  const float area_a = (a.x_max - a.x_min) * (a.y_max - a.y_min);
  const float area_b = (b.x_max - b.x_min) * (b.y_max - b.y_min);
  const float uni = area_a + area_b - inter;
  if (inter <= 0 || area_a <= 0 || area_b <= 0 || uni <= 0) return false;
  return inter / uni > iou_threshold;
}

struct NmsParams {
  int64_t batch = 0, classes = 0, boxes = 0, max_per_class = 0;
  float iou = 0, score = 0;
  bool has_score = false, center = false;
};

void nms_f32_ref(const NmsParams& p, const float* boxes, const float* scores, int32_t* sel,
                 int32_t* count, int64_t rows) {
  std::fill(sel, sel + rows * 3, ir::kPaddedIndex);
  int64_t out = 0;
  std::vector<int64_t> order;
  std::vector<Corners> kept;
  for (int64_t b = 0; b < p.batch; ++b) {
    const float* bx = boxes + b * p.boxes * 4;
    for (int64_t c = 0; c < p.classes; ++c) {
      const float* sc = scores + (b * p.classes + c) * p.boxes;
      order.clear();
      for (int64_t i = 0; i < p.boxes; ++i)
        if (p.has_score ? sc[i] > p.score : !std::isnan(sc[i])) order.push_back(i);
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t x, int64_t y) { return sc[x] > sc[y]; });
      kept.clear();
      for (int64_t i : order) {
        if (static_cast<int64_t>(kept.size()) >= p.max_per_class) break;
        const Corners k = corners_of(bx + i * 4, p.center);
        if (std::any_of(kept.begin(), kept.end(),
                        [&](const Corners& q) { return suppresses(q, k, p.iou); }))
          continue;
        kept.push_back(k);
        int32_t* row = sel + out++ * 3;
        row[0] = static_cast<int32_t>(b), row[1] = static_cast<int32_t>(c);
        row[2] = static_cast<int32_t>(i);
      }
    }
  }
  count[0] = static_cast<int32_t>(out);
}

Expected<KernelPtr> make_nms(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  if (g.tensor(n.inputs[0]).dtype != ir::DataType::kFloat32 ||
      g.tensor(n.inputs[1]).dtype != ir::DataType::kFloat32)
    return node_unsupported(n, "runs float32 boxes and scores only");
  NmsParams p;
  const ir::Shape& scores = shape_of(g, n.inputs[1]);
  p.batch = scores[0], p.classes = scores[1], p.boxes = scores[2];
  p.max_per_class = n.params.get_int("max_boxes_selected");
  p.iou = static_cast<float>(n.params.get_float("iou_threshold"));
  p.has_score = n.params.has("score_threshold");
  p.score = static_cast<float>(n.params.get_float("score_threshold", 0.0));
  p.center = n.params.get_int("center_point_box", 0) == 1;
  const int64_t rows = shape_of(g, n.outputs[0])[0];
  return make_fn_kernel([p, rows](In in, In out, const rt::KernelContext&) {
    nms_f32_ref(p, in[0].as<const float>(), in[1].as<const float>(), out[0].as<int32_t>(),
                out[1].as<int32_t>(), rows);
    return Status::ok();
  });
}

Expected<KernelPtr> make_nonzero(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape shape = shape_of(g, n.inputs[0]);
  return dispatch_dtype(n, g.tensor(n.inputs[0]).dtype, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([shape](In in, In out, const rt::KernelContext&) {
      const T* x = in[0].as<const T>();
      int32_t* y = out[0].as<int32_t>();
      const int64_t total = ir::num_elements(shape), rank = static_cast<int64_t>(shape.size());
      std::fill(y, y + total * rank, ir::kPaddedIndex);
      int64_t found = 0;
      for (int64_t i = 0; i < total; ++i) {
        if (x[i] == T{}) continue;
        for (int64_t d = rank, rest = i; d-- > 0;) {
          y[found * rank + d] = static_cast<int32_t>(rest % shape[static_cast<size_t>(d)]);
          rest /= shape[static_cast<size_t>(d)];
        }
        ++found;
      }
      out[1].as<int32_t>()[0] = static_cast<int32_t>(found);
      return Status::ok();
    });
  });
}

struct RoiPoolGeometry {
  int64_t n = 0, h = 0, w = 0, c = 0, rois = 0, oh = 0, ow = 0;
  float scale_h = 1, scale_w = 1;
};

// The bin [start, end) of pooled cell `p` of a box starting at `origin` with `bin` size,
// clamped to [0, limit).
std::pair<int64_t, int64_t> bin_edges(int64_t p, float bin, int64_t origin, int64_t limit) {
  auto s = static_cast<int64_t>(std::floor(static_cast<float>(p) * bin));
  auto e = static_cast<int64_t>(std::ceil(static_cast<float>(p + 1) * bin));
  return {std::clamp<int64_t>(s + origin, 0, limit), std::clamp<int64_t>(e + origin, 0, limit)};
}

Status roi_pool_f32_ref(const RoiPoolGeometry& g, const ir::Node& node, const float* x,
                        const float* rois, float* y) {
  for (int64_t r = 0; r < g.rois; ++r) {
    const float* roi = rois + r * 5;
    if (!(roi[0] >= 0) || !(roi[0] < static_cast<float>(g.n)))
      return node_bad_input(node, "batch index " + std::to_string(roi[0]) + " of roi " +
                                      std::to_string(r) + " is outside [0, " + std::to_string(g.n) +
                                      ")");
    const auto b = static_cast<int64_t>(roi[0]);
    auto at = [](float v, float s) {  // rounded, bounded (NaN to the low end) for the cast
      const float r = std::round(v * s);
      return static_cast<int64_t>(r >= -1e9f ? std::min(r, 1e9f) : -1e9f);
    };
    const int64_t x1 = at(roi[1], g.scale_w), y1 = at(roi[2], g.scale_h);
    const int64_t x2 = at(roi[3], g.scale_w), y2 = at(roi[4], g.scale_h);
    const int64_t rh = std::max<int64_t>(y2 - y1 + 1, 1), rw = std::max<int64_t>(x2 - x1 + 1, 1);
    const float bin_h = static_cast<float>(rh) / static_cast<float>(g.oh);
    const float bin_w = static_cast<float>(rw) / static_cast<float>(g.ow);
    const float* img = x + b * g.h * g.w * g.c;
    for (int64_t ph = 0; ph < g.oh; ++ph) {
      const auto [hs, he] = bin_edges(ph, bin_h, y1, g.h);
      for (int64_t pw = 0; pw < g.ow; ++pw) {
        const auto [ws, we] = bin_edges(pw, bin_w, x1, g.w);
        float* out = y + ((r * g.oh + ph) * g.ow + pw) * g.c;
        const bool empty = he <= hs || we <= ws;
        std::fill(out, out + g.c, empty ? 0.0f : -std::numeric_limits<float>::max());
        for (int64_t yy = hs; yy < he; ++yy)
          for (int64_t xx = ws; xx < we; ++xx)
            for (int64_t c = 0; c < g.c; ++c)
              out[c] = std::max(out[c], img[(yy * g.w + xx) * g.c + c]);
      }
    }
  }
  return Status::ok();
}

Expected<KernelPtr> make_roi_pooling(const ir::Graph& graph, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(graph, n));
  const ir::Shape& x = shape_of(graph, n.inputs[0]);
  RoiPoolGeometry g;
  g.n = x[0], g.h = x[1], g.w = x[2], g.c = x[3];
  g.rois = shape_of(graph, n.inputs[1])[0];
  g.oh = n.params.get_int("output_height"), g.ow = n.params.get_int("output_width");
  auto ratio = n.params.get_floats("img_size_ratio", {1.0, 1.0});
  g.scale_h = static_cast<float>(ratio[0]), g.scale_w = static_cast<float>(ratio[1]);
  return make_fn_kernel([g, node = n](In in, In out, const rt::KernelContext&) {
    return roi_pool_f32_ref(g, node, in[0].as<const float>(), in[1].as<const float>(),
                            out[0].as<float>());
  });
}

}  // namespace

void register_detection_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"NonMaxSuppression", make_nms, nullptr, "float32,int32",
               "float32 boxes and scores; int32 indices padded with -1, and the valid count"});
  k.push_back({"NonZero", make_nonzero, nullptr, "float32,int32,bool,uint8,int8,int16,uint16",
               "int32 [numel, rank] padded with -1, and the count"});
  k.push_back({"RoiPooling", make_roi_pooling, nullptr, "float32", "rois [R, 5]"});
}

}  // namespace oqnn::cpu
