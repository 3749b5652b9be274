#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "runtime/config.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

using nlohmann::json;
using test::contains;

// The seed's backend_config.json as the course page shows it, comment line included.
constexpr const char* kSeedConfig = R"(// backend_config.json
{
  "htp_config": {
    "device_id": 0,
    "performance_mode": "high_performance",
    "precision_mode": "int8",
    "vtcm_mb": 8,
    "enable_dma": true
  },
  "gpu_config": {
    "device_id": 0,
    "performance_mode": "sustained_high_performance",
    "precision_mode": "fp16",
    "enable_transform_optimization": true
  },
  "cpu_config": {
    "num_threads": 4,
    "performance_mode": "balanced",
    "enable_fast_math": true
  }
})";

TEST(BackendConfig, SeedFileSplitsIntoSections) {
  test::TempDir dir;
  test::write_text(dir.file("backend_config.json"), kSeedConfig);
  auto c = load_backend_config(dir.file("backend_config.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  json htp = json::parse(c->section("htp"));
  EXPECT_EQ(htp["vtcm_mb"], 8);
  EXPECT_EQ(htp["performance_mode"], "high_performance");
  EXPECT_EQ(htp["enable_dma"], true);
  EXPECT_EQ(json::parse(c->section("gpu"))["precision_mode"], "fp16");
  EXPECT_EQ(json::parse(c->section("cpu"))["num_threads"], 4);
  EXPECT_EQ(c->section("dsp"), "{}");
}

TEST(BackendConfig, AbsentSectionsAreEmptyObjects) {
  auto c = parse_backend_config(R"({"cpu_config": {"num_threads": 2}})", "c.json", ".");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->section("htp"), "{}");
  EXPECT_EQ(c->section("gpu"), "{}");
}

TEST(BackendConfig, WrongTypesNameTheFileAndKey) {
  struct Case {
    const char* text;
    const char* key;
  };
  for (const Case& k :
       {Case{R"({"htp_config": {"vtcm_mb": "8"}})", "htp_config.vtcm_mb"},
        Case{R"({"cpu_config": {"num_threads": -1}})", "cpu_config.num_threads"},
        Case{R"({"gpu_config": {"performance_mode": "fast"}})", "gpu_config.performance_mode"},
        Case{R"({"htp_config": {"enable_dma": 1}})", "htp_config.enable_dma"},
        Case{R"({"htp_config": [1, 2]})", "htp_config"}}) {
    auto c = parse_backend_config(k.text, "cfg.json", ".");
    ASSERT_FALSE(c.has_value()) << k.text;
    EXPECT_EQ(c.error().code, ErrorCode::kBadInput);
    EXPECT_TRUE(contains(c.error().message, "cfg.json")) << c.error().message;
    EXPECT_TRUE(contains(c.error().message, k.key)) << c.error().message;
  }
}

TEST(BackendConfig, InvalidJsonNamesTheFileAndPlace) {
  auto c = parse_backend_config("{\"htp_config\": {\"vtcm_mb\": 8,}}", "cfg.json", ".");
  ASSERT_FALSE(c.has_value());
  EXPECT_TRUE(contains(c.error().message, "cfg.json: invalid JSON")) << c.error().message;
  EXPECT_TRUE(contains(c.error().message, "line 1")) << c.error().message;
  auto top = parse_backend_config("[1]", "cfg.json", ".");
  ASSERT_FALSE(top.has_value());
  auto missing = load_backend_config("/no/such/cfg.json");
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(contains(missing.error().message, "/no/such/cfg.json"));
}

TEST(BackendConfig, QnnBackendExtensionsMapOntoHtp) {
  test::TempDir dir;
  test::write_text(dir.file("htp_ext.json"), R"({
    "graphs": [{"graph_names": ["model"], "vtcm_mb": 4, "O": 3, "hvx_threads": 2,
                "fp16_relaxed_precision": 0}],
    "devices": [{"dsp_arch": "v73", "cores": [{"perf_profile": "burst"}]}]})");
  test::write_text(dir.file("config.json"), R"({
    "backend_extensions": {"shared_library_path": "libQnnHtpNetRunExtensions.so",
                           "config_file_path": "htp_ext.json"},
    "context_configs": {}, "graph_configs": []})");
  // The extension file is found beside the config file.
  auto c = load_backend_config(dir.file("config.json"));
  ASSERT_TRUE(c.has_value()) << c.error().message;
  json htp = json::parse(c->section("htp"));
  EXPECT_EQ(htp["vtcm_mb"], 4);
  EXPECT_EQ(htp["O"], 3);
  EXPECT_EQ(htp["hvx_threads"], 2);
  EXPECT_EQ(htp["performance_mode"], "burst");
  EXPECT_EQ(c->section("cpu"), "{}");
  // The extension file itself is accepted too.
  auto direct = load_backend_config(dir.file("htp_ext.json"));
  ASSERT_TRUE(direct.has_value()) << direct.error().message;
  EXPECT_EQ(json::parse(direct->section("htp"))["vtcm_mb"], 4);
}

TEST(BackendConfig, ExplicitHtpConfigWinsOverExtensions) {
  auto c = parse_backend_config(R"({"htp_config": {"vtcm_mb": 8},
                                    "graphs": [{"vtcm_mb": 2, "O": 2}]})",
                                "c.json", ".");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  json htp = json::parse(c->section("htp"));
  EXPECT_EQ(htp["vtcm_mb"], 8);
  EXPECT_EQ(htp["O"], 2);
}

TEST(BackendConfig, BadExtensionValuesAreNamed) {
  auto c = parse_backend_config(R"({"graphs": [{"O": 7}]})", "ext.json", ".");
  ASSERT_FALSE(c.has_value());
  EXPECT_TRUE(contains(c.error().message, "graphs[0].O")) << c.error().message;
  auto missing = parse_backend_config(
      R"({"backend_extensions": {"config_file_path": "nope.json"}})", "c.json", "/nonexistent");
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(contains(missing.error().message, "backend_extensions.config_file_path"));
  EXPECT_TRUE(contains(missing.error().message, "nope.json"));
}

TEST(BackendConfig, PerfProfileOverridesPerformanceMode) {
  auto s = with_performance_mode(R"({"performance_mode": "balanced", "num_threads": 2})", "burst");
  ASSERT_TRUE(s.has_value());
  json j = json::parse(*s);
  EXPECT_EQ(j["performance_mode"], "burst");
  EXPECT_EQ(j["num_threads"], 2);
  auto bad = with_performance_mode("{}", "turbo");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kUsage);
}

}  // namespace
}  // namespace oqnn::rt
