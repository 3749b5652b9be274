// What qnn-profile-viewer makes of profiling logs: a text summary (stage times, execute
// average/min/max, and at the detailed level a per-node table), a CSV of the same rows,
// and a Chrome-trace JSON (chrome://tracing, Perfetto) laying the recorded times out on
// a timeline.
#pragma once

#include <string>
#include <vector>

#include "runtime/profiling.h"

namespace oqnn::rt {

struct NamedLog {
  std::string path;
  ProfileLog log;
};

// Average/min/max over the inferences of one log, per node in first-run order.
struct NodeStats {
  std::string name, op;
  size_t count = 0;
  double avg_us = 0, min_us = 0, max_us = 0;
};
std::vector<NodeStats> node_stats(const ProfileLog& log);

std::string profile_summary(const NamedLog& log);
std::string profile_csv(const std::vector<NamedLog>& logs);
std::string chrome_trace(const std::vector<NamedLog>& logs);

}  // namespace oqnn::rt
