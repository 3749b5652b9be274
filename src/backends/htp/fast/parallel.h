// Splits [0, n) over the plan's pool (inline when there is none, e.g. in tests).
#pragma once

#include <cstdint>
#include <functional>

#include "runtime/host_plan.h"

namespace oqnn::htp::fast {

inline void parallel_rows(const rt::KernelContext& ctx, int64_t n,
                          const std::function<void(int64_t, int64_t)>& fn) {
  if (ctx.pool) ctx.pool->parallel_for(n, 1, fn);
  else fn(0, n);
}

}  // namespace oqnn::htp::fast
