// Buffer placement shared by the executors (HostPlan's arena, the GPU backend's device
// arena): tensors whose lifetimes (node index ranges, inclusive) overlap never share
// bytes. Deterministic greedy first-fit, largest buffer first, ties by id.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace oqnn::rt {

struct BufferLifetime {
  size_t id;    // tensor id
  size_t size;  // bytes, already aligned
  int begin, end;
};

struct BufferPlacement {
  std::vector<int64_t> offsets;  // by tensor id; -1 where not placed
  size_t arena_size = 0;
};

BufferPlacement place_buffers(std::vector<BufferLifetime> items, size_t num_tensors);

}  // namespace oqnn::rt
