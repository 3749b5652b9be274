// What the emitters agree on before writing anything: which tensors appear, under which
// name, in which X.bin member, and the C function that declares each tensor and node.
// Computed once so that X.cpp, X.bin and X_net.json cannot disagree.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::codegen {

struct EmitPlan {
  // Per tensor id; "" where the tensor is not emitted (an unused intermediate).
  std::vector<std::string> name;      // the name passed to the API (original or counter)
  std::vector<std::string> member;    // X.bin member of a static tensor, "<sanitized>.raw"
  std::vector<std::string> fn;        // C function declaring a graph I/O or static tensor
  std::vector<std::string> node_fn;   // per node: the C function adding it
  std::vector<ir::TensorId> statics;  // static tensors in graph order (X.bin order)
};

// Checks that the graph is emittable (I/O kinds, static data sizes, unique names, valid
// ids) and names everything. Errors name the tensor or node.
Expected<EmitPlan> plan_emit(const ir::Graph& g, bool exclude_named_tensors);

}  // namespace oqnn::codegen
