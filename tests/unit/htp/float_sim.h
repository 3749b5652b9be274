// Double-precision simulation of the IR ops, written independently of the HTP kernels from
// the op semantics in src/ir/ops: the oracle the quantized kernels are compared with
// (dequantize inputs, compute here, quantize), and the fp32 reference of whole graphs.
#pragma once

#include <map>
#include <vector>

#include "ir/graph.h"

namespace oqnn::htp::test {

using Reals = std::vector<double>;

// Output of node `n` of `g` given the real values of its inputs (in node input order;
// empty for an omitted optional input).
Reals simulate(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& inputs);

// Runs every node of a float graph; returns the values of every tensor by id.
std::map<ir::TensorId, Reals> simulate_graph(const ir::Graph& g, const std::vector<Reals>& inputs);

}  // namespace oqnn::htp::test
