// DepthWiseConv2d, direct: each output pixel's channel vector starts at the bias and
// adds one filter tap at a time (taps in a fixed order), so the inner loop runs over
// contiguous channels and vectorizes (for the best ISA the CPU has: dwconv_kernels.h).
// Threaded over output rows.
#include <vector>

#include "backends/cpu/fast/dwconv_kernels.h"

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/geometry.h"

namespace oqnn::cpu::fast {

std::span<const DwKernel> dw_kernels() {
  static const std::vector<DwKernel> kKernels = [] {
    std::vector<DwKernel> ks;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) ks.push_back({"dwconv_row_avx512", dwconv_row_avx512});
    if (__builtin_cpu_supports("avx2")) ks.push_back({"dwconv_row_avx2", dwconv_row_avx2});
#endif
    ks.push_back({"dwconv_row_generic", dwconv_row_generic});
    return ks;
  }();
  return kKernels;
}

Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n,
                                          const DwKernel* dk) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  OQNN_ASSIGN_OR_RETURN(ConvGeometry c, conv_geometry(g, n));
  const DwRow r{c.h,     c.w,       c.cin,      c.cout,     c.multiplier(), c.kh,
                c.kw,    c.ho,      c.wo,       c.stride_h, c.stride_w,     c.dil_h,
                c.dil_w, c.pad_top, c.pad_left, c.act.lo,   c.act.hi};
  const DwRowFn fn = (dk ? *dk : dw_kernels().front()).fn;
  const int64_t images = c.n, ho = c.ho;
  return make_fn_kernel([r, fn, images, ho](std::span<const rt::HostTensor> in,
                                            std::span<const rt::HostTensor> out,
                                            const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    const float* w = in[1].as<const float>();
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    float* y = out[0].as<float>();
    auto rows = [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) fn(r, x, w, bias, i / ho, i % ho, y);
    };
    if (ctx.pool)
      ctx.pool->parallel_for(images * ho, 1, rows);
    else
      rows(0, images * ho);
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::fast
