// Conv2d, Conv3d and DepthWiseConv2d, NHWC / NDHWC input, [(kd,) kh, kw, cin/group, cout]
// weight: the direct loop nest, accumulated in double so that it is a tighter oracle than
// any float kernel. Conv2d runs as a Conv3d over one unpadded plane (depth 1), a depthwise
// conv as a grouped one.
#include "backends/cpu/geometry.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

void conv_ndhwc_f32_ref(const ConvGeometry& c, const float* x, const float* w, const float* bias,
                        float* y) {
  const int64_t cig = c.cin_per_group(), cog = c.cout_per_group();
  int64_t o = 0;
  for (int64_t n = 0; n < c.n; ++n)
    for (int64_t od = 0; od < c.dout; ++od)
      for (int64_t oh = 0; oh < c.ho; ++oh)
        for (int64_t ow = 0; ow < c.wo; ++ow)
          for (int64_t co = 0; co < c.cout; ++co, ++o) {
            const int64_t g = co / cog;
            double acc = bias ? bias[co] : 0.0;
            for (int64_t kz = 0; kz < c.kd; ++kz) {
              const int64_t id = od * c.stride_d - c.pad_front + kz * c.dil_d;
              if (id < 0 || id >= c.d) continue;
              for (int64_t ky = 0; ky < c.kh; ++ky) {
                const int64_t ih = oh * c.stride_h - c.pad_top + ky * c.dil_h;
                if (ih < 0 || ih >= c.h) continue;
                for (int64_t kx = 0; kx < c.kw; ++kx) {
                  const int64_t iw = ow * c.stride_w - c.pad_left + kx * c.dil_w;
                  if (iw < 0 || iw >= c.w) continue;
                  const float* xp = x + (((n * c.d + id) * c.h + ih) * c.w + iw) * c.cin + g * cig;
                  const float* wp = w + ((kz * c.kh + ky) * c.kw + kx) * cig * c.cout + co;
                  for (int64_t ci = 0; ci < cig; ++ci)
                    acc += static_cast<double>(xp[ci]) * wp[ci * c.cout];
                }
              }
            }
            y[o] = clamp_to(static_cast<float>(acc), c.act);
          }
}

// A depthwise conv is the grouped one with a group per input channel: its weight
// [kh, kw, 1, cout] is HWIO with cin/group = 1, and output channel co reads input channel
// co / multiplier, the group of co.
Expected<KernelPtr> make_conv(const ir::Graph& g, const ir::Node& n, bool depthwise) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(ConvGeometry c, conv_geometry(g, n));
  if (depthwise) c.groups = c.cin;
  return make_fn_kernel([c](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    conv_ndhwc_f32_ref(c, in[0].as<const float>(), in[1].as<const float>(), bias,
                       out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n) {
  return make_conv(g, n, false);
}

Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n) {
  return make_conv(g, n, true);
}

}  // namespace oqnn::cpu::ref
