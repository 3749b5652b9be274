// The converter's back end: writes a graph as QNN-style model sources. X.cpp is small,
// readable C++ that composes the graph through include/oqnn/model_api.h (weights are never
// C arrays); X.bin is a ustar archive holding one member per static tensor; X_net.json
// describes the graph for people and scripts. Same graph and options, same bytes.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::codegen {

struct EmitOptions {
  std::string cpp_path;      // X.cpp; X.bin and X_net.json go beside it
  std::string command_line;  // the converter's full command line (args as given)
  std::vector<std::pair<std::string, std::string>> flags;  // key=value for the header comment
  std::string tool_version;                                // e.g. "OpenQNN 0.1.0"
  std::string model_prefix = "QnnModel";                   // --overwrite_model_prefix
  std::string copyright;                                   // --copyright_file contents ("" if none)
  bool exclude_named_tensors = false;
};

struct EmittedFiles {
  std::string cpp, bin, net_json;  // paths written; bin is "" when there are no static tensors
};

// Writes X.cpp, X.bin (omitted when there are no static tensors) and X_net.json, each
// atomically. The folder of cpp_path must exist. The graph's name in X.cpp is the .cpp
// file's stem (QNN's rule), whatever g.name says.
Expected<EmittedFiles> emit_model(const ir::Graph& g, const EmitOptions& o);

}  // namespace oqnn::codegen
