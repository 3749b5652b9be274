#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

// A small ResNet-like classifier as the importer produces it.
ir::Graph small_net(bool with_flatten_head) {
  GraphBuilder b(11);
  auto x = b.input("input", {1, 3, 8, 8});
  auto c1 = b.conv(x, 8, 3, "/stem/conv/Conv_output_0", false, params({{"stride", ints({2, 2})}}));
  auto bn =
      b.spatial("Batchnorm", c1, {b.weight("bn.scale", {8}, 0.5f, 1.5f), b.weight("bn.shift", {8})},
                "/stem/bn/BatchNormalization_output_0");
  auto r1 = b.node("Relu", {bn}, "/stem/relu/Relu_output_0");
  auto c2 = b.conv(r1, 8, 3, "/block/conv/Conv_output_0");
  auto add = b.node("ElementWiseAdd", {c2, r1}, "/block/add/Add_output_0");
  auto r2 = b.node("ReluMinMax", {add}, "/block/relu6/Clip_output_0",
                   params({{"min_value", 0.0}, {"max_value", 6.0}}));
  ir::TensorId flat;
  if (with_flatten_head) {
    flat =
        b.node("Reshape", {r2}, "/flatten/Flatten_output_0", params({{"shape", ints({1, 128})}}));
  } else {
    auto gap = b.spatial("PoolAvg2d", r2, {}, "/gap/GlobalAveragePool_output_0",
                         params({{"filter_size", ints({4, 4})}}));
    flat = b.node("Reshape", {gap}, "/flatten/Flatten_output_0", params({{"shape", ints({1, 8})}}));
  }
  int64_t k = with_flatten_head ? 128 : 8;
  auto fc =
      b.node("FullyConnected", {flat, b.weight("fc.weight", {10, k}), b.weight("fc.bias", {10})},
             "/fc/Gemm_output_0");
  b.output(b.node("Softmax", {fc}, "probs"));
  return b.take();
}

std::vector<std::string> pass_names(const PipelineOptions& o) {
  std::vector<std::string> names;
  for (const auto& p : make_pipeline(o)) names.emplace_back(p->name());
  return names;
}

TEST(Pipeline, ListsPerLevel) {
  PipelineOptions o;
  o.optimization_level = "low";
  EXPECT_EQ(pass_names(o),
            (std::vector<std::string>{"fold_constants", "remove_dead", "io_layout"}));
  o.optimization_level = "medium";
  EXPECT_EQ(pass_names(o), (std::vector<std::string>{
                               "fold_constants", "fuse_channel_shuffle", "cancel_transposes",
                               "fold_batchnorm", "fuse_gelu", "fuse_norms", "fuse_activations",
                               "fold_constants", "remove_dead", "io_layout"}));
  o.disable_batchnorm_folding = true;
  EXPECT_EQ(pass_names(o).size(), 9u);
  o.optimization_level = "high";
  EXPECT_EQ(pass_names(o)[3], "fold_transpose_into_fc");
}

