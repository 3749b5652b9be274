// A ResNet-50 (v1.5, NHWC, batch norm folded, relu fused) with random He-initialized
// weights, built directly in the IR: the GPU backend's end-to-end and speed check before
// any importer is involved.
#pragma once

#include <cstdint>

#include "ir/graph.h"

namespace oqnn::gpu::testing {

// Input "image" [1, size, size, 3]; output "probs" [1, 1000] after Softmax. `size` must be
// a multiple of 32.
ir::Graph resnet50_graph(int64_t size, uint32_t seed);

}  // namespace oqnn::gpu::testing
