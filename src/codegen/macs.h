// Multiply-accumulates per inference of one node, for X_net.json: Conv2d, DepthWiseConv2d, Conv3d,
// FullyConnected and MatMul; every other op counts 0 (as QNN reports them).
#pragma once

#include <cstdint>

#include "ir/graph.h"

namespace oqnn::codegen {
uint64_t node_macs(const ir::Graph& g, const ir::Node& n);
}
