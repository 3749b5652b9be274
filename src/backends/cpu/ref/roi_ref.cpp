// RoiAlign (NHWC) as onnxruntime computes it: a box scaled by img_size_ratio (and shifted
// by -0.5 when aligned) is cut into output_height x output_width bins, each sampled on a
// sampling_ratio (or ceil(bin size)) grid per axis at the sub-cell centres. A sample more
// than one pixel outside the image contributes 0; else it is clamped into the image and
// read bilinearly. avg divides the sum of the samples by their count; max takes the largest
// of the four weighted corners (weight x pixel) over all samples.
#include <algorithm>
#include <cmath>
#include <vector>

#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/kernel_util.h"

namespace oqnn::cpu {
namespace {

struct RoiGeometry {
  int64_t n = 0, h = 0, w = 0, c = 0, rois = 0, oh = 0, ow = 0, sampling = 0;
  double ratio_h = 1, ratio_w = 1;
  bool aligned = false, max = false;
};

// The four pixels a sample reads and their bilinear weights (all 0 outside the image).
struct Corners {
  int64_t pos[4] = {};
  double weight[4] = {};
};

Corners corners_at(const RoiGeometry& g, double y, double x) {
  Corners k;
  const auto h = static_cast<double>(g.h), w = static_cast<double>(g.w);
  if (y < -1.0 || y > h || x < -1.0 || x > w) return k;
  y = std::max(y, 0.0);
  x = std::max(x, 0.0);
  auto y0 = static_cast<int64_t>(y), x0 = static_cast<int64_t>(x);
  int64_t y1 = y0 + 1, x1 = x0 + 1;
  if (y0 >= g.h - 1) y0 = y1 = g.h - 1, y = static_cast<double>(y0);
  if (x0 >= g.w - 1) x0 = x1 = g.w - 1, x = static_cast<double>(x0);
  const double ly = y - static_cast<double>(y0), lx = x - static_cast<double>(x0);
  const double hy = 1 - ly, hx = 1 - lx;
  k.pos[0] = y0 * g.w + x0, k.pos[1] = y0 * g.w + x1, k.pos[2] = y1 * g.w + x0,
  k.pos[3] = y1 * g.w + x1;
  k.weight[0] = hy * hx, k.weight[1] = hy * lx, k.weight[2] = ly * hx, k.weight[3] = ly * lx;
  return k;
}

Status roi_align_ref(const RoiGeometry& g, const ir::Node& node, const float* x, const float* rois,
                     const int32_t* batch, float* y) {
  const double offset = g.aligned ? 0.5 : 0.0;
  std::vector<double> acc(static_cast<size_t>(g.c));
  for (int64_t r = 0; r < g.rois; ++r) {
    const int32_t b = batch[r];
    if (b < 0 || b >= g.n)
      return node_bad_input(node, "batch index " + std::to_string(b) + " of roi " +
                                      std::to_string(r) + " is outside [0, " + std::to_string(g.n) +
                                      ")");
    const float* box = rois + r * 4;
    const double x1 = box[0] * g.ratio_w - offset, y1 = box[1] * g.ratio_h - offset;
    const double x2 = box[2] * g.ratio_w - offset, y2 = box[3] * g.ratio_h - offset;
    double rh = y2 - y1, rw = x2 - x1;
    if (!g.aligned) rh = std::max(rh, 1.0), rw = std::max(rw, 1.0);
    const double bin_h = rh / static_cast<double>(g.oh), bin_w = rw / static_cast<double>(g.ow);
    // The grid is bounded so that a huge box cannot make the loop below run for ever.
    auto grid = [&](double bin) {
      if (g.sampling > 0) return g.sampling;
      return static_cast<int64_t>(std::clamp(std::ceil(bin), 0.0, 1024.0));
    };
    const int64_t gh = grid(bin_h), gw = grid(bin_w);
    const double count = static_cast<double>(std::max<int64_t>(gh * gw, 1));
    const float* img = x + b * g.h * g.w * g.c;
    for (int64_t ph = 0; ph < g.oh; ++ph)
      for (int64_t pw = 0; pw < g.ow; ++pw) {
        std::fill(acc.begin(), acc.end(), 0.0);
        bool first = true;
        for (int64_t iy = 0; iy < gh; ++iy) {
          const double sy = y1 + static_cast<double>(ph) * bin_h +
                            (static_cast<double>(iy) + 0.5) * bin_h / static_cast<double>(gh);
          for (int64_t ix = 0; ix < gw; ++ix) {
            const double sx = x1 + static_cast<double>(pw) * bin_w +
                              (static_cast<double>(ix) + 0.5) * bin_w / static_cast<double>(gw);
            const Corners k = corners_at(g, sy, sx);
            for (int64_t c = 0; c < g.c; ++c) {
              double& a = acc[static_cast<size_t>(c)];
              for (int q = 0; q < 4; ++q) {
                const double v = k.weight[q] * double{img[k.pos[q] * g.c + c]};
                a = !g.max ? a + v : (first && q == 0) ? v : std::max(a, v);
              }
            }
            first = false;
          }
        }
        float* out = y + ((r * g.oh + ph) * g.ow + pw) * g.c;
        for (int64_t c = 0; c < g.c; ++c) {
          const double a = acc[static_cast<size_t>(c)];
          out[c] = static_cast<float>(g.max ? a : a / count);
        }
      }
  }
  return Status::ok();
}

Expected<KernelPtr> make_roi_align(const ir::Graph& graph, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(graph, n));
  if (graph.tensor(n.inputs[0]).dtype != ir::DataType::kFloat32 ||
      graph.tensor(n.inputs[1]).dtype != ir::DataType::kFloat32 ||
      graph.tensor(n.inputs[2]).dtype != ir::DataType::kInt32)
    return node_unsupported(n, "runs float32 input and rois with int32 batch_indices only");
  const ir::Shape& x = shape_of(graph, n.inputs[0]);
  RoiGeometry g;
  g.n = x[0], g.h = x[1], g.w = x[2], g.c = x[3];
  g.rois = shape_of(graph, n.inputs[1])[0];
  g.oh = n.params.get_int("output_height", 1), g.ow = n.params.get_int("output_width", 1);
  g.sampling = n.params.get_int("sampling_ratio", 0);
  auto ratio = n.params.get_floats("img_size_ratio", {1.0, 1.0});
  if (ratio.size() != 2) return node_unsupported(n, "img_size_ratio needs 2 values");
  g.ratio_h = ratio[0], g.ratio_w = ratio[1];
  g.aligned = n.params.get_int("aligned", 0) == 1;
  g.max = n.params.get_string("mode", "avg") == "max";
  return make_fn_kernel([g, node = n](std::span<const rt::HostTensor> in,
                                      std::span<const rt::HostTensor> out,
                                      const rt::KernelContext&) {
    return roi_align_ref(g, node, in[0].as<const float>(), in[1].as<const float>(),
                         in[2].as<const int32_t>(), out[0].as<float>());
  });
}

}  // namespace

void register_roi_kernels(std::vector<KernelEntry>& k) {
  k.push_back(
      {"RoiAlign", make_roi_align, nullptr, "float32", "int32 batch_indices; mode avg|max"});
}

}  // namespace oqnn::cpu
