// Conv2d and DepthWiseConv2d, NHWC input, HWIO weight: the direct seven-deep loop,
// accumulated in double so that it is a tighter oracle than any float kernel.
#include "backends/cpu/geometry.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

void conv2d_nhwc_f32_ref(const ConvGeometry& c, const float* x, const float* w, const float* bias,
                         float* y) {
  const int64_t cig = c.cin_per_group(), cog = c.cout_per_group();
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t oh = 0; oh < c.ho; ++oh)
      for (int64_t ow = 0; ow < c.wo; ++ow)
        for (int64_t co = 0; co < c.cout; ++co) {
          const int64_t g = co / cog;
          double acc = bias ? bias[co] : 0.0;
          for (int64_t ky = 0; ky < c.kh; ++ky) {
            const int64_t ih = oh * c.stride_h - c.pad_top + ky * c.dil_h;
            if (ih < 0 || ih >= c.h) continue;
            for (int64_t kx = 0; kx < c.kw; ++kx) {
              const int64_t iw = ow * c.stride_w - c.pad_left + kx * c.dil_w;
              if (iw < 0 || iw >= c.w) continue;
              const float* xp = x + ((n * c.h + ih) * c.w + iw) * c.cin + g * cig;
              const float* wp = w + (ky * c.kw + kx) * cig * c.cout + co;
              for (int64_t ci = 0; ci < cig; ++ci)
                acc += static_cast<double>(xp[ci]) * wp[ci * c.cout];
            }
          }
          y[((n * c.ho + oh) * c.wo + ow) * c.cout + co] = clamp_to(static_cast<float>(acc), c.act);
        }
}

void depthwise_conv2d_nhwc_f32_ref(const ConvGeometry& c, const float* x, const float* w,
                                   const float* bias, float* y) {
  const int64_t mult = c.multiplier();
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t oh = 0; oh < c.ho; ++oh)
      for (int64_t ow = 0; ow < c.wo; ++ow)
        for (int64_t co = 0; co < c.cout; ++co) {
          double acc = bias ? bias[co] : 0.0;
          for (int64_t ky = 0; ky < c.kh; ++ky) {
            const int64_t ih = oh * c.stride_h - c.pad_top + ky * c.dil_h;
            if (ih < 0 || ih >= c.h) continue;
            for (int64_t kx = 0; kx < c.kw; ++kx) {
              const int64_t iw = ow * c.stride_w - c.pad_left + kx * c.dil_w;
              if (iw < 0 || iw >= c.w) continue;
              acc += static_cast<double>(x[((n * c.h + ih) * c.w + iw) * c.cin + co / mult]) *
                     w[(ky * c.kw + kx) * c.cout + co];
            }
          }
          y[((n * c.ho + oh) * c.wo + ow) * c.cout + co] = clamp_to(static_cast<float>(acc), c.act);
        }
}

using ConvFn = void (*)(const ConvGeometry&, const float*, const float*, const float*, float*);

Expected<KernelPtr> make_conv(const ir::Graph& g, const ir::Node& n, ConvFn fn) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(ConvGeometry c, conv_geometry(g, n));
  return make_fn_kernel([c, fn](std::span<const rt::HostTensor> in,
                                std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    fn(c, in[0].as<const float>(), in[1].as<const float>(), bias, out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n) {
  return make_conv(g, n, conv2d_nhwc_f32_ref);
}

Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n) {
  return make_conv(g, n, depthwise_conv2d_nhwc_f32_ref);
}

}  // namespace oqnn::cpu::ref
