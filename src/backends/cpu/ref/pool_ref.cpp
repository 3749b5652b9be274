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
#include "ir/window.h"

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

// PoolMax3d and PoolAvg3d (NDHWC, with dilation): a window's taps along axis i are
// start + j * dilation[i], j < filter_size[i]; taps in the padding or past the input are
// skipped. The average divides by the taps inside the input, or with count_pad_for_edges=1
// by the full filter size, whether the rest of the window is padding or ceil-mode overhang,
// as the 2-D average and onnxruntime's AveragePool with count_include_pad=1 do.
struct Pool3dGeometry {
  int64_t n = 0, c = 0;
  int64_t in[3] = {}, out[3] = {}, k[3] = {}, stride[3] = {}, dil[3] = {}, pad0[3] = {};
  bool count_pad = false;
};

Expected<Pool3dGeometry> pool3d_geometry(const ir::Graph& g, const ir::Node& n) {
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  auto k = n.params.get_ints("filter_size");
  auto stride = n.params.get_ints("stride", {1, 1, 1});
  auto dil = n.params.get_ints("dilation", {1, 1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0, 0, 0});
  if (x.size() != 5 || y.size() != 5 || k.size() != 3 || stride.size() != 3 || dil.size() != 3 ||
      pad.size() != 6)
    return node_unsupported(n, "needs rank-5 tensors and 3 values per window param");
  Pool3dGeometry p;
  p.n = x[0], p.c = x[4];
  for (size_t i = 0; i < 3; ++i) {
    p.in[i] = x[i + 1], p.out[i] = y[i + 1], p.k[i] = k[i], p.stride[i] = stride[i];
    p.dil[i] = dil[i], p.pad0[i] = pad[2 * i];
  }
  p.count_pad = n.params.get_int("count_pad_for_edges", 0) == 1;
  return p;
}

// The input coordinates of the taps of the window at output index o along axis i.
std::vector<int64_t> taps_at(const Pool3dGeometry& p, size_t i, int64_t o) {
  return ir::window_taps(o, p.stride[i], p.pad0[i], p.k[i], p.dil[i], p.in[i]);
}

template <bool kMax>
void pool3d_ndhwc_f32_ref(const Pool3dGeometry& p, const float* x, float* y) {
  std::vector<double> acc(static_cast<size_t>(p.c));
  for (int64_t n = 0; n < p.n; ++n)
    for (int64_t od = 0; od < p.out[0]; ++od) {
      const std::vector<int64_t> td = taps_at(p, 0, od);
      for (int64_t oh = 0; oh < p.out[1]; ++oh) {
        const std::vector<int64_t> th = taps_at(p, 1, oh);
        for (int64_t ow = 0; ow < p.out[2]; ++ow) {
          const std::vector<int64_t> tw = taps_at(p, 2, ow);
          std::fill(acc.begin(), acc.end(), kMax ? -std::numeric_limits<double>::infinity() : 0.0);
          for (int64_t id : td)
            for (int64_t ih : th)
              for (int64_t iw : tw) {
                const float* in = x + (((n * p.in[0] + id) * p.in[1] + ih) * p.in[2] + iw) * p.c;
                for (int64_t c = 0; c < p.c; ++c) {
                  double& a = acc[static_cast<size_t>(c)];
                  a = kMax ? std::max(a, double{in[c]}) : a + double{in[c]};
                }
              }
          const int64_t count = p.count_pad
                                    ? p.k[0] * p.k[1] * p.k[2]
                                    : static_cast<int64_t>(td.size() * th.size() * tw.size());
          float* out = y + (((n * p.out[0] + od) * p.out[1] + oh) * p.out[2] + ow) * p.c;
          for (int64_t c = 0; c < p.c; ++c) {
            const double a = acc[static_cast<size_t>(c)];
            out[c] = static_cast<float>(kMax || count == 0 ? a : a / static_cast<double>(count));
          }
        }
      }
    }
}

template <bool kMax>
Expected<KernelPtr> make_pool3d(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(Pool3dGeometry p, pool3d_geometry(g, n));
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    pool3d_ndhwc_f32_ref<kMax>(p, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
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

Expected<KernelPtr> make_pool_max3d(const ir::Graph& g, const ir::Node& n) {
  return make_pool3d<true>(g, n);
}

Expected<KernelPtr> make_pool_avg3d(const ir::Graph& g, const ir::Node& n) {
  return make_pool3d<false>(g, n);
}

Expected<KernelPtr> make_l2pool2d(const ir::Graph& g, const ir::Node& n) {
  return make_pool(g, n, l2pool2d_nhwc_f32_ref);
}

}  // namespace oqnn::cpu::ref
