// Splitting an element range among the plan's threads: in blocks of kParallelBlock items,
// at least `grain_blocks` blocks per chunk; runs inline without a pool. Kernels that use it
// compute each item independently of the split, so results do not depend on thread count.
#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/host_plan.h"

namespace oqnn::cpu::fast {

inline constexpr int64_t kParallelBlock = 4096;

// fn(begin, end) over [0, n).
template <class F>
void parallel_range(const rt::KernelContext& ctx, int64_t n, int64_t grain_blocks, F&& fn) {
  const int64_t blocks = (n + kParallelBlock - 1) / kParallelBlock;
  if (!ctx.pool || blocks <= grain_blocks) {
    if (n > 0) fn(int64_t{0}, n);
    return;
  }
  ctx.pool->parallel_for(blocks, grain_blocks, [&](int64_t b, int64_t e) {
    fn(b * kParallelBlock, std::min(n, e * kParallelBlock));
  });
}

}  // namespace oqnn::cpu::fast
