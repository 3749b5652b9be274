#include "backends/gpu/gpu_config.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "runtime/performance_modes.h"
#include "support/log.h"

namespace oqnn::gpu {
namespace {

Error key_error(const std::string& key, const std::string& what) {
  return bad_input("gpu_config: '" + key + "' " + what);
}

}  // namespace

Expected<GpuConfig> parse_gpu_config(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return bad_input("gpu_config: not valid JSON");
  if (j.is_object() && j.contains("gpu_config")) j = j["gpu_config"];
  if (!j.is_object()) return bad_input("gpu_config: expected a JSON object");
  GpuConfig c;
  for (const auto& [key, v] : j.items()) {
    if (key == "device_id") {
      if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > 1 << 16)
        return key_error(key, "must be a non-negative integer");
      c.device_id = v.get<int>();
    } else if (key == "performance_mode") {
      if (!v.is_string()) return key_error(key, "must be a string");
      std::string m = v.get<std::string>();
      if (std::find(rt::kPerformanceModes.begin(), rt::kPerformanceModes.end(), m) ==
          rt::kPerformanceModes.end()) {
        std::string all;
        for (const char* k : rt::kPerformanceModes) all += std::string(all.empty() ? "" : ", ") + k;
        return bad_input("gpu_config: 'performance_mode' has unknown value '" + m + "'",
                         {"expected one of: " + all});
      }
      c.performance_mode = m;
    } else if (key == "precision_mode") {
      // QNN's modes: "hybrid" is fp16 storage with fp32 arithmetic, which is what "fp16"
      // gives here too (fp32 arithmetic on every device); "user_provided" keeps the
      // graph's own types, float32 for every graph this backend runs.
      const char* kModes = "\"fp16\", \"hybrid\", \"fp32\" or \"user_provided\"";
      if (!v.is_string()) return key_error(key, std::string("must be a string (") + kModes + ")");
      std::string m = v.get<std::string>();
      if (m != "fp16" && m != "hybrid" && m != "fp32" && m != "user_provided")
        return key_error(key, std::string("must be ") + kModes + ", got '" + m + "'");
      c.fp16 = m == "fp16" || m == "hybrid";
    } else if (key == "enable_transform_optimization") {
      if (!v.is_boolean()) return key_error(key, "must be true or false");
      c.transform_optimization = v.get<bool>();
    } else {
      spdlog::warn("gpu_config: ignoring unknown key '{}'", key);
    }
  }
  return c;
}

}  // namespace oqnn::gpu
