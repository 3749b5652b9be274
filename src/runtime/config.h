// The --config_file of qnn-net-run and qnn-context-binary-generator, split into the JSON
// section each backend's create() receives. Two forms are read: the seed's
// {"htp_config": {...}, "gpu_config": {...}, "cpu_config": {...}} and QNN's
// {"backend_extensions": {"config_file_path": ...}, ...} whose HTP extension file
// ({"graphs": [{vtcm_mb, O, hvx_threads}], "devices": [{cores: [{perf_profile}]}]}) is
// mapped onto htp_config. Known keys are type-checked here so that a typo names the file
// and the key; values a backend does not know are its own to judge.
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace oqnn::rt {

struct BackendConfigs {
  std::string htp = "{}";
  std::string gpu = "{}";
  std::string cpu = "{}";
  std::string origin;  // the file they came from ("" for defaults), for error messages
  // The section for a backend's short name ("htp", "gpu", "cpu"); "{}" for any other.
  std::string section(const std::string& backend_name) const;
};

Expected<BackendConfigs> load_backend_config(const std::string& path);
// `origin` names the file in errors; `base_dir` resolves a relative extension file path.
Expected<BackendConfigs> parse_backend_config(const std::string& text, const std::string& origin,
                                              const std::string& base_dir);

// The performance modes QNN accepts for --perf_profile and performance_mode.
const std::vector<std::string>& performance_modes();
// `section` with performance_mode set to `mode` (--perf_profile overrides the file).
Expected<std::string> with_performance_mode(const std::string& section, const std::string& mode);

}  // namespace oqnn::rt
