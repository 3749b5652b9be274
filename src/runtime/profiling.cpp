#include "runtime/profiling.h"

#include <cmath>

#include "runtime/json_util.h"
#include "support/files.h"

namespace oqnn::rt {
namespace {

using nlohmann::json;

constexpr const char* kFormat = "openqnn-profiling-log";
constexpr int kVersion = 1;

const char* level_name(ProfilingLevel l) {
  return l == ProfilingLevel::kDetailed ? "detailed"
         : l == ProfilingLevel::kBasic  ? "basic"
                                        : "off";
}

bool get_time(const json& j, const char* key, double& out) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return false;
  out = j[key].get<double>();
  return std::isfinite(out) && out >= 0;
}

bool get_string(const json& j, const char* key, std::string& out) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return false;
  out = j[key].get<std::string>();
  return true;
}

}  // namespace

Expected<ProfilingLevel> parse_profiling_level(const std::string& s) {
  if (s == "basic") return ProfilingLevel::kBasic;
  if (s == "detailed" || s == "backend") return ProfilingLevel::kDetailed;
  return usage_error("--profiling_level: unknown value '" + s + "'",
                     {"expected basic or detailed"});
}

ProfileRecorder::ProfileRecorder(ProfilingLevel level, std::string tool) {
  log_.level = level;
  log_.tool = std::move(tool);
}

void ProfileRecorder::set_backend(const std::string& name, const std::string& version) {
  log_.backend = name;
  log_.backend_version = version;
}

void ProfileRecorder::add_stage(const std::string& name, double us) {
  log_.stages.push_back({name, us});
}

void ProfileRecorder::begin_inference() {
  log_.inferences.emplace_back();
}

void ProfileRecorder::end_inference(double execute_us) {
  if (log_.inferences.empty()) log_.inferences.emplace_back();
  log_.inferences.back().execute_us = execute_us;
}

void ProfileRecorder::node_time_callback(void* recorder, const char* node, const char* op,
                                         uint64_t ns) {
  auto* r = static_cast<ProfileRecorder*>(recorder);
  if (r->log_.inferences.empty()) r->log_.inferences.emplace_back();
  r->log_.inferences.back().nodes.push_back(
      {node ? node : "", op ? op : "", static_cast<double>(ns) / 1000.0});
}

std::string profile_log_to_json(const ProfileLog& log) {
  json stages = json::array(), inferences = json::array();
  for (const auto& s : log.stages) stages.push_back({{"name", s.name}, {"us", s.us}});
  for (const auto& inf : log.inferences) {
    json nodes = json::array();
    for (const auto& n : inf.nodes) nodes.push_back({{"name", n.name}, {"op", n.op}, {"us", n.us}});
    json j{{"execute_us", inf.execute_us}};
    if (log.level == ProfilingLevel::kDetailed) j["nodes"] = nodes;
    inferences.push_back(j);
  }
  json root{{"format", kFormat},
            {"version", kVersion},
            {"tool", log.tool},
            {"backend", log.backend},
            {"backend_version", log.backend_version},
            {"graph", log.graph},
            {"level", level_name(log.level)},
            {"stages", stages},
            {"inferences", inferences}};
  return root.dump(1, ' ') + "\n";
}

Status write_profile_log(const std::string& path, const ProfileLog& log) {
  return write_text_atomic(path, profile_log_to_json(log));
}

Expected<ProfileLog> parse_profile_log(const std::string& text, const std::string& origin) {
  OQNN_ASSIGN_OR_RETURN(json root, parse_json(text, origin));
  auto fail = [&](const std::string& what) {
    return bad_input(origin + ": " + what,
                     {"qnn-profile-viewer reads the logs OpenQNN's qnn-net-run writes with "
                      "--profiling_level"});
  };
  std::string format;
  if (!get_string(root, "format", format) || format != kFormat)
    return fail("not an OpenQNN profiling log (no \"format\": \"" + std::string(kFormat) + "\")");
  if (!root.contains("version") || !root["version"].is_number_integer() ||
      root["version"].get<int>() != kVersion)
    return fail("unsupported profiling log version");
  ProfileLog log;
  std::string level;
  if (!get_string(root, "backend", log.backend) || !get_string(root, "level", level))
    return fail("missing backend or level");
  get_string(root, "tool", log.tool);
  get_string(root, "backend_version", log.backend_version);
  get_string(root, "graph", log.graph);
  log.level = level == "detailed" ? ProfilingLevel::kDetailed : ProfilingLevel::kBasic;
  if (!root.contains("stages") || !root["stages"].is_array()) return fail("missing stages");
  for (const auto& s : root["stages"]) {
    StageTime st;
    if (!get_string(s, "name", st.name) || !get_time(s, "us", st.us))
      return fail("bad stage entry");
    log.stages.push_back(st);
  }
  if (!root.contains("inferences") || !root["inferences"].is_array())
    return fail("missing inferences");
  for (size_t i = 0; i < root["inferences"].size(); ++i) {
    const json& inf = root["inferences"][i];
    std::string where = "inference " + std::to_string(i);
    InferenceTimes t;
    if (!get_time(inf, "execute_us", t.execute_us)) return fail(where + ": bad execute_us");
    if (inf.contains("nodes")) {
      if (!inf["nodes"].is_array()) return fail(where + ": nodes must be a list");
      for (const auto& n : inf["nodes"]) {
        NodeTime nt;
        if (!get_string(n, "name", nt.name) || !get_string(n, "op", nt.op) ||
            !get_time(n, "us", nt.us))
          return fail(where + ": bad node entry");
        t.nodes.push_back(std::move(nt));
      }
    }
    log.inferences.push_back(std::move(t));
  }
  return log;
}

Expected<ProfileLog> read_profile_log(const std::string& path) {
  OQNN_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return parse_profile_log(text, path);
}

}  // namespace oqnn::rt
