#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

TEST(FuseActivations, ReluAndRelu6FuseUnderTheActivationsName) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 6, 6});
  auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
  auto r = b.node("Relu", {c}, "/relu/Relu_output_0");
  auto c2 = b.conv(r, 4, 3, "/conv2/Conv_output_0");
  auto r6 = b.node("ReluMinMax", {c2}, "/relu6/Clip_output_0",
                   params({{"min_value", 0.0}, {"max_value", 6.0}}));
  auto f =
      b.node("Reshape", {r6}, "/flatten/Flatten_output_0", params({{"shape", ints({1, 144})}}));
  auto fc = b.node("FullyConnected", {f, b.weight("fc.w", {8, 144})}, "/fc/Gemm_output_0");
  b.output(b.node("Relu", {fc}, "out"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto layout = make_cancel_transposes();
  auto fuse = make_fuse_activations();
  run_pass(*layout, g);
  EXPECT_TRUE(run_pass(*fuse, g));
  EXPECT_EQ(count_ops(g, "Relu"), 0);
  EXPECT_EQ(count_ops(g, "ReluMinMax"), 0);
  const ir::Node* c1 = producer_of(g, "/relu/Relu_output_0");
  ASSERT_NE(c1, nullptr);
  EXPECT_EQ(c1->op, "Conv2d");
  EXPECT_EQ(c1->params.get_string("fused_activation"), "relu");
  const ir::Node* c6 = producer_of(g, "/relu6/Clip_output_0");
  ASSERT_NE(c6, nullptr);
  EXPECT_EQ(c6->op, "Conv2d");
  EXPECT_EQ(c6->params.get_string("fused_activation"), "clip");
  EXPECT_EQ(c6->params.get_float("clip_min"), 0.0);
  EXPECT_EQ(c6->params.get_float("clip_max"), 6.0);
  const ir::Node* fcn = producer_of(g, "out");
  ASSERT_NE(fcn, nullptr);
  EXPECT_EQ(fcn->op, "FullyConnected");
  EXPECT_FALSE(g.find_tensor("/conv/Conv_output_0").has_value());
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(FuseActivations, ActivationEncodingSurvives) {
  GraphBuilder b;
  auto x = b.input("x", {2, 6});
  auto fc = b.node("FullyConnected", {x, b.weight("w", {3, 6}), b.weight("b", {3})}, "fc_out");
  auto r = b.node("Relu", {fc}, "relu_out");
  b.output(r);
  ir::Graph before = b.take();
  ir::Encoding enc{8, false, false, -1, {0.02}, {0}};
  before.tensor(r).encoding = enc;
  before.tensor(fc).encoding = ir::Encoding{8, false, false, -1, {0.04}, {-100}};
  ir::Graph g = before;
  auto fuse = make_fuse_activations();
  EXPECT_TRUE(run_pass(*fuse, g));
  ASSERT_EQ(g.nodes.size(), 1u);
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).name, "relu_out");
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).encoding, enc);
  EXPECT_FALSE(g.find_tensor("fc_out").has_value());
  EXPECT_LE(max_rel_error(before, g), 1e-6);
}

TEST(FuseActivations, KeepsActivationWhenPreActivationIsNeeded) {
  GraphBuilder b;
  auto x = b.input("x", {1, 4, 4, 2});
  auto c = b.node("Conv2d", {x, b.weight("w", {1, 1, 2, 3})}, "c");
  b.output(b.node("Relu", {c}, "r"));
  b.output(b.node("Sigmoid", {c}, "s"));
  auto c2 = b.node("Conv2d", {x, b.weight("w2", {1, 1, 2, 3})}, "c2");
  b.output(c2);
  b.output(b.node("Relu", {c2}, "r2"));
  auto c3 = b.node("Conv2d", {x, b.weight("w3", {1, 1, 2, 3})}, "c3",
                   params({{"fused_activation", std::string("relu")}}));
  b.output(b.node("ReluMinMax", {c3}, "r3", params({{"min_value", 0.0}, {"max_value", 1.0}})));
  ir::Graph g = b.take();
  auto fuse = make_fuse_activations();
  EXPECT_FALSE(run_pass(*fuse, g));
  EXPECT_EQ(count_ops(g, "Relu"), 2);
  EXPECT_EQ(count_ops(g, "ReluMinMax"), 1);
}

}  // namespace
}  // namespace oqnn::passes::testing
