// Non-spatial translators: activations, Gemm/MatMul, Softmax, Pad, ReduceMean and the
// reshaping family.
#include <cfloat>

#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Ops = ImporterTest;

TEST_F(Ops, ClipFollowsItsOpsetForm) {
  {  // opset 10: attributes; min 0 and no max is a Relu
    ModelBuilder b(10);
    b.input("x", {2, 3});
    set_attr(b.node("Clip", {"x"}, {"y"}, "clip"), "min", 0.0f);
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(ops_of(*g), std::vector<std::string>{"Relu"});
  }
  {  // opset 11: inputs
    ModelBuilder b(11);
    b.input("x", {2, 3});
    b.init_f32("lo", {}, {0.0f});
    b.init_f32("hi", {}, {6.0f});
    b.node("Clip", {"x", "lo", "hi"}, {"y"}, "clip");
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    const ir::Node& n = node_of(*g, "ReluMinMax");
    EXPECT_EQ(n.params.get_float("min_value"), 0.0);
    EXPECT_EQ(n.params.get_float("max_value"), 6.0);
  }
  {  // only max: the missing bound is the float limit
    ModelBuilder b(13);
    b.input("x", {2, 3});
    b.init_f32("hi", {}, {1.5f});
    b.node("Clip", {"x", "", "hi"}, {"y"}, "clip");
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    const ir::Node& n = node_of(*g, "ReluMinMax");
    EXPECT_EQ(n.params.get_float("min_value"), -static_cast<double>(FLT_MAX));
    EXPECT_EQ(n.params.get_float("max_value"), 1.5);
  }
}

TEST_F(Ops, LeakyReluHardSigmoidAndPRelu) {
  ModelBuilder b;
  b.input("x", {1, 2, 2, 2});
  b.init_f32("slope", {2, 1, 1}, {0.1f, 0.2f});
  set_attr(b.node("LeakyRelu", {"x"}, {"a"}, "leaky"), "alpha", 0.25f);
  auto& hs = b.node("HardSigmoid", {"a"}, {"h"}, "hsig");
  set_attr(hs, "alpha", 0.5f);
  b.node("PRelu", {"h", "slope"}, {"p"}, "prelu");
  b.node("HardSwish", {"p"}, {"y"}, "hswish");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g),
            (std::vector<std::string>{"Prelu", "ElementWiseNeuron", "Prelu", "HardSwish"}));
  EXPECT_EQ(g->tensor(g->nodes[0].inputs[1]).shape, (ir::Shape{1}));
  EXPECT_EQ(static_floats(*g, g->nodes[0].inputs[1]), std::vector<float>{0.25f});
  EXPECT_EQ(g->nodes[1].params.get_string("operation"), "hard_sigmoid");
  EXPECT_EQ(g->nodes[1].params.get_float("alpha"), 0.5);
  EXPECT_EQ(g->nodes[1].params.get_float("beta"), 0.5);
  EXPECT_EQ(g->tensor(g->nodes[2].inputs[1]).name, "slope");
}

ModelBuilder gemm_model(std::vector<int64_t> c_shape, float alpha, float beta, bool trans_b) {
  ModelBuilder b;
  b.input("x", {2, 3});
  b.init_f32("B", trans_b ? std::vector<int64_t>{4, 3} : std::vector<int64_t>{3, 4},
             iota_values(12));
  b.init_f32("C", c_shape, iota_values(static_cast<size_t>(ir::num_elements(c_shape)), 10.0f));
  auto& n = b.node("Gemm", {"x", "B", "C"}, {"y"}, "gemm");
  set_attr(n, "alpha", alpha);
  set_attr(n, "beta", beta);
  set_attr(n, "transB", int64_t{trans_b ? 1 : 0});
  b.output("y");
  return b;
}

