// X.cpp: the graph as C++ that calls include/oqnn/model_api.h, one small function per graph
// I/O or static tensor and one per node, as QNN's generated sources are laid out.
#pragma once

#include <string>

#include "codegen/emit.h"
#include "codegen/emit_plan.h"

namespace oqnn::codegen {

// `graph_name` is what create_graph receives; `bin_name` is the weights archive's file name
// ("" when there is none), mentioned in the header comment.
std::string model_cpp_source(const ir::Graph& g, const EmitPlan& plan, const EmitOptions& o,
                             const std::string& graph_name, const std::string& bin_name);

// The <prefix> of the `<prefix>_composeGraphs` entry point a model source defines (what
// --overwrite_model_prefix chose), or "" when there is none.
std::string model_prefix_of_source(const std::string& cpp_text);

}  // namespace oqnn::codegen
