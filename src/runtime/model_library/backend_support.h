// Checks a composed graph against backends' capability tables (backend_api.h), for
// qnn-model-lib-generator --target_backends: each named backend library is loaded from
// `lib_dir` (libQnnCpu.so, libQnnGpu.so, libQnnHtp.so) and must list every op the graph
// uses. Rows are matched by op; activation dtypes are the backend's own concern at
// finalize (HTP quantizes a float graph, GPU runs it in fp16).
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::rt {

// "cpu" -> "libQnnCpu.so" and so on; "" for an unknown short name.
std::string backend_library_name(const std::string& short_name);

// Unsupported (kUnsupported) names the op, the node and the backend; an unknown backend
// name is a usage error.
Status check_backend_support(const ir::Graph& g, const std::vector<std::string>& backends,
                             const std::string& lib_dir);

}  // namespace oqnn::rt
