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
  std::vector<bool> is_float;      // per root tensor: a float tensor held as float32, not storage
  size_t arena_size = 0;
};

// `elem_size` is the storage size of one float element (2 for fp16, 4 for fp32); offsets
// are multiples of `align` (the device's sub-buffer alignment). A float root that is, or is
// aliased by, a graph input or output holds float32 (as in QNN, the precision mode applies
// to tensors that are neither); integer and bool tensors are never converted.
BufferPlan plan_buffers(const ir::Graph& g, size_t elem_size, size_t align);

// Bytes of one element of a tensor of `dtype` on the device: integer and bool tensors keep
// their IR type (bool is one byte, 0 or 1), float tensors take 4 bytes when `as_float`,
// else `elem_size` (the storage precision).
size_t device_elem_size(ir::DataType dtype, bool as_float, size_t elem_size);

}  // namespace oqnn::gpu
