// PoolMax2d and PoolAvg2d (NHWC). A window is clipped to the input (ceil-mode windows
// may hang past it). The average divides by the number of input values in the window,
// or with count_pad_for_edges=1 by the full filter size, whether the rest of the window
// is padding or overhang, as onnxruntime's AveragePool with count_include_pad=1 does.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "backends/cpu/geometry.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

struct Window {
  int64_t y0, y1, x0, x1;  // clipped to the input, half-open
};

Window window_at(const PoolGeometry& p, int64_t oh, int64_t ow) {
  int64_t ys = oh * p.stride_h - p.pad_top, xs = ow * p.stride_w - p.pad_left;
  return {std::max<int64_t>(ys, 0), std::min(ys + p.kh, p.h), std::max<int64_t>(xs, 0),
          std::min(xs + p.kw, p.w)};
}

// Channels innermost: every pixel of the window is one contiguous run of C values.
void pool_max2d_nhwc_f32_ref(const PoolGeometry& p, const float* x, float* y) {
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oh = 0; oh < p.ho; ++oh)
      for (int64_t ow = 0; ow < p.wo; ++ow) {
        Window win = window_at(p, oh, ow);
        float* out = y + ((n * p.ho + oh) * p.wo + ow) * p.c;
        std::fill(out, out + p.c, -std::numeric_limits<float>::infinity());
        for (int64_t iy = win.y0; iy < win.y1; ++iy)
          for (int64_t ix = win.x0; ix < win.x1; ++ix) {
            const float* in = x + ((n * p.h + iy) * p.w + ix) * p.c;
            for (int64_t c = 0; c < p.c; ++c) out[c] = std::max(out[c], in[c]);
          }
      }
}

// sum[c] = the sum of f(x) over the window's input pixels, channel c.
template <typename F>
void window_sum(const PoolGeometry& p, const float* x, int64_t n, const Window& win,
                std::vector<double>& sum, F f) {
  std::fill(sum.begin(), sum.end(), 0.0);
  for (int64_t iy = win.y0; iy < win.y1; ++iy)
    for (int64_t ix = win.x0; ix < win.x1; ++ix) {
      const float* in = x + ((n * p.h + iy) * p.w + ix) * p.c;
      for (int64_t c = 0; c < p.c; ++c) sum[static_cast<size_t>(c)] += f(double{in[c]});
    }
}

void pool_avg2d_nhwc_f32_ref(const PoolGeometry& p, const float* x, float* y) {
  std::vector<double> sum(static_cast<size_t>(p.c));
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oh = 0; oh < p.ho; ++oh)
      for (int64_t ow = 0; ow < p.wo; ++ow) {
        Window win = window_at(p, oh, ow);
        int64_t count = p.count_pad ? p.kh * p.kw : (win.y1 - win.y0) * (win.x1 - win.x0);
        window_sum(p, x, n, win, sum, [](double v) { return v; });
        float* out = y + ((n * p.ho + oh) * p.wo + ow) * p.c;
        for (int64_t c = 0; c < p.c; ++c)
          out[c] = static_cast<float>(sum[c] / static_cast<double>(count));
      }
}

// Padding adds zeros to the sum, so the clipped window is the whole sum.
void l2pool2d_nhwc_f32_ref(const PoolGeometry& p, const float* x, float* y) {
  std::vector<double> sum(static_cast<size_t>(p.c));
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t oh = 0; oh < p.ho; ++oh)
      for (int64_t ow = 0; ow < p.wo; ++ow) {
        Window win = window_at(p, oh, ow);
        window_sum(p, x, n, win, sum, [](double v) { return v * v; });
        float* out = y + ((n * p.ho + oh) * p.wo + ow) * p.c;
        for (int64_t c = 0; c < p.c; ++c) out[c] = static_cast<float>(std::sqrt(sum[c]));
      }
}

using PoolFn = void (*)(const PoolGeometry&, const float*, float*);

Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n, PoolFn fn) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(PoolGeometry p, pool_geometry(g, n));
  return make_fn_kernel([p, fn](std::span<const rt::HostTensor> in,
                                std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    fn(p, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

Expected<KernelPtr> make_pool_max2d(const ir::Graph& g, const ir::Node& n) {
  return make_pool(g, n, pool_max2d_nhwc_f32_ref);
}

Expected<KernelPtr> make_pool_avg2d(const ir::Graph& g, const ir::Node& n) {
  return make_pool(g, n, pool_avg2d_nhwc_f32_ref);
}

Expected<KernelPtr> make_l2pool2d(const ir::Graph& g, const ir::Node& n) {
  return make_pool(g, n, l2pool2d_nhwc_f32_ref);
}

}  // namespace oqnn::cpu::ref
