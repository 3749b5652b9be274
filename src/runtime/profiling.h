// The profiling log qnn-net-run and qnn-context-binary-generator write with
// --profiling_level (<output_dir>/qnn-profiling-data_0.log) and qnn-profile-viewer reads.
// Our own JSON format (QNN's is a binary only its viewer reads), times in microseconds:
//   {"format": "openqnn-profiling-log", "version": 1, "tool", "backend",
//    "backend_version", "graph", "level": "basic"|"detailed",
//    "stages": [{"name": "init"|"finalize"|"deserialize"|"de-init"|..., "us"}],
//    "inferences": [{"execute_us", "nodes": [{"name", "op", "us"}]  (detailed only)}]}
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "oqnn/backend_api.h"
#include "support/status.h"

namespace oqnn::rt {

enum class ProfilingLevel { kOff, kBasic, kDetailed };
// "basic" | "detailed" ("backend" is QNN's backend-specific level: read as detailed).
Expected<ProfilingLevel> parse_profiling_level(const std::string& s);

struct NodeTime {
  std::string name, op;
  double us = 0;
};

struct InferenceTimes {
  double execute_us = 0;
  std::vector<NodeTime> nodes;
};

struct StageTime {
  std::string name;
  double us = 0;
};

struct ProfileLog {
  std::string tool, backend, backend_version, graph;
  ProfilingLevel level = ProfilingLevel::kBasic;
  std::vector<StageTime> stages;
  std::vector<InferenceTimes> inferences;
};

inline constexpr const char* kProfilingLogName = "qnn-profiling-data_0.log";

// Collects times while a command runs. node_time_callback() plugs into
// OqnnExecuteOptions::on_node_time at the detailed level.
class ProfileRecorder {
 public:
  ProfileRecorder(ProfilingLevel level, std::string tool);
  bool enabled() const { return log_.level != ProfilingLevel::kOff; }
  bool detailed() const { return log_.level == ProfilingLevel::kDetailed; }
  void set_backend(const std::string& name, const std::string& version);
  void set_graph(const std::string& name) { log_.graph = name; }
  void add_stage(const std::string& name, double us);
  void begin_inference();
  void end_inference(double execute_us);
  static void node_time_callback(void* recorder, const char* node, const char* op, uint64_t ns);
  const ProfileLog& log() const { return log_; }

 private:
  ProfileLog log_;
};

std::string profile_log_to_json(const ProfileLog& log);
Status write_profile_log(const std::string& path, const ProfileLog& log);  // atomic
Expected<ProfileLog> read_profile_log(const std::string& path);
Expected<ProfileLog> parse_profile_log(const std::string& text, const std::string& origin);

// Microseconds since `start`, for stage and execute times.
inline double micros_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
      .count();
}

}  // namespace oqnn::rt
