// The CPU backend behind libQnnCpu.so: config parsing ("cpu_config": num_threads,
// performance_mode, enable_fast_math), finalize (verify, capability check, HostPlan with
// the fastest kernels) and deserialize (the serialized finalized graph).
#pragma once

#include <memory>
#include <string>

#include "runtime/backend_glue.h"

namespace oqnn::cpu {

struct CpuConfig {
  int num_threads = 1;
  std::string performance_mode = "default";
  bool enable_fast_math = false;  // accepted; fp32 kernels never trade accuracy for speed
};

// `json` is the backend's config section, or a whole config file holding "cpu_config".
Expected<CpuConfig> parse_cpu_config(const std::string& json);

Expected<std::unique_ptr<rt::BackendImpl>> create_cpu_backend(const std::string& config_json);

}  // namespace oqnn::cpu
