// Loading a model library (lib<name>.so built by qnn-model-lib-generator): dlopen it, index
// its embedded weights archive, and compose the graph through the OqnnModelApi callbacks
// (include/oqnn/model_api.h). Everything the library passes in is validated — it is
// untrusted input — and static tensor data is never copied: each tensor's data points into
// the embedded archive, kept alive by the shared dlopen handle.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::rt {

struct LoadedModel {
  ir::Graph graph;
  std::shared_ptr<void> handle;  // the dlopen handle; static data lives as long as it does
  std::string path;
};

// Errors (kBadInput) name the file: not a shared library, no <prefix>_composeGraphs or
// OqnnModel_getWeights, a malformed archive, or a graph that fails validation (the tensor
// or node is named).
Expected<LoadedModel> load_model_library(const std::string& path,
                                         const std::string& prefix = "QnnModel");

// Member name -> (offset, size) of a ustar archive (pax path/size records honoured).
// Bounds-checked: malformed bytes give an error naming `origin`, never a crash.
Expected<std::map<std::string, std::pair<uint64_t, uint64_t>>> index_ustar(
    std::span<const std::byte> archive, const std::string& origin);

}  // namespace oqnn::rt
