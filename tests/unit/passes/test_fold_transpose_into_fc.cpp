#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

TEST(FoldTransposeIntoFc, PermutesWeightColumnsInsteadOfActivations) {
  GraphBuilder b;
  auto x = b.input("x", {2, 3, 4, 5});  // channel-last data of a [2,5,3,4] tensor
  auto t = b.transpose(x, {0, 3, 1, 2}, "nchw");
  auto flat = b.node("Reshape", {t}, "flat", params({{"shape", ints({2, 60})}}));
  auto w = b.weight("fc.weight", {7, 60});
  b.output(b.node("FullyConnected", {flat, w, b.weight("fc.bias", {7})}, "y"));
  ir::Graph before = b.take();
  ir::Encoding per_row{8, true, true, 0, std::vector<double>(7, 0.01), std::vector<int32_t>(7, 0)};
  before.tensor(w).encoding = per_row;
  ir::Graph g = before;
  auto pass = make_fold_transpose_into_fc();
  EXPECT_TRUE(run_pass(*pass, g));
  EXPECT_EQ(count_ops(g, "Transpose"), 0);
  const ir::Node* fc = producer_of(g, "y");
  ASSERT_NE(fc, nullptr);
  EXPECT_EQ(g.tensor(fc->inputs[1]).name, "fc.weight");
  EXPECT_EQ(g.tensor(fc->inputs[1]).encoding, per_row);
  EXPECT_EQ(g.tensor(producer_of(g, "flat")->inputs[0]).name, "x");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(FoldTransposeIntoFc, NeedsABatchPreservingFlatten) {
  GraphBuilder b;
  auto x = b.input("x", {2, 3, 4});
  auto t = b.transpose(x, {1, 0, 2}, "t");  // moves the batch dim
  auto flat = b.node("Reshape", {t}, "flat", params({{"shape", ints({3, 8})}}));
  b.output(b.node("FullyConnected", {flat, b.weight("w", {5, 8})}, "y"));
  ir::Graph g = b.take();
  auto pass = make_fold_transpose_into_fc();
  EXPECT_FALSE(run_pass(*pass, g));
  EXPECT_EQ(count_ops(g, "Transpose"), 1);
}

}  // namespace
}  // namespace oqnn::passes::testing
