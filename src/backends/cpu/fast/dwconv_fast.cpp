// DepthWiseConv2d, direct: each output pixel's channel vector starts at the bias and
// adds one filter tap at a time (taps in a fixed order), so the inner loop runs over
// contiguous channels and vectorizes. Threaded over output rows.
#include <algorithm>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/geometry.h"

namespace oqnn::cpu::fast {
namespace {

// One output row (image img, row oh) of all wo pixels.
void dwconv_row(const ConvGeometry& c, const float* x, const float* w, const float* bias,
                int64_t img, int64_t oh, float* y) {
  const int64_t cout = c.cout, mult = c.multiplier();
  for (int64_t ow = 0; ow < c.wo; ++ow) {
    float* o = y + ((img * c.ho + oh) * c.wo + ow) * cout;
    for (int64_t co = 0; co < cout; ++co) o[co] = bias ? bias[co] : 0.0f;
    for (int64_t ky = 0; ky < c.kh; ++ky) {
      const int64_t ih = oh * c.stride_h - c.pad_top + ky * c.dil_h;
      if (ih < 0 || ih >= c.h) continue;
      for (int64_t kx = 0; kx < c.kw; ++kx) {
        const int64_t iw = ow * c.stride_w - c.pad_left + kx * c.dil_w;
        if (iw < 0 || iw >= c.w) continue;
        const float* xp = x + ((img * c.h + ih) * c.w + iw) * c.cin;
        const float* wp = w + (ky * c.kw + kx) * cout;
        if (mult == 1) {
          for (int64_t co = 0; co < cout; ++co) o[co] += xp[co] * wp[co];
        } else {
          for (int64_t co = 0; co < cout; ++co) o[co] += xp[co / mult] * wp[co];
        }
      }
    }
    for (int64_t co = 0; co < cout; ++co) o[co] = clamp_to(o[co], c.act);
  }
}

}  // namespace

Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(ConvGeometry c, conv_geometry(g, n));
  return make_fn_kernel([c](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    const float* w = in[1].as<const float>();
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    float* y = out[0].as<float>();
    auto rows = [&](int64_t begin, int64_t end) {
      for (int64_t r = begin; r < end; ++r) dwconv_row(c, x, w, bias, r / c.ho, r % c.ho, y);
    };
    if (ctx.pool)
      ctx.pool->parallel_for(c.n * c.ho, 1, rows);
    else
      rows(0, c.n * c.ho);
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::fast
