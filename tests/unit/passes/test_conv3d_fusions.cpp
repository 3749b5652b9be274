// Conv3d takes part in the generic conv rewrites: Batchnorm folds into it (weights scaled
// on their last, output-channel axis) and a following Relu/ReluMinMax becomes its fused
// activation; TransposeConv3d, which has no fused activation, is left alone.
#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

ir::Params volume_window() {
  return params({{"stride", ints({1, 2, 1})},
                 {"pad_amount", ints({1, 1, 0, 1, 1, 0})},
                 {"group", int64_t{2}}});
}

TEST(Conv3dFusions, BatchnormFoldsAndReluFuses) {
  GraphBuilder b;
  auto x = b.input("x", {1, 4, 5, 6, 4});
  auto c = b.node("Conv3d", {x, b.weight("w", {3, 2, 2, 2, 6}), b.weight("b", {6})}, "conv",
                  volume_window());
  auto y = b.node("Batchnorm",
                  {c, b.weight("bn.scale", {6}, 0.5f, 1.5f), b.weight("bn.shift", {6})}, "bn");
  b.output(b.node("Relu", {y}, "relu"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto fold = make_fold_batchnorm();
  auto fuse = make_fuse_activations();
  EXPECT_TRUE(run_pass(*fold, g));
  EXPECT_TRUE(run_pass(*fuse, g));
  ASSERT_EQ(g.nodes.size(), 1u);
  const ir::Node& conv = g.nodes[0];
  EXPECT_EQ(conv.op, "Conv3d");
  EXPECT_EQ(conv.params.get_string("fused_activation"), "relu");
  EXPECT_EQ(g.tensor(conv.outputs[0]).name, "relu");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(Conv3dFusions, ClipFusesIntoABiaslessConv3d) {
  GraphBuilder b;
  auto x = b.input("x", {2, 3, 4, 4, 2});
  auto c = b.node("Conv3d", {x, b.weight("w", {1, 3, 3, 2, 5})}, "conv",
                  params({{"pad_amount", ints({0, 0, 1, 1, 1, 1})}}));
  b.output(b.node("ReluMinMax", {c}, "clip", params({{"min_value", 0.0}, {"max_value", 0.5}})));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto fuse = make_fuse_activations();
  EXPECT_TRUE(run_pass(*fuse, g));
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.nodes[0].params.get_string("fused_activation"), "clip");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(Conv3dFusions, TransposeConv3dKeepsItsRelu) {
  GraphBuilder b;
  auto x = b.input("x", {1, 2, 3, 3, 4});
  auto t = b.node("TransposeConv3d", {x, b.weight("w", {2, 2, 2, 4, 3})}, "tconv",
                  params({{"stride", ints({2, 2, 2})}}));
  b.output(b.node("Relu", {t}, "relu"));
  ir::Graph g = b.take();
  auto fuse = make_fuse_activations();
  EXPECT_FALSE(run_pass(*fuse, g));
  EXPECT_EQ(count_ops(g, "Relu"), 1);
}

}  // namespace
}  // namespace oqnn::passes::testing
