// Splitting work among the plan's threads (inline without a pool): items in chunks, or an
// element range in blocks of kParallelBlock elements. Kernels that use it
// compute each item independently of the split, so results do not depend on thread count.
#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/host_plan.h"

namespace oqnn::cpu::fast {

inline constexpr int64_t kParallelBlock = 4096;

// fn(begin, end) over items [0, n) in chunks of at least `grain` items.
template <class F>
void parallel_items(const rt::KernelContext& ctx, int64_t n, int64_t grain, F&& fn) {
  if (ctx.pool && n > grain)
    ctx.pool->parallel_for(n, grain, fn);
  else if (n > 0)
    fn(int64_t{0}, n);
}

// fn(begin, end) over [0, n).
template <class F>
void parallel_range(const rt::KernelContext& ctx, int64_t n, int64_t grain_blocks, F&& fn) {
  const int64_t blocks = (n + kParallelBlock - 1) / kParallelBlock;
  parallel_items(ctx, blocks, grain_blocks, [&](int64_t b, int64_t e) {
    fn(b * kParallelBlock, std::min(n, e * kParallelBlock));
  });
}

}  // namespace oqnn::cpu::fast
