// fuse_gelu: both exporter orders of x * 0.5 * (1 + erf(x / sqrt 2)) become one Gelu that
// writes the pattern's output tensor and computes the same values; near misses stay.
#include <gtest/gtest.h>

#include <cmath>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

struct GeluCase {
  const char* what;
  bool hf_order;     // Mul(Mul(x, 0.5), 1 + erf) instead of Mul(Mul(x, 1 + erf), 0.5)
  bool mul_inverse;  // Mul(x, 1/sqrt 2) instead of Div(x, sqrt 2)
  float root;        // the divisor (sqrt 2 to fuse)
  bool fuses;
};

ir::Graph gelu_graph(const GeluCase& c) {
  GraphBuilder b;
  auto x = b.input("x", {2, 16});
  auto h = b.node("FullyConnected", {x, b.weight("w", {16, 16})}, "h");
  auto scaled =
      c.mul_inverse
          ? b.node("ElementWiseMultiply", {h, b.constant("inv", {}, {1.0f / c.root})}, "scaled")
          : b.node("ElementWiseDivide", {h, b.constant("root", {}, {c.root})}, "scaled");
  auto e = b.node("ElementWiseErf", {scaled}, "erf");
  auto one_plus = b.node("ElementWiseAdd", {b.constant("one", {}, {1.0f}), e}, "one_plus");
  ir::TensorId y;
  if (c.hf_order) {
    auto half = b.node("ElementWiseMultiply", {h, b.constant("half", {}, {0.5f})}, "half");
    y = b.node("ElementWiseMultiply", {half, one_plus}, "gelu_out");
  } else {
    auto m = b.node("ElementWiseMultiply", {h, one_plus}, "m");
    y = b.node("ElementWiseMultiply", {m, b.constant("half", {}, {0.5f})}, "gelu_out");
  }
  b.output(b.node("Sigmoid", {y}, "out"));
  return b.take();
}

TEST(FuseGelu, BothExporterOrdersBecomeOneGelu) {
  const float root2 = std::sqrt(2.0f);
  const GeluCase cases[] = {
      {"torch order, Div", false, false, root2, true},
      {"Hugging Face order, Div", true, false, root2, true},
      {"torch order, Mul by 1/sqrt 2", false, true, root2, true},
      {"Hugging Face order, Mul by 1/sqrt 2", true, true, root2, true},
      {"another divisor is not Gelu", false, false, 2.0f, false},
  };
  for (const GeluCase& c : cases) {
    ir::Graph before = gelu_graph(c);
    ir::Graph g = before;
    auto pass = make_fuse_gelu();
    EXPECT_EQ(run_pass(*pass, g), c.fuses) << c.what;
    EXPECT_EQ(count_ops(g, "Gelu"), c.fuses ? 1 : 0) << c.what;
    EXPECT_EQ(count_ops(g, "ElementWiseErf"), c.fuses ? 0 : 1) << c.what;
    if (!c.fuses) continue;
    const ir::Node* gelu = producer_of(g, "gelu_out");
    ASSERT_NE(gelu, nullptr) << c.what;
    EXPECT_EQ(gelu->op, "Gelu");
    EXPECT_EQ(gelu->params.get_string("approximate"), "none");
    EXPECT_EQ(g.nodes.size(), 3u) << c.what;  // FullyConnected, Gelu, Sigmoid
    EXPECT_LT(max_rel_error(before, g), 1e-6) << c.what;
  }
}

TEST(FuseGelu, AnIntermediateReadElsewhereKeepsThePattern) {
  ir::Graph g = gelu_graph({"", false, false, std::sqrt(2.0f), true});
  g.outputs.push_back(*g.find_tensor("erf"));  // erf is also a graph output
  g.tensor(*g.find_tensor("erf")).kind = ir::TensorKind::kOutput;
  auto pass = make_fuse_gelu();
  EXPECT_FALSE(run_pass(*pass, g));
  EXPECT_EQ(count_ops(g, "Gelu"), 0);
}

}  // namespace
}  // namespace oqnn::passes::testing