TEST_F(Ops, GemmWithConstantBIsFullyConnectedWithCInTheBias) {
  auto g = import(gemm_model({4}, 1.0f, 1.0f, true));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), std::vector<std::string>{"FullyConnected"});
  const ir::Node& fc = g->nodes[0];
  EXPECT_EQ(g->tensor(fc.inputs[1]).name, "B");
  EXPECT_EQ(static_floats(*g, fc.inputs[1]), iota_values(12));  // transB: already [n, k]
  EXPECT_EQ(static_floats(*g, fc.inputs[2]), (std::vector<float>{0, 10, 20, 30}));

  auto s = import(gemm_model({1, 4}, 2.0f, 0.5f, false));
  ASSERT_TRUE(s.has_value()) << s.error().message;
  ASSERT_EQ(ops_of(*s), std::vector<std::string>{"FullyConnected"});
  std::vector<float> w = static_floats(*s, s->nodes[0].inputs[1]);
  EXPECT_EQ(w[1 * 3 + 2], 2.0f * (2 * 4 + 1));  // alpha * B[k=2][n=1]
  EXPECT_EQ(static_floats(*s, s->nodes[0].inputs[2]), (std::vector<float>{0, 5, 10, 15}));
}

TEST_F(Ops, GemmWithPerElementCAddsItAfterwards) {
  auto g = import(gemm_model({2, 4}, 1.0f, 1.0f, true));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"FullyConnected", "ElementWiseAdd"}));
  EXPECT_EQ(g->nodes[0].name, "gemm");
  EXPECT_EQ(g->tensor(g->nodes[1].outputs[0]).name, "y");
  EXPECT_EQ(g->nodes[0].inputs.size(), 2u);
}

TEST_F(Ops, GemmAndMatMulWithRunTimeOperandsAreMatMul) {
  ModelBuilder b;
  b.input("a", {2, 3});
  b.input("b", {4, 3});
  auto& n = b.node("Gemm", {"a", "b"}, {"y"}, "gemm");
  set_attr(n, "transB", int64_t{1});
  set_attr(n, "alpha", 3.0f);
  b.input("v", {3});
  b.node("MatMul", {"a", "v"}, {"z"}, "mv");
  b.output("y");
  b.output("z");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"MatMul", "ElementWiseMultiply", "Reshape",
                                                  "MatMul", "Reshape"}));
  EXPECT_EQ(g->nodes[0].params.get_int("transpose_in1"), 1);
  EXPECT_EQ(g->tensor(g->outputs[1]).shape, (ir::Shape{2}));
}

TEST_F(Ops, SoftmaxBeforeOpset13CoercesTo2D) {
  for (auto [opset, axis, expect] :
       {std::tuple{11, int64_t{1}, std::vector<std::string>{"Reshape", "Softmax", "Reshape"}},
        std::tuple{11, int64_t{-1}, std::vector<std::string>{"Softmax"}},
        std::tuple{13, int64_t{1}, std::vector<std::string>{"Softmax"}}}) {
    ModelBuilder b(opset);
    b.input("x", {2, 3, 4});
    set_attr(b.node("Softmax", {"x"}, {"y"}, "sm"), "axis", axis);
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(ops_of(*g), expect) << "opset " << opset << " axis " << axis;
    const ir::Node& sm = node_of(*g, "Softmax");
    EXPECT_EQ(sm.name, "sm");
    if (expect.size() == 3) {
      EXPECT_EQ(g->nodes[0].params.get_ints("shape"), (std::vector<int64_t>{2, 12}));
      EXPECT_EQ(sm.params.get_int("axis"), 1);
    } else {
      EXPECT_EQ(sm.params.get_int("axis"), opset == 13 ? 1 : 2);
    }
    EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 3, 4}));
  }
}

TEST_F(Ops, PadInterleavesBeginsAndEnds) {
  ModelBuilder b(13);
  b.input("x", {1, 2, 3, 3});
  b.init_i64("pads", {8}, {0, 0, 1, 2, 0, 0, 3, 4});
  b.init_f32("v", {}, {1.5f});
  b.node("Pad", {"x", "pads", "v"}, {"y"}, "pad");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& p = node_of(*g, "Pad");
  EXPECT_EQ(p.params.get_ints("pad_amount"), (std::vector<int64_t>{0, 0, 0, 0, 1, 3, 2, 4}));
  EXPECT_EQ(p.params.get_float("pad_constant_value"), 1.5);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2, 7, 9}));

  ModelBuilder r(2 + 9);
  r.input("x", {1, 4});
  auto& n = r.node("Pad", {"x", "pads"}, {"y"}, "pad");
  r.init_i64("pads", {4}, {0, 1, 0, 2});
  set_attr(n, "mode", std::string("reflect"));
  r.output("y");
  auto rg = import(r);
  ASSERT_TRUE(rg.has_value()) << rg.error().message;
  EXPECT_EQ(node_of(*rg, "Pad").params.get_string("scheme"), "reflect");
  EXPECT_FALSE(node_of(*rg, "Pad").params.has("pad_constant_value"));
}

