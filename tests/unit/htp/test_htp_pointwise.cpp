// Element-wise, activation and normalization kernels against the float simulation.
#include <gtest/gtest.h>

#include "sim_check.h"

namespace oqnn::htp::test {
namespace {

ir::Graph binary_graph(const std::string& op, ir::Shape a, ir::Shape b_shape, ir::Encoding ea,
                       std::optional<ir::Encoding> eb, bool static_b = false, int bits = 8) {
  GraphBuilder b;
  ir::TensorId x = b.input("a", a, ea);
  ir::TensorId y =
      static_b
          ? b.constant("b", b_shape,
                       random_floats(static_cast<size_t>(ir::num_elements(b_shape)), 0.5f, 2.0f, 4))
          : b.input("b", b_shape, eb);
  b.node(op, {x, y}, std::nullopt);
  calibrate(b.g, bits, 11);
  return b.g;
}

TEST(HtpKernels, AddSubtractMultiplyMatchFloatSimulation) {
  for (const char* op : {"ElementWiseAdd", "ElementWiseSubtract", "ElementWiseMultiply"}) {
    SCOPED_TRACE(op);
    expect_matches_float_sim(binary_graph(op, {2, 5, 7}, {2, 5, 7}, u8(-1, 1), u8(-3, 0.5)), 1);
    expect_matches_float_sim(binary_graph(op, {1, 4, 4, 6}, {6}, u8(0, 6), u8(-0.1, 0.1)), 2);
    expect_matches_float_sim(binary_graph(op, {3, 1, 5}, {4, 1}, u8(-2, 2), u8(-2, 2)), 3);
    expect_matches_float_sim(binary_graph(op, {2, 8}, {1}, u8(-1, 3), std::nullopt, true), 4);
    expect_matches_float_sim(binary_graph(op, {3, 9}, {3, 9}, u16(-1, 1), u16(-5, 4), false, 16),
                             5);
  }
}

TEST(HtpKernels, DivideMatchesFloatSimulation) {
  // General (float inside) and by a static scalar (lookup table).
  expect_matches_float_sim(binary_graph("ElementWiseDivide", {4, 6}, {6}, u8(-1, 1), u8(0.2, 2)),
                           1);
  expect_matches_float_sim(
      binary_graph("ElementWiseDivide", {2, 3, 5}, {1}, u8(-4, 4), std::nullopt, true), 2);
  expect_matches_float_sim(
      binary_graph("ElementWiseDivide", {7, 3}, {3}, u8(-4, 4), std::nullopt, true), 3);
}

TEST(HtpKernels, DivideByZeroSaturates) {
  // b's range includes 0 exactly (code 0 of u8(0, 1)): x / 0 must not crash or be NaN.
  GraphBuilder b;
  ir::TensorId x = b.input("a", {1, 256}, u8(-1, 1));
  ir::TensorId y = b.input("b", {1, 256}, u8(0, 1));
  b.node("ElementWiseDivide", {x, y}, u8(-10, 10));
  auto qg = finalize_graph(b.g);
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  auto plan = make_plan(*qg, KernelVariant::kReference, 1);
  ASSERT_TRUE(plan.has_value());
  Bytes a(256), zero(256, std::byte{0});
  for (int i = 0; i < 256; ++i) a[i] = static_cast<std::byte>(i);
  auto out = run_plan(**plan, {a, zero});
  ASSERT_TRUE(out.has_value());
  const int32_t za = -qg->tensor(qg->inputs[0]).encoding->offset[0];
  for (int i = 0; i < 256; ++i) {
    const int got = static_cast<int>((*out)[0][i]);
    if (i > za) {
      EXPECT_EQ(got, 255);
    }
    if (i < za) {
      EXPECT_EQ(got, 0);
    }
  }
}

ir::Graph unary_graph(const std::string& op, ir::Params p, ir::Encoding in, int bits = 8) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3, 50}, in);
  b.node(op, {x}, std::nullopt, std::move(p));
  calibrate(b.g, bits, 21);
  return b.g;
}

TEST(HtpKernels, UnaryLookupTablesMatchFloatSimulation) {
  ir::Params clip, neuron, neuron_custom;
  clip.set("min_value", -0.5);
  clip.set("max_value", 1.5);
  neuron.set("operation", std::string("hard_sigmoid"));
  neuron_custom = neuron;
  neuron_custom.set("alpha", 0.25);
  neuron_custom.set("beta", 0.4);
  for (int bits : {8, 16}) {
    auto enc = bits == 8 ? u8(-6, 6) : u16(-6, 6);
    expect_matches_float_sim(unary_graph("Relu", {}, enc, bits), 1);
    expect_matches_float_sim(unary_graph("ReluMinMax", clip, enc, bits), 2);
    expect_matches_float_sim(unary_graph("Sigmoid", {}, enc, bits), 3);
    expect_matches_float_sim(unary_graph("HardSwish", {}, enc, bits), 4);
    expect_matches_float_sim(unary_graph("ElementWiseNeuron", neuron, enc, bits), 5);
    expect_matches_float_sim(unary_graph("ElementWiseNeuron", neuron_custom, enc, bits), 6);
  }
}

TEST(HtpKernels, PreluMatchesFloatSimulation) {
  // Scalar static slope (lookup table), per-channel static slope and a dynamic slope.
  GraphBuilder b1;
  ir::TensorId x = b1.input("x", {1, 4, 4, 5}, u8(-3, 3));
  b1.node("Prelu", {x, b1.constant("slope", {1}, {0.1f})}, std::nullopt);
  calibrate(b1.g, 8, 1);
  expect_matches_float_sim(b1.g, 1);

  GraphBuilder b2;
  x = b2.input("x", {1, 4, 4, 5}, u8(-3, 3));
  b2.node("Prelu", {x, b2.constant("slope", {5}, {0.1f, 0.2f, -0.3f, 0.0f, 0.5f})}, std::nullopt);
  calibrate(b2.g, 8, 2);
  expect_matches_float_sim(b2.g, 2);

  GraphBuilder b3;
  x = b3.input("x", {2, 6}, u16(-3, 3));
  b3.node("Prelu", {x, b3.input("s", {6}, u16(0, 1))}, std::nullopt);
  calibrate(b3.g, 16, 3);
  expect_matches_float_sim(b3.g, 3);
}

TEST(HtpKernels, BatchnormMatchesFloatSimulation) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3, 3, 4}, u8(-2, 2));
  ir::TensorId s = b.constant("scale", {4}, {0.5f, 1.5f, -1.0f, 2.0f});
  ir::TensorId bias = b.constant("bias", {4}, {0.1f, -0.7f, 0.0f, 1.2f});
  b.node("Batchnorm", {x, s, bias}, std::nullopt);
  calibrate(b.g, 8, 4);
  expect_matches_float_sim(b.g, 4);
}

TEST(HtpKernels, SoftmaxMatchesFloatSimulation) {
  for (int bits : {8, 16}) {
    for (int64_t axis : {2, 1}) {
      GraphBuilder b;
      ir::TensorId x = b.input("x", {2, 7, 10}, bits == 8 ? u8(-5, 5) : u16(-5, 5));
      ir::Params p;
      p.set("axis", axis);
      if (axis == 1) p.set("beta", 0.7);
      b.node("Softmax", {x}, bits == 8 ? u8(0, 1) : u16(0, 1), p);
      expect_matches_float_sim(b.g, 3);
    }
  }
}

}  // namespace
}  // namespace oqnn::htp::test
