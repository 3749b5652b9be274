// GridSample (NHWC) as ONNX's reference computes it: a grid point is denormalized per axis
// (align_corners maps ±1 to the corner pixels' centres, else to the image's edges),
// rounded half to even for nearest, and when outside the image moved in by border
// (clamped) or reflection; pixels read outside the image are 0 (zeros), the nearest edge
// pixel (border) or their reflection.
#include <algorithm>
#include <cmath>

#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/kernel_util.h"

namespace oqnn::cpu {
namespace {

enum class Pad { kZeros, kBorder, kReflection };

struct Axis {
  int64_t size;
  float lo, hi;  // the image's extent in pixel coordinates
};

Axis make_axis(int64_t size, bool align) {
  auto d = static_cast<float>(size);
  return align ? Axis{size, 0.0f, d - 1.0f} : Axis{size, -0.5f, d - 0.5f};
}

float reflect(float x, float lo, float hi) {
  float rng = hi - lo;
  if (rng <= 0) return lo;
  if (x < lo) {
    float dx = lo - x;
    auto k = static_cast<int64_t>(dx / rng);
    float r = dx - static_cast<float>(k) * rng;
    return k % 2 == 0 ? lo + r : hi - r;
  }
  if (x > hi) {
    float dx = x - hi;
    auto k = static_cast<int64_t>(dx / rng);
    float r = dx - static_cast<float>(k) * rng;
    return k % 2 == 0 ? hi - r : lo + r;
  }
  return x;
}

float source_coord(float v, const Axis& a, bool align, bool nearest, Pad pad) {
  auto d = static_cast<float>(a.size);
  float x = align ? (v + 1.0f) / 2.0f * (d - 1.0f) : ((v + 1.0f) * d - 1.0f) / 2.0f;
  if (nearest) x = std::nearbyint(x);  // the default rounding mode: half to even
  if (x < a.lo || x > a.hi) {
    if (pad == Pad::kBorder) x = std::clamp(x, 0.0f, d - 1.0f);
    if (pad == Pad::kReflection) x = reflect(x, a.lo, a.hi);
  }
  return x;
}

// The pixel index to read for integer coordinate i, or -1 for a zero.
int64_t pixel(int64_t i, const Axis& a, Pad pad) {
  if (i >= 0 && i < a.size) return i;
  if (pad == Pad::kZeros) return -1;
  if (pad == Pad::kBorder) return std::clamp<int64_t>(i, 0, a.size - 1);
  auto r = static_cast<int64_t>(reflect(static_cast<float>(i), a.lo, a.hi));
  return std::clamp<int64_t>(r, 0, a.size - 1);
}

struct GridSampleParams {
  bool nearest, align;
  Pad pad;
};

void grid_sample_nhwc_f32_ref(const GridSampleParams& p, const ir::Shape& xs, const ir::Shape& ys,
                              const float* x, const float* grid, float* y) {
  const int64_t h = xs[1], w = xs[2], c = xs[3], ho = ys[1], wo = ys[2];
  const Axis ah = make_axis(h, p.align), aw = make_axis(w, p.align);
  for (int64_t b = 0; b < xs[0]; ++b)
    for (int64_t oy = 0; oy < ho; ++oy)
      for (int64_t ox = 0; ox < wo; ++ox) {
        const float* g = grid + ((b * ho + oy) * wo + ox) * 2;
        float* out = y + ((b * ho + oy) * wo + ox) * c;
        float fx = source_coord(g[0], aw, p.align, p.nearest, p.pad);
        float fy = source_coord(g[1], ah, p.align, p.nearest, p.pad);
        auto x0 = static_cast<int64_t>(std::floor(fx)), y0 = static_cast<int64_t>(std::floor(fy));
        struct Tap {
          int64_t iy, ix;
          double wt;
        };
        Tap taps[4];
        int n_taps = 0;
        if (p.nearest) {
          taps[n_taps++] = {pixel(y0, ah, p.pad), pixel(x0, aw, p.pad), 1.0};
        } else {
          double tx = fx - static_cast<float>(x0), ty = fy - static_cast<float>(y0);
          for (int dy = 0; dy < 2; ++dy)
            for (int dx = 0; dx < 2; ++dx)
              taps[n_taps++] = {pixel(y0 + dy, ah, p.pad), pixel(x0 + dx, aw, p.pad),
                                (dy ? ty : 1 - ty) * (dx ? tx : 1 - tx)};
        }
        for (int64_t ch = 0; ch < c; ++ch) {
          double acc = 0.0;
          for (int t = 0; t < n_taps; ++t)
            if (taps[t].iy >= 0 && taps[t].ix >= 0)
              acc += taps[t].wt * x[((b * h + taps[t].iy) * w + taps[t].ix) * c + ch];
          out[ch] = static_cast<float>(acc);
        }
      }
}

Expected<KernelPtr> make_grid_sample(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  std::string pad = n.params.get_string("padding_mode", "zeros");
  GridSampleParams p{n.params.get_string("mode", "bilinear") == "nearest",
                     n.params.get_int("align_corners", 0) == 1,
                     pad == "border"       ? Pad::kBorder
                     : pad == "reflection" ? Pad::kReflection
                                           : Pad::kZeros};
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    grid_sample_nhwc_f32_ref(p, in[0].info->shape, out[0].info->shape, in[0].as<const float>(),
                             in[1].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

void register_sample_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"GridSample", make_grid_sample, nullptr, "float32", ""});
}

}  // namespace oqnn::cpu