// CenterCropPad: axis 1 (5 → 2) is cropped to its centred window [1, 3); axis 2 (3 → 6)
// padded with 1 before and 2 after; an axis already at its size is left alone.
TEST_F(Ops, CenterCropPadSlicesThenPads) {
  ModelBuilder b(18);
  b.input("x", {2, 5, 3});
  b.init_i64("shape", {3}, {2, 2, 6});
  b.node("CenterCropPad", {"x", "shape"}, {"y"}, "ccp");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"StridedSlice", "Pad"}));
  EXPECT_EQ(node_of(*g, "StridedSlice").params.get_ints("ranges"),
            (std::vector<int64_t>{0, 2, 1, 1, 3, 1, 0, 3, 1}));
  EXPECT_EQ(node_of(*g, "Pad").params.get_ints("pad_amount"),
            (std::vector<int64_t>{0, 0, 0, 0, 1, 2}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 2, 6}));
}

TEST_F(Ops, CenterCropPadBadAxesOrShapeNameTheNode) {
  for (int k = 0; k < 3; ++k) {
    ModelBuilder b(18);
    b.input("x", {2, 5, 3});
    b.init_i64("shape", {2}, {2, k == 2 ? -1 : 2});
    auto& n = b.node("CenterCropPad", {"x", "shape"}, {"y"}, "ccp");
    if (k == 0) set_attr(n, "axes", std::vector<int64_t>{1, -2});    // repeated
    if (k == 1) set_attr(n, "axes", std::vector<int64_t>{0, 1, 2});  // 3 axes, 2 sizes
    if (k == 2) set_attr(n, "axes", std::vector<int64_t>{0, 1});     // negative size
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << k;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("'ccp'"), std::string::npos) << g.error().message;
  }
}

// LpPool p=2 is L2Pool2d; QNN's op has no p, so another p is refused, and p < 1 is malformed.
TEST_F(Ops, LpPoolIsL2PoolForPTwoOnly) {
  for (int64_t pv : {2, 3, 0}) {
    ModelBuilder b(18);
    b.input("x", {1, 2, 6, 6});
    auto& n = b.node("LpPool", {"x"}, {"y"}, "lp");
    set_attr(n, "kernel_shape", std::vector<int64_t>{2, 2});
    set_attr(n, "p", pv);
    b.output("y");
    auto g = import(b);
    if (pv == 2) {
      ASSERT_TRUE(g.has_value()) << g.error().message;
      EXPECT_EQ(node_of(*g, "L2Pool2d").params.get_ints("filter_size"),
                (std::vector<int64_t>{2, 2}));
      continue;
    }
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, pv == 0 ? ErrorCode::kBadInput : ErrorCode::kUnsupported);
    EXPECT_NE(g.error().message.find("'lp'"), std::string::npos) << g.error().message;
  }
}

// GridSample: opset 20's "linear" is bilinear on the channel-last input; cubic is refused,
// an unknown mode or padding_mode is malformed; both name the node.
TEST_F(Ops, GridSampleModes) {
  struct Case {
    const char *mode, *pad;
    ErrorCode want;  // kOk: imports
  };
  for (const Case& c : {Case{"linear", "reflection", ErrorCode::kOk},
                        Case{"cubic", "zeros", ErrorCode::kUnsupported},
                        Case{"spline", "zeros", ErrorCode::kBadInput},
                        Case{"nearest", "wrap", ErrorCode::kBadInput}}) {
    ModelBuilder b(20);
    b.input("x", {1, 2, 5, 4});
    b.input("g", {1, 3, 3, 2});
    auto& n = b.node("GridSample", {"x", "g"}, {"y"}, "gs");
    set_attr(n, "mode", std::string(c.mode));
    set_attr(n, "padding_mode", std::string(c.pad));
    b.output("y");
    auto g = import(b);
    if (c.want == ErrorCode::kOk) {
      ASSERT_TRUE(g.has_value()) << g.error().message;
      const ir::Node& gs = node_of(*g, "GridSample");
      EXPECT_EQ(gs.params.get_string("mode"), "bilinear");
      EXPECT_EQ(gs.params.get_string("padding_mode"), "reflection");
      continue;
    }
    ASSERT_FALSE(g.has_value()) << c.mode;
    EXPECT_EQ(g.error().code, c.want) << g.error().message;
    EXPECT_NE(g.error().message.find("'gs'"), std::string::npos) << g.error().message;
  }
}

