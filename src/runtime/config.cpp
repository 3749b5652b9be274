#include "runtime/config.h"

#include "runtime/performance_modes.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "runtime/json_util.h"
#include "support/files.h"

namespace oqnn::rt {
namespace {

using nlohmann::json;

enum class KeyType { kUInt, kBool, kString, kPerfMode, kOptLevel };
struct KeySpec {
  const char* key;
  KeyType type;
};

const std::vector<KeySpec> kHtpKeys = {
    {"device_id", KeyType::kUInt},        {"performance_mode", KeyType::kPerfMode},
    {"precision_mode", KeyType::kString}, {"vtcm_mb", KeyType::kUInt},
    {"enable_dma", KeyType::kBool},       {"O", KeyType::kOptLevel},
    {"hvx_threads", KeyType::kUInt},      {"num_threads", KeyType::kUInt}};
const std::vector<KeySpec> kGpuKeys = {{"device_id", KeyType::kUInt},
                                       {"performance_mode", KeyType::kPerfMode},
                                       {"precision_mode", KeyType::kString},
                                       {"enable_transform_optimization", KeyType::kBool}};
const std::vector<KeySpec> kCpuKeys = {{"num_threads", KeyType::kUInt},
                                       {"performance_mode", KeyType::kPerfMode},
                                       {"enable_fast_math", KeyType::kBool}};

bool is_perf_mode(const json& v) {
  if (!v.is_string()) return false;
  const auto& modes = performance_modes();
  return std::find(modes.begin(), modes.end(), v.get<std::string>()) != modes.end();
}

std::string perf_mode_list() {
  std::string s;
  for (const auto& m : performance_modes()) s += (s.empty() ? "" : ", ") + m;
  return s;
}

// Empty when `v` fits `type`, else what was expected.
std::string type_problem(const json& v, KeyType type) {
  switch (type) {
    case KeyType::kUInt:
      return v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0)
                 ? ""
                 : "a non-negative integer";
    case KeyType::kBool:
      return v.is_boolean() ? "" : "true or false";
    case KeyType::kString:
      return v.is_string() ? "" : "a string";
    case KeyType::kPerfMode:
      return is_perf_mode(v) ? "" : "one of " + perf_mode_list();
    case KeyType::kOptLevel:
      return v.is_number() && v.get<double>() >= 1 && v.get<double>() <= 3 &&
                     v.get<double>() == static_cast<double>(static_cast<int>(v.get<double>()))
                 ? ""
                 : "1, 2 or 3";
  }
  return "";
}

Status check_value(const json& v, KeyType type, const std::string& origin, const std::string& key) {
  std::string want = type_problem(v, type);
  if (want.empty()) return Status::ok();
  return bad_input(origin + ": " + key + ": expected " + want + ", got " + json_brief(v));
}

Status check_section(const json& sec, const std::string& name, const std::vector<KeySpec>& specs,
                     const std::string& origin) {
  if (!sec.is_object())
    return bad_input(origin + ": " + name + ": expected an object, got " + json_brief(sec));
  for (const auto& [key, value] : sec.items()) {
    auto it = std::find_if(specs.begin(), specs.end(),
                           [&k = key](const KeySpec& s) { return k == s.key; });
    if (it == specs.end()) {
      spdlog::warn("{}: {}.{} is not a setting OpenQNN knows; passed to the backend as is", origin,
                   name, key);
      continue;
    }
    OQNN_RETURN_IF_ERROR(check_value(value, it->type, origin, name + "." + key));
  }
  return Status::ok();
}

// A relative path in a config file: as given (QNN's tools resolve against the current
// folder), else beside the config file.
std::string resolve_beside(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path[0] == '/' || file_exists(path)) return path;
  std::string beside = join_path(base_dir, path);
  return file_exists(beside) ? beside : path;
}

// Maps QNN's HTP extension settings (graphs[].{vtcm_mb,O,hvx_threads},
// devices[].cores[].perf_profile) onto our htp_config keys, without overriding `htp`.
Status map_htp_extension(const json& ext, const std::string& origin, json& htp) {
  if (!ext.is_object()) return bad_input(origin + ": expected a JSON object");
  auto set = [&](const char* ours, const json& v) {
    if (!htp.contains(ours)) htp[ours] = v;
  };
  if (ext.contains("graphs")) {
    const json& graphs = ext["graphs"];
    if (!graphs.is_array()) return bad_input(origin + ": graphs: expected a list");
    if (graphs.size() > 1)
      spdlog::warn("{}: graphs has {} entries; the first is used for every graph", origin,
                   graphs.size());
    if (!graphs.empty()) {
      const json& g = graphs[0];
      if (!g.is_object()) return bad_input(origin + ": graphs[0]: expected an object");
      for (const auto& [key, value] : g.items()) {
        std::string where = "graphs[0]." + key;
        if (key == "vtcm_mb" || key == "hvx_threads") {
          OQNN_RETURN_IF_ERROR(check_value(value, KeyType::kUInt, origin, where));
          set(key.c_str(), value);
        } else if (key == "O") {
          OQNN_RETURN_IF_ERROR(check_value(value, KeyType::kOptLevel, origin, where));
          set("O", static_cast<int>(value.get<double>()));
        } else if (key != "graph_names") {
          spdlog::warn("{}: {} is not used by OpenQNN", origin, where);
        }
      }
    }
  }
  if (ext.contains("devices")) {
    const json& devs = ext["devices"];
    if (!devs.is_array()) return bad_input(origin + ": devices: expected a list");
    for (size_t d = 0; d < devs.size(); ++d) {
      if (!devs[d].is_object() || !devs[d].contains("cores")) continue;
      const json& cores = devs[d]["cores"];
      if (!cores.is_array())
        return bad_input(origin + ": devices[" + std::to_string(d) + "].cores: expected a list");
      for (size_t c = 0; c < cores.size(); ++c) {
        if (!cores[c].is_object() || !cores[c].contains("perf_profile")) continue;
        std::string where =
            "devices[" + std::to_string(d) + "].cores[" + std::to_string(c) + "].perf_profile";
        OQNN_RETURN_IF_ERROR(
            check_value(cores[c]["perf_profile"], KeyType::kPerfMode, origin, where));
        set("performance_mode", cores[c]["perf_profile"]);
      }
    }
  }
  return Status::ok();
}

