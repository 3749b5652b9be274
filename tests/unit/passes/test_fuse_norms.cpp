// fuse_norms: the LayerNorm and RmsNorm decompositions of torch, Hugging Face, LLaMA and T5
// exports (every variant of square, inverse square root, constant side, gamma and beta)
// become one node writing the pattern's output tensor with the same values; near misses
// (intermediates read elsewhere or graph outputs, mismatched axes) keep the pattern or
// fuse only the part that is still a norm.
#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

enum Inv { kDiv, kReciprocal, kPowHalf };  // Div(d, sqrt), Mul(d, 1 / sqrt), Mul(d, v^-0.5)
enum Side { kNone, kRight, kLeft };        // gamma / beta absent or the constant's side

struct NormCase {
  const char* what;
  bool two_subs;    // LayerNorm: x - mean computed twice
  bool mul_square;  // Mul(d, d) instead of Pow(d, 2)
  Inv inv;
  bool consts_left;  // eps (and 1 of the reciprocal) as the first operand
  Side gamma, beta;
};

struct Built {
  ir::Graph g;
  std::vector<std::string> inner;  // intermediates of the pattern up to the normalization
  std::string out;                 // the pattern's output
};

// The tail: ReduceMean(sq) + eps, inverse square root, times num, gamma, beta.
ir::TensorId norm_tail(GraphBuilder& b, const NormCase& c, ir::TensorId sq, ir::TensorId num,
                       const std::vector<int64_t>& axes, std::vector<std::string>& inner) {
  auto k = [&](const char* name, float v) { return b.constant(name, {}, {v}); };
  auto bin = [&](const char* op, ir::TensorId a, ir::TensorId s, const char* out, bool left) {
    inner.push_back(out);
    return left ? b.node(op, {s, a}, out) : b.node(op, {a, s}, out);
  };
  // Past the normalization a shared tensor only shortens the norm (gamma, beta stay apart).
  auto affine = [&](const char* op, ir::TensorId a, ir::TensorId s, const char* out, bool left) {
    return left ? b.node(op, {s, a}, out) : b.node(op, {a, s}, out);
  };
  inner.push_back("var");
  auto var = b.node("ReduceMean", {sq}, "var", params({{"axes", axes}}));
  auto shifted = bin("ElementWiseAdd", var, k("eps", 1e-5f), "shifted", c.consts_left);
  ir::TensorId y;
  if (c.inv == kPowHalf) {
    auto r = bin("ElementWisePower", shifted, k("minus_half", -0.5f), "rstd", false);
    y = affine("ElementWiseMultiply", r, num, "normed", true);
  } else {
    inner.push_back("std");
    auto s = b.node("ElementWiseSquareRoot", {shifted}, "std");
    if (c.inv == kDiv) {
      y = affine("ElementWiseDivide", num, s, "normed", false);
    } else {
      auto r = bin("ElementWiseDivide", s, k("one", 1.0f), "rstd", true);
      y = affine("ElementWiseMultiply", num, r, "normed", c.consts_left);
    }
  }
  if (c.gamma != kNone)
    y = affine("ElementWiseMultiply", y, b.weight("gamma", {16}), "scaled", c.gamma == kLeft);
  if (c.beta != kNone)
    y = affine("ElementWiseAdd", y, b.weight("beta", {16}), "shifted_out", c.beta == kLeft);
  return y;
}

ir::TensorId square(GraphBuilder& b, const NormCase& c, ir::TensorId d) {
  return c.mul_square ? b.node("ElementWiseMultiply", {d, d}, "sq")
                      : b.node("ElementWisePower", {d, b.constant("two", {}, {2.0f})}, "sq");
}

Built layer_norm_graph(const NormCase& c, std::vector<int64_t> axes2 = {2}) {
  GraphBuilder b;
  Built out;
  auto x = b.node("ElementWiseAdd", {b.input("x", {2, 4, 16}), b.weight("bias", {16})}, "h");
  auto mean = b.node("ReduceMean", {x}, "mean", params({{"axes", ints({2})}}));
  auto d = b.node("ElementWiseSubtract", {x, mean}, "d");
  auto d2 = c.two_subs ? b.node("ElementWiseSubtract", {x, mean}, "d2") : d;
  out.inner = {"mean", "d", "sq"};
  if (c.two_subs) out.inner.push_back("d2");
  auto y = norm_tail(b, c, square(b, c, d), d2, axes2, out.inner);
  out.out = b.graph().tensor(y).name;
  b.output(b.node("Sigmoid", {y}, "out"));
  out.g = b.take();
  return out;
}

Built rms_norm_graph(const NormCase& c) {
  GraphBuilder b;
  Built out;
  auto x = b.node("ElementWiseAdd", {b.input("x", {2, 4, 16}), b.weight("bias", {16})}, "h");
  out.inner = {"sq"};
  auto y = norm_tail(b, c, square(b, c, x), x, {2}, out.inner);
  out.out = b.graph().tensor(y).name;
  b.output(b.node("Sigmoid", {y}, "out"));
  // x has another reader, as the residual path of a transformer block has.
  b.output(b.node("Relu", {x}, "residual"));
  out.g = b.take();
  return out;
}

