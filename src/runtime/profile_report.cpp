#include "runtime/profile_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

namespace oqnn::rt {
namespace {

struct Stats {
  size_t count = 0;
  double sum = 0, min = 0, max = 0;
  void add(double v) {
    min = count ? std::min(min, v) : v;
    max = count ? std::max(max, v) : v;
    sum += v;
    ++count;
  }
  double avg() const { return count ? sum / static_cast<double>(count) : 0.0; }
};

Stats execute_stats(const ProfileLog& log) {
  Stats s;
  for (const auto& inf : log.inferences) s.add(inf.execute_us);
  return s;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string stage_label(const std::string& name) {
  if (name == "de-init") return "De-Init";
  std::string label = name;
  if (!label.empty())
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

}  // namespace

std::vector<NodeStats> node_stats(const ProfileLog& log) {
  std::vector<NodeStats> out;
  std::vector<Stats> acc;
  std::map<std::string, size_t> index;  // lookup only; order comes from `out`
  for (const auto& inf : log.inferences)
    for (const auto& n : inf.nodes) {
      auto [it, fresh] = index.emplace(n.name, out.size());
      if (fresh) {
        out.push_back({n.name, n.op, 0, 0, 0, 0});
        acc.emplace_back();
      }
      acc[it->second].add(n.us);
    }
  for (size_t i = 0; i < out.size(); ++i) {
    out[i].count = acc[i].count;
    out[i].avg_us = acc[i].avg();
    out[i].min_us = acc[i].min;
    out[i].max_us = acc[i].max;
  }
  return out;
}

std::string profile_summary(const NamedLog& named) {
  const ProfileLog& log = named.log;
  std::string s = fmt::format("Log: {}\n", named.path);
  s += fmt::format("Backend: {}{}   Graph: {}   Level: {}   Tool: {}\n\n", log.backend,
                   log.backend_version.empty() ? "" : " (" + log.backend_version + ")",
                   log.graph.empty() ? "-" : log.graph,
                   log.level == ProfilingLevel::kDetailed ? "detailed" : "basic",
                   log.tool.empty() ? "-" : log.tool);
  for (const auto& st : log.stages)
    s += fmt::format("{:<16}{:>14.1f} us\n", stage_label(st.name) + ":", st.us);
  Stats ex = execute_stats(log);
  if (ex.count) {
    s += fmt::format("{:<16}{:>14.1f} us avg   {:.1f} us min   {:.1f} us max   ({} inferences)\n",
                     "Execute:", ex.avg(), ex.min, ex.max, ex.count);
    s += fmt::format("{:<16}{:>14.1f} us\n", "Total execute:", ex.sum);
  }
  auto nodes = node_stats(log);
  if (nodes.empty()) return s;
  // Partition events (heterogeneous plans) span their nodes' events: not part of the total.
  auto is_partition = [](const NodeStats& n) { return n.op.starts_with("Partition("); };
  double total = 0;
  for (const auto& n : nodes) total += is_partition(n) ? 0.0 : n.avg_us;
  size_t w = 4;
  for (const auto& n : nodes) w = std::max(w, n.name.size());
  w = std::min<size_t>(w, 60);
  s += fmt::format("\nPer node (over {} inferences):\n", ex.count);
  s += fmt::format("  {:<{}}  {:<22}{:>12}{:>12}{:>12}{:>8}\n", "Node", w, "Op", "avg us", "min us",
                   "max us", "share");
  for (const auto& n : nodes)
    s += fmt::format("  {:<{}}  {:<22}{:>12.1f}{:>12.1f}{:>12.1f}{:>7.1f}%\n", n.name, w, n.op,
                     n.avg_us, n.min_us, n.max_us, total > 0 ? 100.0 * n.avg_us / total : 0.0);
  return s;
}

std::string profile_csv(const std::vector<NamedLog>& logs) {
  std::string s = "log,backend,section,name,op,count,avg_us,min_us,max_us\n";
  auto row = [&](const NamedLog& l, const char* section, const std::string& name,
                 const std::string& op, size_t count, double avg, double mn, double mx) {
    s += fmt::format("{},{},{},{},{},{},{:.3f},{:.3f},{:.3f}\n", csv_field(l.path),
                     csv_field(l.log.backend), section, csv_field(name), csv_field(op), count, avg,
                     mn, mx);
  };
  for (const auto& l : logs) {
    for (const auto& st : l.log.stages) row(l, "stage", st.name, "", 1, st.us, st.us, st.us);
    Stats ex = execute_stats(l.log);
    if (ex.count) row(l, "execute", "execute", "", ex.count, ex.avg(), ex.min, ex.max);
    for (const auto& n : node_stats(l.log))
      row(l, "node", n.name, n.op, n.count, n.avg_us, n.min_us, n.max_us);
  }
  return s;
}

std::string chrome_trace(const std::vector<NamedLog>& logs) {
  using nlohmann::json;
  json events = json::array();
  auto span = [&](const std::string& name, const char* cat, double ts, double dur, size_t pid) {
    events.push_back({{"name", name},
                      {"cat", cat},
                      {"ph", "X"},
                      {"ts", ts},
                      {"dur", dur},
                      {"pid", pid},
                      {"tid", 0}});
  };
  for (size_t p = 0; p < logs.size(); ++p) {
    const ProfileLog& log = logs[p].log;
    events.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", p},
                      {"tid", 0},
                      {"args", {{"name", log.backend + " " + logs[p].path}}}});
    // Stages run in the recorded order; the inferences run between the set-up stages
    // (init, finalize/deserialize) and de-init.
    double t = 0;
    auto run_inferences = [&] {
      for (size_t i = 0; i < log.inferences.size(); ++i) {
        const auto& inf = log.inferences[i];
        span("execute " + std::to_string(i), "execute", t, inf.execute_us, p);
        double nt = t;
        for (const auto& n : inf.nodes) {
          span(n.name + " (" + n.op + ")", "node", nt, n.us, p);
          nt += n.us;
        }
        t += inf.execute_us;
      }
    };
    bool ran = false;
    for (const auto& st : log.stages) {
      if (!ran && st.name == "de-init") {
        run_inferences();
        ran = true;
      }
      span(st.name, "stage", t, st.us, p);
      t += st.us;
    }
    if (!ran) run_inferences();
  }
  json root{{"traceEvents", events}, {"displayTimeUnit", "ms"}};
  return root.dump(1, ' ') + "\n";
}

}  // namespace oqnn::rt