Status map_backend_extensions(const json& be, const std::string& origin,
                              const std::string& base_dir, json& htp) {
  if (!be.is_object())
    return bad_input(origin + ": backend_extensions: expected an object, got " + json_brief(be));
  std::string lib;
  if (be.contains("shared_library_path")) {
    if (!be["shared_library_path"].is_string())
      return bad_input(origin + ": backend_extensions.shared_library_path: expected a string");
    lib = be["shared_library_path"].get<std::string>();
  }
  if (!be.contains("config_file_path")) return Status::ok();
  if (!be["config_file_path"].is_string())
    return bad_input(origin + ": backend_extensions.config_file_path: expected a string");
  if (lib.find("Gpu") != std::string::npos || lib.find("Cpu") != std::string::npos) {
    spdlog::warn("{}: backend_extensions for {} have no OpenQNN equivalent; ignored", origin, lib);
    return Status::ok();
  }
  std::string path = resolve_beside(be["config_file_path"].get<std::string>(), base_dir);
  auto ext = load_json_file(path);
  if (!ext)
    return bad_input(origin + ": backend_extensions.config_file_path: " + ext.error().message);
  return map_htp_extension(*ext, path, htp);
}

}  // namespace

const std::vector<std::string>& performance_modes() {
  static const std::vector<std::string> modes(kPerformanceModes.begin(), kPerformanceModes.end());
  return modes;
}

std::string BackendConfigs::section(const std::string& backend_name) const {
  if (backend_name == "htp") return htp;
  if (backend_name == "gpu") return gpu;
  if (backend_name == "cpu") return cpu;
  return "{}";
}

Expected<BackendConfigs> parse_backend_config(const std::string& text, const std::string& origin,
                                              const std::string& base_dir) {
  OQNN_ASSIGN_OR_RETURN(json root, parse_json(text, origin));
  if (!root.is_object()) return bad_input(origin + ": expected a JSON object at the top level");
  json htp = json::object(), gpu = json::object(), cpu = json::object();
  for (const auto& [key, value] : root.items()) {
    if (key == "htp_config") {
      OQNN_RETURN_IF_ERROR(check_section(value, key, kHtpKeys, origin));
      htp = value;
    } else if (key == "gpu_config") {
      OQNN_RETURN_IF_ERROR(check_section(value, key, kGpuKeys, origin));
      gpu = value;
    } else if (key == "cpu_config") {
      OQNN_RETURN_IF_ERROR(check_section(value, key, kCpuKeys, origin));
      cpu = value;
    } else if (key != "backend_extensions" && key != "graphs" && key != "devices" &&
               key != "context_configs" && key != "graph_configs") {
      spdlog::warn("{}: top-level key '{}' is not used by OpenQNN", origin, key);
    }
  }
  // QNN's forms fill only what htp_config did not set explicitly.
  if (root.contains("backend_extensions"))
    OQNN_RETURN_IF_ERROR(map_backend_extensions(root["backend_extensions"], origin, base_dir, htp));
  if (root.contains("graphs") || root.contains("devices"))
    OQNN_RETURN_IF_ERROR(map_htp_extension(root, origin, htp));
  BackendConfigs out;
  out.origin = origin;
  out.htp = htp.dump();
  out.gpu = gpu.dump();
  out.cpu = cpu.dump();
  return out;
}

Expected<BackendConfigs> load_backend_config(const std::string& path) {
  OQNN_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return parse_backend_config(text, path, dirname_of(path));
}

Expected<std::string> with_performance_mode(const std::string& section, const std::string& mode) {
  if (!is_perf_mode(json(mode)))
    return usage_error("--perf_profile: unknown value '" + mode + "'",
                       {"expected one of " + perf_mode_list()});
  OQNN_ASSIGN_OR_RETURN(json sec, parse_json(section, "backend config section"));
  if (!sec.is_object()) sec = json::object();
  sec["performance_mode"] = mode;
  return sec.dump();
}

}  // namespace oqnn::rt
