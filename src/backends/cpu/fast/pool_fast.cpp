// PoolMax2d and PoolAvg2d (NHWC) on the EltwiseIsa tables: each output pixel's channel
// vector accumulates the window's input pixels in the reference's order (rows, then
// columns), the average in double, so the results equal the reference's bit for bit.
// Threaded over output rows.
#include <algorithm>
#include <limits>
#include <vector>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/parallel.h"
#include "backends/cpu/geometry.h"
#include "backends/cpu/kernels.h"

namespace oqnn::cpu::fast {
namespace {

template <bool kMax>
void pool_rows(const PoolGeometry& p, const EltwiseIsa& isa, const float* x, float* y,
               int64_t begin, int64_t end) {
  std::vector<double> sum(kMax ? 0 : static_cast<size_t>(p.c));
  for (int64_t r = begin; r < end; ++r) {
    const int64_t n = r / p.ho, oh = r % p.ho;
    const int64_t ys = oh * p.stride_h - p.pad_top;
    const int64_t y0 = std::max<int64_t>(ys, 0), y1 = std::min(ys + p.kh, p.h);
    for (int64_t ow = 0; ow < p.wo; ++ow) {
      const int64_t xs = ow * p.stride_w - p.pad_left;
      const int64_t x0 = std::max<int64_t>(xs, 0), x1 = std::min(xs + p.kw, p.w);
      float* out = y + ((n * p.ho + oh) * p.wo + ow) * p.c;
      if (kMax)
        std::fill(out, out + p.c, -std::numeric_limits<float>::infinity());
      else
        std::fill(sum.begin(), sum.end(), 0.0);
      for (int64_t iy = y0; iy < y1; ++iy)
        for (int64_t ix = x0; ix < x1; ++ix) {
          const float* in = x + ((n * p.h + iy) * p.w + ix) * p.c;
          kMax ? isa.max_into(out, in, p.c) : isa.sum_into(sum.data(), in, p.c);
        }
      if (kMax) continue;
      const auto count = static_cast<double>(p.count_pad ? p.kh * p.kw : (y1 - y0) * (x1 - x0));
      for (int64_t c = 0; c < p.c; ++c) out[c] = static_cast<float>(sum[c] / count);
    }
  }
}

template <bool kMax>
Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  OQNN_ASSIGN_OR_RETURN(KernelPtr ref, make_ref_kernel(g, n));
  OQNN_ASSIGN_OR_RETURN(PoolGeometry p, pool_geometry(g, n));
  return make_fn_kernel([p, isa = &isa](std::span<const rt::HostTensor> in,
                                        std::span<const rt::HostTensor> out,
                                        const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    float* y = out[0].as<float>();
    auto run = [&](int64_t b, int64_t e) { pool_rows<kMax>(p, *isa, x, y, b, e); };
    const int64_t rows = p.n * p.ho;
    const int64_t grain =
        std::max<int64_t>(1, 65536 / std::max<int64_t>(1, p.wo * p.kh * p.kw * p.c));
    parallel_items(ctx, rows, grain, run);
    return Status::ok();
  });
}

}  // namespace

Expected<KernelPtr> make_pool_max2d(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  return make_pool<true>(g, n, isa);
}
Expected<KernelPtr> make_pool_avg2d(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  return make_pool<false>(g, n, isa);
}
Expected<KernelPtr> make_pool_max2d(const ir::Graph& g, const ir::Node& n) {
  return make_pool<true>(g, n, best_eltwise_isa());
}
Expected<KernelPtr> make_pool_avg2d(const ir::Graph& g, const ir::Node& n) {
  return make_pool<false>(g, n, best_eltwise_isa());
}

}  // namespace oqnn::cpu::fast
