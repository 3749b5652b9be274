// Checks a graph against the op table: every op known, input counts and parameter types
// right, tensors in topological order, declared shapes equal to what the shape rules say.
#pragma once
#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::ir {
Status verify(const Graph& g);
// Recomputes every node's output shapes from the shape rules (in order) and stores them.
Status infer_shapes(Graph& g);
}  // namespace oqnn::ir
