#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "runtime/profile_report.h"
#include "runtime/profiling.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

using test::contains;

ProfileLog recorded_log() {
  ProfileRecorder r(ProfilingLevel::kDetailed, "qnn-net-run");
  r.set_backend("cpu", "0.1.0");
  r.set_graph("g");
  r.add_stage("init", 100);
  r.add_stage("finalize", 250);
  for (int i = 0; i < 3; ++i) {
    r.begin_inference();
    ProfileRecorder::node_time_callback(&r, "conv,1", "Conv2d", 10000 * (i + 1));
    ProfileRecorder::node_time_callback(&r, "relu", "Relu", 2000);
    r.end_inference(20.0 * (i + 1));
  }
  r.add_stage("de-init", 5);
  return r.log();
}

TEST(Profiling, LogRoundTripsThroughTheFile) {
  test::TempDir dir;
  std::string path = dir.file(kProfilingLogName);
  ASSERT_TRUE(write_profile_log(path, recorded_log()).is_ok());
  auto log = read_profile_log(path);
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_EQ(log->backend, "cpu");
  EXPECT_EQ(log->graph, "g");
  EXPECT_EQ(log->level, ProfilingLevel::kDetailed);
  ASSERT_EQ(log->stages.size(), 3u);
  EXPECT_EQ(log->stages[1].name, "finalize");
  ASSERT_EQ(log->inferences.size(), 3u);
  EXPECT_DOUBLE_EQ(log->inferences[2].execute_us, 60.0);
  ASSERT_EQ(log->inferences[1].nodes.size(), 2u);
  EXPECT_DOUBLE_EQ(log->inferences[1].nodes[0].us, 20.0);  // 20000 ns
}

TEST(Profiling, BasicLevelOmitsNodes) {
  ProfileLog log = recorded_log();
  log.level = ProfilingLevel::kBasic;
  auto back = parse_profile_log(profile_log_to_json(log), "p.log");
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(back->inferences[0].nodes.empty());
}

TEST(Profiling, ForeignOrDamagedLogsAreBadInput) {
  for (const char* text :
       {"{}", "[]", "{\"format\": \"openqnn-profiling-log\", \"version\": 9}", "not json",
        R"({"format": "openqnn-profiling-log", "version": 1, "backend": "cpu",
                               "level": "basic", "stages": [{"name": "init", "us": -1}],
                               "inferences": []})"}) {
    auto r = parse_profile_log(text, "p.log");
    ASSERT_FALSE(r.has_value()) << text;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
    EXPECT_TRUE(contains(r.error().message, "p.log")) << r.error().message;
  }
  EXPECT_EQ(parse_profiling_level("verbose").error().code, ErrorCode::kUsage);
}

TEST(ProfileReport, NodeStatsAverageInFirstRunOrder) {
  auto stats = node_stats(recorded_log());
  ASSERT_EQ(stats.size(), 2u);
  EXPECT_EQ(stats[0].name, "conv,1");
  EXPECT_EQ(stats[0].count, 3u);
  EXPECT_DOUBLE_EQ(stats[0].avg_us, 20.0);
  EXPECT_DOUBLE_EQ(stats[0].min_us, 10.0);
  EXPECT_DOUBLE_EQ(stats[0].max_us, 30.0);
}

TEST(ProfileReport, SummaryShowsStagesExecuteStatsAndNodes) {
  std::string s = profile_summary({"p.log", recorded_log()});
  EXPECT_TRUE(contains(s, "Init:")) << s;
  EXPECT_TRUE(contains(s, "Finalize:")) << s;
  EXPECT_TRUE(contains(s, "De-Init:")) << s;
  EXPECT_TRUE(contains(s, "40.0 us avg")) << s;
  EXPECT_TRUE(contains(s, "20.0 us min")) << s;
  EXPECT_TRUE(contains(s, "60.0 us max")) << s;
  EXPECT_TRUE(contains(s, "Conv2d")) << s;
}

TEST(ProfileReport, CsvQuotesNamesWithCommas) {
  std::string csv = profile_csv({{"p.log", recorded_log()}});
  EXPECT_TRUE(contains(csv, "log,backend,section,name,op,count,avg_us,min_us,max_us\n"));
  EXPECT_TRUE(contains(csv, "p.log,cpu,execute,execute,,3,40.000,20.000,60.000\n")) << csv;
  EXPECT_TRUE(contains(csv, "p.log,cpu,node,\"conv,1\",Conv2d,3,20.000,10.000,30.000\n")) << csv;
}

TEST(ProfileReport, ChromeTraceIsJsonWithOneSpanPerEvent) {
  auto j = nlohmann::json::parse(chrome_trace({{"p.log", recorded_log()}}));
  const auto& ev = j["traceEvents"];
  size_t spans = 0, nodes = 0;
  double deinit_ts = -1, last_exec_end = 0;
  for (const auto& e : ev) {
    if (e["ph"] != "X") continue;
    ++spans;
    if (e["cat"] == "node") ++nodes;
    if (e["name"] == "de-init") deinit_ts = e["ts"].get<double>();
    if (e["cat"] == "execute")
      last_exec_end = std::max(last_exec_end, e["ts"].get<double>() + e["dur"].get<double>());
  }
  EXPECT_EQ(spans, 3u + 3u + 6u);  // stages, executes, nodes
  EXPECT_EQ(nodes, 6u);
  EXPECT_DOUBLE_EQ(deinit_ts, last_exec_end);  // de-init follows the inferences
}

}  // namespace
}  // namespace oqnn::rt
