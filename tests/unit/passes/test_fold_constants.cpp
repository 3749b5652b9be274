#include <gtest/gtest.h>

#include <cstring>

#include "pass_test_util.h"
#include "passes/passes.h"
#include "passes/perm.h"

namespace oqnn::passes::testing {
namespace {

TEST(FoldConstants, EvaluatesStaticChainsAndKeepsNames) {
  GraphBuilder b;
  auto x = b.input("x", {1, 4, 4, 2});
  auto w_oihw = b.weight("w_oihw", {3, 2, 3, 3});
  auto w = b.transpose(w_oihw, {2, 3, 1, 0}, "w_hwio");
  auto conv = b.node("Conv2d", {x, w}, "conv", params({{"pad_amount", ints({1, 1, 1, 1})}}));
  auto s1 = b.weight("s1", {3});
  auto s2 = b.weight("s2", {1, 3});
  auto ab = b.node("ElementWiseAdd", {s1, s2}, "ab");
  auto ab2 = b.node("Reshape", {ab}, "ab_flat", params({{"shape", ints({3})}}));
  b.output(b.node("ElementWiseAdd", {conv, ab2}, "out"));
  // A node that makes a graph output is computed at run time, even from statics.
  b.output(b.node("Relu", {b.weight("s3", {2})}, "relu_out"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto pass = make_fold_constants();
  EXPECT_TRUE(run_pass(*pass, g));

  EXPECT_EQ(count_ops(g, "Transpose"), 0);
  EXPECT_EQ(count_ops(g, "Reshape"), 0);
  EXPECT_EQ(count_ops(g, "Relu"), 1);
  EXPECT_EQ(count_ops(g, "ElementWiseAdd"), 1);
  auto wid = g.find_tensor("w_hwio");
  ASSERT_TRUE(wid.has_value());
  const ir::Tensor& wt = g.tensor(*wid);
  EXPECT_TRUE(wt.is_static());
  EXPECT_EQ(wt.shape, (ir::Shape{3, 3, 2, 3}));
  const ir::Tensor& src = before.tensor(w_oihw);
  auto expect = permute_data(*src.data, src.shape, sizeof(float), {2, 3, 1, 0});
  ASSERT_EQ(wt.data->size(), expect->size());
  EXPECT_EQ(0, std::memcmp(wt.data->data(), expect->data(), expect->size()));
  EXPECT_TRUE(g.tensor(*g.find_tensor("ab_flat")).is_static());
  // Inputs that only fed folded nodes are gone.
  EXPECT_FALSE(g.find_tensor("w_oihw").has_value());
  EXPECT_FALSE(g.find_tensor("ab").has_value());
  EXPECT_LE(max_rel_error(before, g), 1e-6);

  EXPECT_FALSE(run_pass(*pass, g));  // nothing left to fold
}

}  // namespace
}  // namespace oqnn::passes::testing
