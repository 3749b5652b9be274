#include "runtime/memory_planner.h"

#include <algorithm>
#include <utility>

namespace oqnn::rt {

BufferPlacement place_buffers(std::vector<BufferLifetime> items, size_t num_tensors) {
  std::sort(items.begin(), items.end(), [](const BufferLifetime& a, const BufferLifetime& b) {
    return a.size != b.size ? a.size > b.size : a.id < b.id;
  });
  BufferPlacement plan;
  plan.offsets.assign(num_tensors, -1);
  struct Placed {
    size_t begin_byte, end_byte;
    int begin, end;
  };
  std::vector<Placed> placed;
  for (const BufferLifetime& it : items) {
    std::vector<std::pair<size_t, size_t>> busy;
    for (const Placed& p : placed)
      if (p.begin <= it.end && it.begin <= p.end) busy.push_back({p.begin_byte, p.end_byte});
    std::sort(busy.begin(), busy.end());
    size_t off = 0;
    for (const auto& [b, e] : busy) {
      if (off + it.size <= b) break;
      off = std::max(off, e);
    }
    placed.push_back({off, off + it.size, it.begin, it.end});
    plan.offsets[it.id] = static_cast<int64_t>(off);
    plan.arena_size = std::max(plan.arena_size, off + it.size);
  }
  return plan;
}

}  // namespace oqnn::rt
