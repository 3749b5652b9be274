// What qnn-context-binary-generator does, as a library call: compose the model library's
// graph, complete its quantization for HTP from the input list where encodings are
// missing, finalize it on the backend, and write the plan into a context binary with the
// graph's metadata.
#pragma once

#include <string>

#include "runtime/profiling.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::rt {

struct ContextGenOptions {
  std::string model_path;
  std::string model_prefix = "QnnModel";
  std::string backend;
  std::string output_dir = "./output";
  std::string binary_file;  // ".bin" is appended; "" = <backend name>_context
  std::string config_file;
  std::string input_list;          // calibration samples for HTP completion; optional
  std::string optimization_level;  // recorded in the metadata
  ProfilingLevel profiling = ProfilingLevel::kOff;
  bool cpu_fallback = true;  // false: --disable_cpu_fallback
};

struct ContextGenResult {
  std::string binary_path;
  std::string profiling_log;  // "" unless profiling was asked for
};

// Every file written is registered with `guard`.
Expected<ContextGenResult> generate_context_binary(const ContextGenOptions& o, OutputGuard& guard);

}  // namespace oqnn::rt