TEST(Pipeline, MediumMakesTheGraphNhwcAndFoldsEverything) {
  ir::Graph before = small_net(false);
  ir::Graph g = before;
  PipelineOptions o;
  Status s = run_pipeline(g, o);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  EXPECT_EQ(count_ops(g, "Transpose"), 0);
  EXPECT_EQ(count_ops(g, "Batchnorm"), 0);
  EXPECT_EQ(count_ops(g, "Relu"), 0);
  EXPECT_EQ(count_ops(g, "ReluMinMax"), 1);
  EXPECT_EQ(count_ops(g, "Reshape"), 1);
  EXPECT_EQ(g.attributes.at("io_layout.input"), "NHWC");
  EXPECT_EQ(g.attributes.at("io_layout.probs"), "NF");
  const ir::Node* stem = producer_of(g, "/stem/relu/Relu_output_0");
  ASSERT_NE(stem, nullptr);
  EXPECT_EQ(stem->op, "Conv2d");
  EXPECT_EQ(stem->params.get_string("fused_activation"), "relu");
  // Clip after an Add has no conv to fuse into.
  EXPECT_EQ(producer_of(g, "/block/relu6/Clip_output_0")->op, "ReluMinMax");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(Pipeline, HighFoldsTheFlattenTransposeIntoTheClassifier) {
  ir::Graph before = small_net(true);
  ir::Graph medium = before, high = before;
  PipelineOptions o;
  ASSERT_TRUE(run_pipeline(medium, o).is_ok());
  EXPECT_EQ(count_ops(medium, "Transpose"), 1);
  o.optimization_level = "high";
  ASSERT_TRUE(run_pipeline(high, o).is_ok());
  EXPECT_EQ(count_ops(high, "Transpose"), 0);
  EXPECT_EQ(high.tensor(producer_of(high, "/fc/Gemm_output_0")->inputs[1]).name, "fc.weight");
  EXPECT_LE(max_rel_error(before, medium), 1e-5);
  EXPECT_LE(max_rel_error(before, high), 1e-5);
}

TEST(Pipeline, LowKeepsTheSandwichesButFixesIo) {
  ir::Graph before = small_net(false);
  ir::Graph g = before;
  PipelineOptions o;
  o.optimization_level = "low";
  ASSERT_TRUE(run_pipeline(g, o).is_ok());
  EXPECT_GT(count_ops(g, "Transpose"), 0);
  EXPECT_EQ(count_ops(g, "Batchnorm"), 1);
  EXPECT_EQ(g.attributes.at("io_layout.input"), "NHWC");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(Pipeline, BatchnormFoldingCanBeDisabled) {
  ir::Graph before = small_net(false);
  ir::Graph g = before;
  PipelineOptions o;
  o.disable_batchnorm_folding = true;
  ASSERT_TRUE(run_pipeline(g, o).is_ok());
  EXPECT_EQ(count_ops(g, "Batchnorm"), 1);
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

std::string read_all(const std::filesystem::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

TEST(Pipeline, DebugDumpsAreWrittenAndDeterministic) {
  auto dir =
      std::filesystem::temp_directory_path() / ("oqnn_passes_debug_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  PipelineOptions o;
  o.debug_dir = (dir / "a").string();
  ir::Graph g1 = small_net(false), g2 = small_net(false);
  ASSERT_TRUE(run_pipeline(g1, o).is_ok());
  o.debug_dir = (dir / "b").string();
  ASSERT_TRUE(run_pipeline(g2, o).is_ok());
  std::vector<std::string> expected = {"00_input.txt",
                                       "01_fold_constants.txt",
                                       "02_fuse_channel_shuffle.txt",
                                       "03_cancel_transposes.txt",
                                       "04_fold_batchnorm.txt",
                                       "05_fuse_gelu.txt",
                                       "06_fuse_norms.txt",
                                       "07_fuse_activations.txt",
                                       "08_fold_constants.txt",
                                       "09_remove_dead.txt",
                                       "10_io_layout.txt"};
  for (const auto& f : expected) {
    ASSERT_TRUE(std::filesystem::exists(dir / "a" / f)) << f;
    EXPECT_EQ(read_all(dir / "a" / f), read_all(dir / "b" / f)) << f;
  }
  EXPECT_NE(read_all(dir / "a" / "10_io_layout.txt").find("io_layout.input = NHWC"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(Pipeline, UnknownLevelIsAUsageError) {
  ir::Graph g = small_net(false);
  PipelineOptions o;
  o.optimization_level = "extreme";
  Status s = run_pipeline(g, o);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUsage);
}

TEST(Pipeline, NumericCheckCatchesAWrongGraph) {
  // Guards the oracle itself: a changed weight must show up as an error.
  ir::Graph before = small_net(false);
  ir::Graph g = before;
  auto id = *g.find_tensor("fc.weight");
  std::vector<float> w(g.tensor(id).values<float>().begin(), g.tensor(id).values<float>().end());
  w[3] += 0.5f;
  g.tensor(id).data = make_owned_blob(w.data(), w.size() * sizeof(float));
  EXPECT_GT(max_rel_error(before, g), 1e-3);
}

}  // namespace
}  // namespace oqnn::passes::testing
