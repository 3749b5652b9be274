// What qnn-net-run does, as a library call: get a plan (model library finalized now, or a
// context binary), run it once per input-list line (repeating the list for
// --num_inferences), and write <output_dir>/Result_<i>/<name>.raw, debug dumps of every
// intermediate tensor, and the profiling log.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runtime/profiling.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::rt {

struct NetRunOptions {
  std::string model_path;  // exactly one of model_path and context_path
  std::string context_path;
  std::string model_prefix = "QnnModel";
  std::string backend;
  std::string input_list;
  std::string output_dir = "./output";
  std::string config_file;
  std::string perf_profile;
  bool native_inputs = false;                   // --use_native_input_files
  std::vector<std::string> native_input_names;  // --native_input_tensor_names
  bool native_outputs = false;                  // --use_native_output_files
  bool float_outputs = true;                    // false with --output_data_type native_only
  ProfilingLevel profiling = ProfilingLevel::kOff;
  int num_inferences = 0;     // 0: one pass over the input list
  int keep_num_outputs = -1;  // -1: keep every inference's outputs
  bool debug = false;         // dump every intermediate tensor (float32)
  bool cpu_fallback = true;   // --model on gpu/htp: nodes they cannot run go to the cpu
  // Called after each inference (the tool shows progress on a terminal); may be empty.
  std::function<void(size_t done, size_t total)> progress;
};

struct NetRunResult {
  int inferences = 0;
  std::string profiling_log;
};

Expected<NetRunResult> run_network(const NetRunOptions& o, OutputGuard& guard);

}  // namespace oqnn::rt
