// Heterogeneous execution, the graph side (DESIGN §5): which nodes a backend can take
// (from its capability table and the dtypes it runs), the cut into partitions — maximal
// runs of consecutive nodes (topological order) on one backend, so that running them in
// order is always valid — and what went where, for the generator's report.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "runtime/backend_loader.h"

namespace oqnn::rt {

// true for each node the backend `backend` ("cpu", "gpu", "htp") with capability rows
// `caps` can run: its op has a row, and each tensor the node reads or writes at run time
// has a row of its dtype class for that op. Float tensors (float32/float16 in the graph) need a row
// for one of the backend's float activation dtypes: float32 or float16 on the cpu and gpu, uint8 or
// uint16 on the htp, whose activations are fixed point quantized from float. An integer or bool
// tensor of dtype D needs a row with dtype D; on the htp, whose uint8/uint16 rows are the quantized
// activations, integer tensors of those two dtypes never count as native. float16 run-time tensors
// (a float16 model's graph I/O and the Casts at its boundary; the graph computes in float32) are
// cpu tensors. Statics are the backend's concern (weights, indices), not the rows'. The CPU takes
// the rest; a constraint the rows cannot show is found when the backend refuses a node at
// finalize, which moves that node to the CPU (finalize_with_fallback).
std::vector<bool> nodes_supported(const ir::Graph& g, const std::vector<Capability>& caps,
                                  std::string_view backend);

struct GraphPart {
  ir::Graph graph;            // a self-contained graph: its own inputs, outputs, statics
  bool primary = false;       // on the primary backend (else the CPU)
  std::vector<size_t> nodes;  // indices of the original graph's nodes
};

// Cuts `g` into runs of consecutive nodes with the same `on_primary`. A part's inputs are
// the tensors it reads that earlier parts or the graph provide; its outputs are the
// tensors it writes that later parts read or the graph returns. Names are kept.
std::vector<GraphPart> split_graph(const ir::Graph& g, const std::vector<bool>& on_primary);

// Multiply-accumulates of one node (Conv2d, Conv3d, DepthWiseConv2d, TransposeConv2d/3d,
// FullyConnected, MatMul; 0 for the rest): what the share of work in the report counts.
int64_t node_macs(const ir::Graph& g, const ir::Node& n);

// The nodes not on the primary backend: "3 of 120 nodes (Gather x2, Erf x1; 0.4% of
// MACs): 'n1', 'n2', 'n3'" (names capped at a few).
std::string fallback_summary(const ir::Graph& g, const std::vector<bool>& on_primary);

}  // namespace oqnn::rt
