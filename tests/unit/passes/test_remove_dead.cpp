#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

TEST(RemoveDead, DropsBranchesThatReachNoOutput) {
  GraphBuilder b;
  auto x = b.input("x", {1, 6});
  auto unused_in = b.input("unused", {2});
  (void)unused_in;
  auto r = b.node("Relu", {x}, "r");
  auto dead1 = b.node("Sigmoid", {r}, "dead1");
  b.node("ElementWiseMultiply", {dead1, b.weight("dead_w", {6})}, "dead2");
  b.output(b.node("FullyConnected", {r, b.weight("w", {3, 6})}, "y"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto pass = make_remove_dead();
  EXPECT_TRUE(run_pass(*pass, g));
  EXPECT_EQ(g.nodes.size(), 2u);
  EXPECT_EQ(count_ops(g, "Sigmoid"), 0);
  EXPECT_FALSE(g.find_tensor("dead_w").has_value());
  EXPECT_FALSE(g.find_tensor("dead2").has_value());
  EXPECT_TRUE(g.find_tensor("unused").has_value());  // inputs are the interface
  EXPECT_EQ(g.inputs.size(), 2u);
  EXPECT_LE(max_rel_error(before, g), 1e-6);
  EXPECT_FALSE(run_pass(*pass, g));
}

}  // namespace
}  // namespace oqnn::passes::testing
