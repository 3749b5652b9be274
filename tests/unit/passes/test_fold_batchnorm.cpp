#include <gtest/gtest.h>

#include <cstring>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

ir::TensorId bn(GraphBuilder& b, ir::TensorId x, int64_t c, const std::string& name) {
  return b.node("Batchnorm",
                {x, b.weight(name + ".scale", {c}, 0.5f, 1.5f), b.weight(name + ".shift", {c})},
                name);
}

TEST(FoldBatchnorm, ImporterConvBnReluFoldsAndKeepsNames) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 6, 6});
  auto c = b.conv(x, 5, 3, "/conv/Conv_output_0", /*bias=*/false);
  auto y =
      b.spatial("Batchnorm", c, {b.weight("bn.scale", {5}, 0.5f, 1.5f), b.weight("bn.shift", {5})},
                "/bn/BatchNormalization_output_0");
  b.output(b.node("Relu", {y}, "/relu/Relu_output_0"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto layout = make_cancel_transposes();
  auto fold = make_fold_batchnorm();
  run_pass(*layout, g);
  EXPECT_TRUE(run_pass(*fold, g));
  EXPECT_EQ(count_ops(g, "Batchnorm"), 0);
  const ir::Node* conv = producer_of(g, "/bn/BatchNormalization_output_0");
  ASSERT_NE(conv, nullptr);
  EXPECT_EQ(conv->op, "Conv2d");
  ASSERT_EQ(conv->inputs.size(), 3u);
  EXPECT_TRUE(g.tensor(conv->inputs[2]).is_static());
  EXPECT_EQ(g.tensor(conv->inputs[1]).name, "/conv/Conv_output_0.weight");
  EXPECT_FALSE(g.find_tensor("bn.scale").has_value());
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(FoldBatchnorm, SharedWeightIsLeftUntouched) {
  GraphBuilder b;
  auto x = b.input("x", {1, 5, 5, 2});
  auto w = b.weight("w", {3, 3, 2, 4});
  auto pad = params({{"pad_amount", ints({1, 1, 1, 1})}});
  auto c1 = b.node("Conv2d", {x, w, b.weight("b1", {4})}, "c1", pad);
  auto c2 = b.node("Conv2d", {x, w}, "c2", pad);
  b.output(bn(b, c1, 4, "bn1"));
  b.output(c2);
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto fold = make_fold_batchnorm();
  EXPECT_TRUE(run_pass(*fold, g));
  EXPECT_EQ(count_ops(g, "Batchnorm"), 0);
  const ir::Node* n2 = producer_of(g, "c2");
  const ir::Tensor& w2 = g.tensor(n2->inputs[1]);
  EXPECT_EQ(w2.name, "w");
  EXPECT_EQ(0, std::memcmp(w2.data->data(), before.tensor(w).data->data(), w2.data->size()));
  const ir::Node* n1 = producer_of(g, "bn1");
  ASSERT_NE(n1, nullptr);
  EXPECT_NE(g.tensor(n1->inputs[1]).name, "w");
  EXPECT_EQ(g.tensor(n1->inputs[2]).name, "b1");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(FoldBatchnorm, DepthwiseAndFullyConnected) {
  GraphBuilder b;
  auto x = b.input("x", {1, 5, 5, 3});
  auto dw = b.node("DepthWiseConv2d", {x, b.weight("dw.w", {3, 3, 1, 6})}, "dw",
                   params({{"stride", ints({2, 2})}}));
  b.output(bn(b, dw, 6, "bn_dw"));
  auto v = b.input("v", {2, 7});
  auto fc = b.node("FullyConnected", {v, b.weight("fc.w", {4, 7}), b.weight("fc.b", {4})}, "fc");
  b.output(bn(b, fc, 4, "bn_fc"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto fold = make_fold_batchnorm();
  EXPECT_TRUE(run_pass(*fold, g));
  EXPECT_EQ(count_ops(g, "Batchnorm"), 0);
  EXPECT_EQ(producer_of(g, "bn_dw")->op, "DepthWiseConv2d");
  EXPECT_EQ(producer_of(g, "bn_fc")->op, "FullyConnected");
  EXPECT_EQ(g.tensor(producer_of(g, "bn_dw")->inputs[2]).shape, (ir::Shape{6}));
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(FoldBatchnorm, WeightEncodingOfTheUnfoldedValuesIsDropped) {
  GraphBuilder b;
  auto x = b.input("x", {1, 3, 3, 2});
  auto w = b.weight("w", {1, 1, 2, 3});
  auto c = b.node("Conv2d", {x, w}, "c");
  b.output(bn(b, c, 3, "bn"));
  ir::Graph g = b.take();
  g.tensor(w).encoding = ir::Encoding{8, true, true, -1, {0.01}, {0}};
  auto fold = make_fold_batchnorm();
  EXPECT_TRUE(run_pass(*fold, g));
  const ir::Tensor& folded = g.tensor(producer_of(g, "bn")->inputs[1]);
  EXPECT_EQ(folded.name, "w");
  EXPECT_FALSE(folded.encoding.has_value());
}

TEST(FoldBatchnorm, LeavesUnfoldableOnesAlone) {
  GraphBuilder b;
  auto x = b.input("x", {1, 4, 4, 2});
  auto fused = b.node("Conv2d", {x, b.weight("w1", {1, 1, 2, 2})}, "fused",
                      params({{"fused_activation", std::string("relu")}}));
  b.output(bn(b, fused, 2, "bn_after_fused"));
  auto shared = b.node("Conv2d", {x, b.weight("w2", {1, 1, 2, 2})}, "shared");
  b.output(bn(b, shared, 2, "bn_after_shared"));
  b.output(b.node("Sigmoid", {shared}, "other_reader"));
  auto r = b.node("Relu", {x}, "r");
  b.output(bn(b, r, 2, "bn_after_relu"));
  ir::Graph g = b.take();
  auto fold = make_fold_batchnorm();
  EXPECT_FALSE(run_pass(*fold, g));
  EXPECT_EQ(count_ops(g, "Batchnorm"), 3);
}

}  // namespace
}  // namespace oqnn::passes::testing
