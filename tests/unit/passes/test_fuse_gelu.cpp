// fuse_gelu: both exporter orders of x * 0.5 * (1 + erf(x / sqrt 2)), and the tanh form
// x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))) of GPT-2 and torch, become one Gelu
// that writes the pattern's output tensor and computes the same values; near misses stay.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

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

// Runs fuse_gelu on `before`: it fuses (into one Gelu with `approximate` writing
// "gelu_out", same values) exactly when `fuses`; `decomposed` is the op that must go.
void expect_gelu(const ir::Graph& before, bool fuses, const char* approximate,
                 const char* decomposed, const char* what) {
  ir::Graph g = before;
  auto pass = make_fuse_gelu();
  EXPECT_EQ(run_pass(*pass, g), fuses) << what;
  EXPECT_EQ(count_ops(g, "Gelu"), fuses ? 1 : 0) << what;
  EXPECT_EQ(count_ops(g, decomposed), fuses ? 0 : 1) << what;
  if (!fuses) return;
  const ir::Node* gelu = producer_of(g, "gelu_out");
  ASSERT_NE(gelu, nullptr) << what;
  EXPECT_EQ(gelu->op, "Gelu");
  EXPECT_EQ(gelu->params.get_string("approximate"), approximate);
  EXPECT_EQ(g.nodes.size(), 3u) << what;  // FullyConnected, Gelu, Sigmoid
  EXPECT_LT(max_rel_error(before, g), 1e-6) << what;
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
  for (const GeluCase& c : cases)
    expect_gelu(gelu_graph(c), c.fuses, "none", "ElementWiseErf", c.what);
}

TEST(FuseGelu, AnIntermediateReadElsewhereKeepsThePattern) {
  ir::Graph g = gelu_graph({"", false, false, std::sqrt(2.0f), true});
  g.outputs.push_back(*g.find_tensor("erf"));  // erf is also a graph output
  g.tensor(*g.find_tensor("erf")).kind = ir::TensorKind::kOutput;
  auto pass = make_fuse_gelu();
  EXPECT_FALSE(run_pass(*pass, g));
  EXPECT_EQ(count_ops(g, "Gelu"), 0);
}

struct TanhCase {
  const char* what;
  int order;         // 0: Mul(Mul(x, 1+t), 0.5)  1: Mul(Mul(x, 0.5), 1+t)  2: Mul(0.5, Mul(1+t, x))
  bool pow_cube;     // Pow(x, 3) instead of x * (x * x)
  bool consts_left;  // scalars as the first operand of Mul and Add
  float coeff;       // 0.044715 to fuse
  bool fuses;
};

ir::Graph tanh_gelu_graph(const TanhCase& c) {
  GraphBuilder b;
  auto x = b.input("x", {2, 16});
  auto h = b.node("FullyConnected", {x, b.weight("w", {16, 16})}, "h");
  auto k = [&](const char* name, float v) { return b.constant(name, {}, {v}); };
  auto mul = [&](ir::TensorId a, ir::TensorId s, const char* out) {
    return c.consts_left ? b.node("ElementWiseMultiply", {s, a}, out)
                         : b.node("ElementWiseMultiply", {a, s}, out);
  };
  ir::TensorId cube = c.pow_cube ? b.node("ElementWisePower", {h, k("three", 3.0f)}, "cube")
                                 : b.node("ElementWiseMultiply",
                                          {h, b.node("ElementWiseMultiply", {h, h}, "sq")}, "cube");
  auto scaled_cube = mul(cube, k("coeff", c.coeff), "scaled_cube");
  auto inner = c.consts_left ? b.node("ElementWiseAdd", {scaled_cube, h}, "inner")
                             : b.node("ElementWiseAdd", {h, scaled_cube}, "inner");
  auto arg = mul(inner, k("root", static_cast<float>(std::sqrt(2.0 / std::numbers::pi))), "arg");
  auto t = b.node("Tanh", {arg}, "tanh");
  auto one_plus = c.consts_left ? b.node("ElementWiseAdd", {k("one", 1.0f), t}, "one_plus")
                                : b.node("ElementWiseAdd", {t, k("one", 1.0f)}, "one_plus");
  ir::TensorId y;
  if (c.order == 0) {
    y = mul(b.node("ElementWiseMultiply", {h, one_plus}, "m"), k("half", 0.5f), "gelu_out");
  } else if (c.order == 1) {
    y = b.node("ElementWiseMultiply", {mul(h, k("half", 0.5f), "half_x"), one_plus}, "gelu_out");
  } else {
    y = b.node("ElementWiseMultiply",
               {k("half", 0.5f), b.node("ElementWiseMultiply", {one_plus, h}, "m")}, "gelu_out");
  }
  b.output(b.node("Sigmoid", {y}, "out"));
  return b.take();
}

TEST(FuseGelu, TanhFormsBecomeOneTanhGelu) {
  const TanhCase cases[] = {
      {"torch order, x * x * x", 0, false, false, 0.044715f, true},
      {"GPT-2 gelu_new order, Pow(x, 3)", 1, true, false, 0.044715f, true},
      {"constants on the left", 0, true, true, 0.044715f, true},
      {"0.5 * ((1 + t) * x)", 2, false, true, 0.044715f, true},
      {"another cubic coefficient is not Gelu", 0, false, false, 0.05f, false},
  };
  for (const TanhCase& c : cases) expect_gelu(tanh_gelu_graph(c), c.fuses, "tanh", "Tanh", c.what);
}

TEST(FuseGelu, TanhFormWithASharedOrOutputIntermediateStays) {
  for (const char* shared : {"inner", "cube", "tanh"}) {
    ir::Graph g = tanh_gelu_graph({"", 0, false, false, 0.044715f, true});
    if (std::string(shared) == "tanh")
      make_graph_output(g, shared);
    else
      add_reader(g, shared);
    auto pass = make_fuse_gelu();
    EXPECT_FALSE(run_pass(*pass, g)) << shared;
    EXPECT_EQ(count_ops(g, "Gelu"), 0) << shared;
  }
}

}  // namespace
}  // namespace oqnn::passes::testing