void expect_fused(const Built& b, const char* op, const NormCase& c, size_t nodes) {
  const ir::Graph& before = b.g;
  ir::Graph g = before;
  auto pass = make_fuse_norms();
  ASSERT_TRUE(run_pass(*pass, g)) << c.what;
  EXPECT_EQ(count_ops(g, op), 1) << c.what;
  EXPECT_EQ(g.nodes.size(), nodes) << c.what;
  const ir::Node* n = nullptr;
  for (const ir::Node& k : g.nodes)
    if (k.op == op) n = &k;
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(g.tensor(n->outputs[0]).name, b.out) << c.what;
  EXPECT_EQ(n->params.get_ints("axes"), ints({2})) << c.what;
  EXPECT_NEAR(n->params.get_float("epsilon"), 1e-5, 1e-9) << c.what;
  const bool ln = std::string(op) == "LayerNorm";
  EXPECT_EQ(n->inputs.size(), ln || c.beta != kNone ? 3u : 2u) << c.what;
  EXPECT_LT(max_rel_error(before, g), 1e-5) << c.what;
}

const NormCase kCases[] = {
    {"torch: Pow, Div, gamma, beta", false, false, kDiv, false, kRight, kRight},
    {"two Subs, Mul(d, d)", true, true, kDiv, false, kRight, kRight},
    {"Reciprocal then Mul, constants left", false, false, kReciprocal, true, kLeft, kLeft},
    {"Pow(-0.5), no beta", false, true, kPowHalf, false, kRight, kNone},
    {"no gamma, no beta", true, false, kDiv, true, kNone, kNone},
    {"gamma left, beta right", false, false, kReciprocal, false, kLeft, kRight},
};

TEST(FuseNorms, LayerNormDecompositionsBecomeOneLayerNorm) {
  for (const NormCase& c : kCases) {
    expect_fused(layer_norm_graph(c), "LayerNorm", c, 3);  // Add, LayerNorm, Sigmoid
  }
}

TEST(FuseNorms, RmsNormDecompositionsBecomeOneRmsNorm) {
  for (const NormCase& c : kCases) {
    if (c.two_subs) continue;
    expect_fused(rms_norm_graph(c), "RmsNorm", c, 4);  // Add, RmsNorm, Sigmoid, Relu
  }
}

TEST(FuseNorms, EveryIntermediateReadElsewhereOrAnOutputKeepsTheNorm) {
  const NormCase& c = kCases[0];
  for (bool as_output : {false, true}) {
    for (const std::string& t : layer_norm_graph(c).inner) {
      Built b = layer_norm_graph(c);
      if (as_output)
        make_graph_output(b.g, t);
      else
        add_reader(b.g, t);
      ir::Graph g = b.g;
      auto pass = make_fuse_norms();
      run_pass(*pass, g);
      EXPECT_EQ(count_ops(g, "LayerNorm"), 0) << t << (as_output ? " output" : " shared");
      // Past the centering, what is left may still be RMS of d: never of wrong values.
      EXPECT_LT(max_rel_error(b.g, g), 1e-5) << t;
    }
    for (const std::string& t : rms_norm_graph(c).inner) {
      Built b = rms_norm_graph(c);
      if (as_output)
        make_graph_output(b.g, t);
      else
        add_reader(b.g, t);
      auto pass = make_fuse_norms();
      EXPECT_FALSE(run_pass(*pass, b.g)) << t;
    }
  }
}

TEST(FuseNorms, ASharedNormalizedValueLeavesGammaAndBetaApart) {
  Built b = layer_norm_graph(kCases[0]);
  add_reader(b.g, "normed");
  ir::Graph g = b.g;
  auto pass = make_fuse_norms();
  ASSERT_TRUE(run_pass(*pass, g));
  const ir::Node* n = producer_of(g, "normed");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->op, "LayerNorm");
  EXPECT_EQ(producer_of(g, "scaled")->op, "ElementWiseMultiply");
  EXPECT_EQ(producer_of(g, "shifted_out")->op, "ElementWiseAdd");
  EXPECT_LT(max_rel_error(b.g, g), 1e-5);
}

TEST(FuseNorms, VarianceOverOtherAxesIsNoLayerNorm) {
  Built b = layer_norm_graph(kCases[0], {1, 2});
  ir::Graph g = b.g;
  auto pass = make_fuse_norms();
  run_pass(*pass, g);
  EXPECT_EQ(count_ops(g, "LayerNorm"), 0);
  EXPECT_LT(max_rel_error(b.g, g), 1e-5);
}

TEST(FuseNorms, AnotherExponentOrANegativeEpsilonIsNoNorm) {
  GraphBuilder b;
  auto x = b.input("x", {2, 16});
  auto sq = b.node("ElementWisePower", {x, b.constant("three", {}, {3.0f})}, "sq");
  auto var = b.node("ReduceMean", {sq}, "var", params({{"axes", ints({1})}}));
  auto sh = b.node("ElementWiseAdd", {var, b.constant("eps", {}, {-1e-5f})}, "shifted");
  auto s = b.node("ElementWiseSquareRoot", {sh}, "std");
  b.output(b.node("ElementWiseDivide", {x, s}, "y"));
  ir::Graph g = b.take();
  auto pass = make_fuse_norms();
  EXPECT_FALSE(run_pass(*pass, g));
}

}  // namespace
}  // namespace oqnn::passes::testing
