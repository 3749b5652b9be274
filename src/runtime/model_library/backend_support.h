// Checks a composed graph against backends' capability tables (backend_api.h), for
// qnn-model-lib-generator --target_backends: each named backend library is loaded from
// `lib_dir` (libQnnCpu.so, libQnnGpu.so, libQnnHtp.so). A node runs natively on a backend
// when its op has a row there and, for gpu and htp, the dtypes of its run-time tensors have rows
// (rt::nodes_supported, the partitioner's own rule); the others fall back to the CPU, as the
// context-binary generator and qnn-net-run will split the graph (a warning per backend).
// A node neither the backend nor the CPU runs is an error.
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::rt {

// "cpu" -> "libQnnCpu.so" and so on; "" for an unknown short name.
std::string backend_library_name(const std::string& short_name);

// Unsupported (kUnsupported) names the op, the node and the backend; an unknown backend
// name is a usage error. Fallback reports are appended to `warnings`.
Status check_backend_support(const ir::Graph& g, const std::vector<std::string>& backends,
                             const std::string& lib_dir, std::vector<std::string>& warnings);

}  // namespace oqnn::rt