TEST_F(Ops, HugePadsAreBadInputNamingTheNode) {
  // Found by tests/fuzz: pads of 2^62 overflowed the shape rule; pads that make a tensor of
  // more than 2^40 elements made a graph the final check refused as an internal error.
  for (int64_t pad : {int64_t{1} << 62, int64_t{1} << 30}) {
    ModelBuilder b(13);
    b.input("x", {1, 2, 3, 3});
    b.init_i64("pads", {8}, {0, 0, pad, pad, 0, 0, pad, pad});
    b.node("Pad", {"x", "pads"}, {"y"}, "pad");
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("'pad'"), std::string::npos) << g.error().message;
  }
}

TEST_F(Ops, ReduceMeanAxesMoveFromAttributeToInputAtOpset18) {
  for (int64_t opset : {13, 18}) {
    ModelBuilder b(opset);
    b.input("x", {1, 2, 3, 4});
    auto& n = b.node("ReduceMean", {"x"}, {"y"}, "rm");
    if (opset < 18) {
      set_attr(n, "axes", std::vector<int64_t>{-1, 2});
    } else {
      b.init_i64("axes", {2}, {-1, 2});
      n.add_input("axes");
    }
    set_attr(n, "keepdims", int64_t{0});
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    const ir::Node& rm = node_of(*g, "ReduceMean");
    EXPECT_EQ(rm.params.get_ints("axes"), (std::vector<int64_t>{2, 3}));
    EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2}));
  }
}

TEST_F(Ops, ReshapeFamilyOnActivationsIsReshape) {
  ModelBuilder b(13);
  b.input("x", {2, 3, 4});
  b.init_i64("shape", {3}, {0, -1, 2});
  b.init_i64("ax", {1}, {1});
  b.node("Reshape", {"x", "shape"}, {"r"}, "reshape");                       // [2, 6, 2]
  b.node("Unsqueeze", {"r", "ax"}, {"u"}, "unsqueeze");                      // [2, 1, 6, 2]
  b.node("Squeeze", {"u", "ax"}, {"s"}, "squeeze");                          // [2, 6, 2]
  set_attr(b.node("Flatten", {"s"}, {"f"}, "flatten"), "axis", int64_t{2});  // [12, 2]
  set_attr(b.node("Transpose", {"f"}, {"t"}, "tr"), "perm", std::vector<int64_t>{1, 0});
  set_attr(b.node("Concat", {"t", "t"}, {"y"}, "cat"), "axis", int64_t{-1});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Reshape", "Reshape", "Reshape", "Reshape",
                                                  "Transpose", "Concat"}));
  EXPECT_EQ(g->nodes[0].params.get_ints("shape"), (std::vector<int64_t>{2, 6, 2}));
  EXPECT_EQ(g->nodes[3].params.get_ints("shape"), (std::vector<int64_t>{12, 2}));
  EXPECT_EQ(g->nodes[5].params.get_int("axis"), 1);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 24}));
}

TEST_F(Ops, ReshapeAllowZeroKeepsALiteralZero) {
  ModelBuilder b(14);
  b.input("x", {2, 3});
  b.init_i64("shape", {2}, {0, 6});
  set_attr(b.node("Reshape", {"x", "shape"}, {"y"}, "r"), "allowzero", int64_t{1});
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());  // [0, 6] has no elements, [2, 3] has six
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("node 'r'"), std::string::npos);
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
