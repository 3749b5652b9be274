// Splits [0, n) over the plan's pool (inline when there is none, e.g. in tests). Kernels
// give the same bytes whatever the split.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>

#include "runtime/host_plan.h"

namespace oqnn::htp::fast {

// `work_per_item` (multiply-adds, roughly) sets the grain so that no thread is woken for
// less than ~64k of them: waking costs more than small kernels.
inline void parallel_rows(const rt::KernelContext& ctx, int64_t n, int64_t work_per_item,
                          const std::function<void(int64_t, int64_t)>& fn) {
  constexpr int64_t kMinWork = 1 << 16;
  const int64_t grain = std::max<int64_t>(1, kMinWork / std::max<int64_t>(1, work_per_item));
  if (ctx.pool && n > grain)
    ctx.pool->parallel_for(n, grain, fn);
  else
    fn(0, n);
}

}  // namespace oqnn::htp::fast
