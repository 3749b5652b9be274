// Device memory layout of a GPU plan. A Reshape's output aliases its input (same buffer);
// tensors produced by nodes share one arena, where tensors whose lifetimes do not overlap
// reuse the same bytes; graph inputs and static tensors get buffers of their own.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ir/graph.h"

namespace oqnn::gpu {

struct BufferPlan {
  std::vector<ir::TensorId> root;  // per tensor: the tensor whose buffer it uses
  std::vector<int64_t> offset;     // per root tensor: byte offset in the arena, -1 if outside
  std::vector<bool> is_float;      // per root tensor: holds float32 rather than storage
  size_t arena_size = 0;
};

// `elem_size` is the storage size of one element (2 for fp16, 4 for fp32); offsets are
// multiples of `align` (the device's sub-buffer alignment). A root that is, or is aliased
// by, a graph input or output holds float32 (as in QNN, the precision mode applies to
// tensors that are neither).
BufferPlan plan_buffers(const ir::Graph& g, size_t elem_size, size_t align);

}  // namespace oqnn::gpu
