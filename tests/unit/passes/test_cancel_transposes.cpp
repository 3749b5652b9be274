// cancel_transposes on importer-shaped graphs: the transpose sandwiches around spatial
// ops must cancel through layout-agnostic ops, ONNX names must survive, and the values
// must not change.
#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

constexpr double kTol = 1e-5;

// Runs cancel_transposes on a copy of g; checks the values are unchanged.
ir::Graph cancel(const ir::Graph& g) {
  ir::Graph out = g;
  auto pass = make_cancel_transposes();
  run_pass(*pass, out);
  EXPECT_LE(max_rel_error(g, out), kTol);
  return out;
}

const ir::Node* reader_of(const ir::Graph& g, const std::string& name) {
  auto id = g.find_tensor(name);
  if (!id) return nullptr;
  for (const auto& n : g.nodes)
    for (ir::TensorId t : n.inputs)
      if (t == *id) return &n;
  return nullptr;
}

std::string input_name(const ir::Graph& g, const ir::Node& n, size_t k = 0) {
  return g.tensor(n.inputs[k]).name;
}

TEST(CancelTransposes, ConvReluPoolKeepsOnnxNames) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 8, 8});
  auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
  auto r = b.node("Relu", {c}, "/relu/Relu_output_0");
  auto p = b.spatial("PoolMax2d", r, {}, "/pool/MaxPool_output_0",
                     params({{"filter_size", ints({2, 2})}, {"stride", ints({2, 2})}}));
  auto f = b.node("Reshape", {p}, "/flatten/Flatten_output_0", params({{"shape", ints({1, 64})}}));
  b.output(b.node("FullyConnected", {f, b.weight("fc.weight", {10, 64}), b.weight("fc.bias", {10})},
                  "logits"));
  ir::Graph before = b.take();
  ASSERT_EQ(count_ops(before, "Transpose"), 4);

  ir::Graph g = cancel(before);
  // Left: the one after the input (io_layout's) and the one before the flatten (real data
  // movement, high's fold_transpose_into_fc).
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  ASSERT_NE(producer_of(g, "/conv/Conv_output_0"), nullptr);
  EXPECT_EQ(producer_of(g, "/conv/Conv_output_0")->op, "Conv2d");
  ASSERT_NE(producer_of(g, "/relu/Relu_output_0"), nullptr);
  const ir::Node& relu = *producer_of(g, "/relu/Relu_output_0");
  EXPECT_EQ(relu.op, "Relu");
  EXPECT_EQ(input_name(g, relu), "/conv/Conv_output_0");
  EXPECT_EQ(reader_of(g, "/relu/Relu_output_0")->op, "PoolMax2d");
  EXPECT_EQ(g.tensor(*g.find_tensor("/relu/Relu_output_0")).shape, (ir::Shape{1, 8, 8, 4}));
  // The pool keeps its model name; the transpose left before the flatten reads it.
  ASSERT_NE(producer_of(g, "/pool/MaxPool_output_0"), nullptr);
  EXPECT_EQ(producer_of(g, "/pool/MaxPool_output_0")->op, "PoolMax2d");
  EXPECT_EQ(reader_of(g, "/pool/MaxPool_output_0")->op, "Transpose");
}

// A QDQ model's activation Quantize -> Dequantize between two convs: per tensor, the pair is
// element-wise and the sandwich cancels (the uint8 codes move to NHWC too); per axis, the
// axis is a model dim and the transposes stay.
TEST(CancelTransposes, PerTensorQuantizeDequantizeAreElementWise) {
  for (bool per_axis : {false, true}) {
    GraphBuilder b;
    auto x = b.input("input", {1, 3, 8, 8});
    auto c = b.conv(x, 4, 3, "/c1/Conv_output_0");
    ir::Params qp = params({{"scale", std::vector<double>{0.05}},
                            {"zero_point", ints({128})},
                            {"dtype", std::string("uint8")}});
    if (per_axis) {
      qp.set("scale", std::vector<double>{0.05, 0.04, 0.03, 0.02});
      qp.set("zero_point", ints({128, 120, 110, 100}));
      qp.set("axis", int64_t{1});
    }
    auto q = b.node("Quantize", {c}, "q", qp);
    qp.erase("dtype");
    auto d = b.node("Dequantize", {q}, "dq", qp);
    b.output(b.conv(d, 2, 3, "/c2/Conv_output_0"));
    ir::Graph before = b.take();
    ASSERT_EQ(count_ops(before, "Transpose"), 4);
    ir::Graph g = cancel(before);
    EXPECT_EQ(count_ops(g, "Transpose"), per_axis ? 4 : 2);
    EXPECT_EQ(g.tensor(*g.find_tensor("q")).dtype, ir::DataType::kUInt8);
  }
}

TEST(CancelTransposes, ResidualAddAndConcat) {
  GraphBuilder b;
  auto x = b.input("input", {1, 4, 6, 6});
  auto r1 = b.node("Relu", {b.conv(x, 4, 3, "/c1/Conv_output_0")}, "/r1/Relu_output_0");
  auto c2 = b.conv(r1, 4, 3, "/c2/Conv_output_0");
  auto add = b.node("ElementWiseAdd", {c2, r1}, "/add/Add_output_0");
  auto r2 = b.node("Relu", {add}, "/r2/Relu_output_0");
  auto c3 = b.conv(r2, 3, 1, "/c3/Conv_output_0");
  auto c4 = b.conv(r2, 5, 3, "/c4/Conv_output_0");
  auto cat = b.node("Concat", {c3, c4}, "/cat/Concat_output_0", params({{"axis", int64_t{1}}}));
  b.output(b.spatial("PoolAvg2d", cat, {}, "pooled",
                     params({{"filter_size", ints({3, 3})}, {"stride", ints({3, 3})}})));
  ir::Graph g = cancel(b.take());
  // Only the input's and the output's transposes remain (io_layout takes those).
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  ASSERT_NE(producer_of(g, "/add/Add_output_0"), nullptr);
  EXPECT_EQ(producer_of(g, "/add/Add_output_0")->op, "ElementWiseAdd");
  const ir::Node* cat_node = producer_of(g, "/cat/Concat_output_0");
  ASSERT_NE(cat_node, nullptr);
  EXPECT_EQ(cat_node->op, "Concat");
  EXPECT_EQ(cat_node->params.get_int("axis"), 3);
  EXPECT_EQ(g.tensor(*g.find_tensor("/cat/Concat_output_0")).shape, (ir::Shape{1, 6, 6, 8}));
}

TEST(CancelTransposes, StaticOperandsArePermuted) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 5, 5});
  auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
  auto add = b.node("ElementWiseAdd", {c, b.weight("bias_c11", {4, 1, 1})}, "/add/Add_output_0");
  auto mul =
      b.node("ElementWiseMultiply", {add, b.constant("two", {1}, {2.0f})}, "/mul/Mul_output_0");
  auto sub =
      b.node("ElementWiseSubtract", {b.weight("lhs", {1, 4, 1, 5}), mul}, "/sub/Sub_output_0");
  auto div =
      b.node("ElementWiseDivide", {sub, b.weight("den", {5}, 1.0f, 2.0f)}, "/div/Div_output_0");
  auto pr =
      b.node("Prelu", {div, b.weight("slope", {4, 1, 1}, 0.1f, 0.3f)}, "/prelu/PRelu_output_0");
  auto hs = b.node("HardSwish", {pr}, "/hs/HardSwish_output_0");
  auto sg = b.node("Sigmoid", {hs}, "/sig/Sigmoid_output_0");
  auto cl = b.node("ReluMinMax", {sg}, "/clip/Clip_output_0",
                   params({{"min_value", 0.2}, {"max_value", 0.7}}));
  b.output(b.conv(cl, 2, 1, "out"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  EXPECT_EQ(g.tensor(producer_of(g, "/add/Add_output_0")->inputs[1]).shape,
            (ir::Shape{1, 1, 1, 4}));
  EXPECT_EQ(g.tensor(producer_of(g, "/sub/Sub_output_0")->inputs[0]).shape,
            (ir::Shape{1, 1, 5, 4}));
  // The scalar needs no change and keeps its tensor.
  EXPECT_EQ(g.tensor(producer_of(g, "/mul/Mul_output_0")->inputs[1]).name, "two");
  EXPECT_EQ(g.tensor(producer_of(g, "/prelu/PRelu_output_0")->inputs[1]).name, "slope");
  EXPECT_EQ(producer_of(g, "/clip/Clip_output_0")->op, "ReluMinMax");
}

TEST(CancelTransposes, AxisOpsAreRemapped) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 6, 6});
  auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
  auto pad = b.node("Pad", {c}, "/pad/Pad_output_0",
                    params({{"pad_amount", ints({0, 0, 1, 2, 3, 4, 0, 1})}}));
  auto sm = b.node("Softmax", {pad}, "/softmax/Softmax_output_0", params({{"axis", int64_t{1}}}));
  auto c2 = b.conv(sm, 6, 3, "/conv2/Conv_output_0");
  auto mean = b.node("ReduceMean", {c2}, "/gap/ReduceMean_output_0",
                     params({{"axes", ints({2, 3})}, {"keep_dims", int64_t{0}}}));
  b.output(b.node("FullyConnected", {mean, b.weight("fc.w", {3, 6})}, "logits"));
  auto mean_keep =
      b.node("ReduceMean", {c2}, "/mean_c/ReduceMean_output_0", params({{"axes", ints({1})}}));
  b.output(mean_keep);
  ir::Graph g = cancel(b.take());
  const ir::Node* pad_node = producer_of(g, "/pad/Pad_output_0");
  ASSERT_NE(pad_node, nullptr);
  EXPECT_EQ(pad_node->op, "Pad");
  EXPECT_EQ(pad_node->params.get_ints("pad_amount"), ints({0, 0, 3, 4, 0, 1, 1, 2}));
  EXPECT_EQ(producer_of(g, "/softmax/Softmax_output_0")->params.get_int("axis"), 3);
  const ir::Node* gap = producer_of(g, "/gap/ReduceMean_output_0");
  ASSERT_NE(gap, nullptr);
  EXPECT_EQ(gap->op, "ReduceMean");
  EXPECT_EQ(gap->params.get_ints("axes"), ints({1, 2}));
  // Only the input's transpose is left: the channel mean's [1,6,6,1] -> [1,1,6,6] moves
  // size-1 dims only and became a Reshape.
  EXPECT_EQ(count_ops(g, "Transpose"), 1);
  EXPECT_EQ(producer_of(g, "/mean_c/ReduceMean_output_0")->op, "Reshape");
}

TEST(CancelTransposes, HoistsTowardGraphInput) {
  GraphBuilder b;
  auto x = b.input("image", {1, 3, 4, 4});
  auto sub =
      b.node("ElementWiseSubtract", {x, b.weight("mean", {1, 3, 1, 1})}, "/sub/Sub_output_0");
  auto div = b.node("ElementWiseDivide", {sub, b.weight("std", {3, 1, 1}, 0.5f, 1.0f)},
                    "/div/Div_output_0");
  b.output(b.conv(div, 2, 3, "out"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  const ir::Node* first = reader_of(g, "image");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->op, "Transpose");
  EXPECT_EQ(producer_of(g, "/div/Div_output_0")->op, "ElementWiseDivide");
  EXPECT_EQ(reader_of(g, "/div/Div_output_0")->op, "Conv2d");
}

TEST(CancelTransposes, UnitDimTransposesBecomeOneReshape) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 4, 4});
  auto c = b.conv(x, 8, 3, "/conv/Conv_output_0");
  auto gap = b.spatial("PoolAvg2d", c, {}, "/gap/GlobalAveragePool_output_0",
                       params({{"filter_size", ints({4, 4})}, {"stride", ints({4, 4})}}));
  auto flat =
      b.node("Reshape", {gap}, "/flatten/Flatten_output_0", params({{"shape", ints({1, 8})}}));
  b.output(b.node("FullyConnected", {flat, b.weight("fc.w", {5, 8})}, "logits"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 1);  // the input's
  EXPECT_EQ(count_ops(g, "Reshape"), 1);
  const ir::Node* r = producer_of(g, "/flatten/Flatten_output_0");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->op, "Reshape");
  EXPECT_EQ(producer_of(g, input_name(g, *r))->op, "PoolAvg2d");
}

TEST(CancelTransposes, SharedTransposeWithSeveralReaders) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 5, 5});
  auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
  auto r = b.node("Relu", {c}, "/relu/Relu_output_0");
  auto s = b.node("Sigmoid", {c}, "/sig/Sigmoid_output_0");
  auto c2 = b.conv(r, 4, 1, "/c2/Conv_output_0");
  auto c3 = b.conv(s, 4, 1, "/c3/Conv_output_0");
  b.output(b.node("ElementWiseAdd", {c2, c3}, "out"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  EXPECT_EQ(producer_of(g, "/conv/Conv_output_0")->op, "Conv2d");
  EXPECT_EQ(producer_of(g, "/relu/Relu_output_0")->op, "Relu");
  EXPECT_EQ(producer_of(g, "/sig/Sigmoid_output_0")->op, "Sigmoid");
}

TEST(CancelTransposes, IntermediateGraphOutputKeepsItsLayout) {
  GraphBuilder b;
  auto x = b.input("input", {1, 2, 4, 4});
  auto c = b.conv(x, 3, 3, "/conv/Conv_output_0");
  b.output(c);
  auto r = b.node("Relu", {c}, "relu_out");
  b.output(r);
  b.output(b.conv(r, 2, 1, "out"));
  ir::Graph g = cancel(b.take());
  for (const char* name : {"/conv/Conv_output_0", "relu_out", "out"}) {
    auto id = g.find_tensor(name);
    ASSERT_TRUE(id.has_value()) << name;
    EXPECT_TRUE(g.is_graph_output(*id)) << name;
    EXPECT_EQ(g.tensor(*id).shape.size(), 4u);
  }
  EXPECT_EQ(g.tensor(*g.find_tensor("relu_out")).shape, (ir::Shape{1, 3, 4, 4}));
}

TEST(CancelTransposes, MergesTransposeChainsAndReshapes) {
  GraphBuilder b;
  auto x = b.input("x", {1, 2, 3, 4});
  auto t1 = b.transpose(x, {0, 2, 3, 1}, "t1");
  b.output(b.transpose(t1, {0, 2, 3, 1}, "t2"));
  auto y = b.input("y", {1, 8});
  auto r1 = b.node("Reshape", {y}, "r1", params({{"shape", ints({2, 4})}}));
  auto r2 = b.node("Reshape", {r1}, "r2", params({{"shape", ints({8, 1})}}));
  auto r3 = b.node("Reshape", {r2}, "r3", params({{"shape", ints({1, 8})}}));
  b.output(b.node("Relu", {r3}, "relu"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 1);
  EXPECT_EQ(producer_of(g, "t2")->params.get_ints("perm"), ints({0, 3, 1, 2}));
  EXPECT_EQ(count_ops(g, "Reshape"), 0);
  EXPECT_EQ(input_name(g, *producer_of(g, "relu")), "y");
}

TEST(CancelTransposes, EncodingsFollowTheirTensors) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 5, 5});
  auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
  auto scale = b.weight("scale", {4, 1, 1});
  auto mul = b.node("ElementWiseMultiply", {c, scale}, "/mul/Mul_output_0");
  b.output(b.conv(mul, 2, 1, "out"));
  ir::Graph before = b.take();
  ir::Encoding act{8, false, false, -1, {0.05}, {-128}};
  before.tensor(c).encoding = act;
  ir::Encoding per_channel{8, true, true, 0, {0.1, 0.2, 0.3, 0.4}, {0, 0, 0, 0}};
  before.tensor(scale).encoding = per_channel;
  ir::Graph g = cancel(before);
  // The conv's output took the model name and its encoding with it.
  auto cid = g.find_tensor("/conv/Conv_output_0");
  ASSERT_TRUE(cid.has_value());
  EXPECT_EQ(producer_of(g, "/conv/Conv_output_0")->op, "Conv2d");
  ASSERT_TRUE(g.tensor(*cid).encoding.has_value());
  EXPECT_EQ(*g.tensor(*cid).encoding, act);
  // The per-channel static moved its channel axis with its data: [4,1,1] -> [1,1,1,4].
  const ir::Tensor& s = g.tensor(producer_of(g, "/mul/Mul_output_0")->inputs[1]);
  EXPECT_EQ(s.shape, (ir::Shape{1, 1, 1, 4}));
  ASSERT_TRUE(s.encoding.has_value());
  EXPECT_EQ(s.encoding->axis, 3);
  EXPECT_EQ(s.encoding->scale, per_channel.scale);
}

// SiLU (x * Sigmoid(x)) and hard-swish (x * Relu6(x + 3) / 6) between convs: the Mul's
// second operand is not a Transpose's output, but it comes through single-reader unary /
// static-operand ops from the same Transpose, so it gets the inverse transpose, which rises
// and cancels there.
TEST(CancelTransposes, SiluAndHardSwishOperandsArePulledIntoTheLayout) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 6, 6});
  auto c1 = b.conv(x, 4, 3, "/c1/Conv_output_0");
  auto sig = b.node("Sigmoid", {c1}, "/act1/Sigmoid_output_0");
  auto silu = b.node("ElementWiseMultiply", {c1, sig}, "/act1/Mul_output_0");
  auto c2 = b.conv(silu, 5, 3, "/c2/Conv_output_0");
  auto add = b.node("ElementWiseAdd", {c2, b.constant("three", {1}, {3.0f})}, "/act2/Add_output_0");
  auto r6 = b.node("ReluMinMax", {add}, "/act2/Clip_output_0",
                   params({{"min_value", 0.0}, {"max_value", 6.0}}));
  auto d6 = b.node("ElementWiseDivide", {r6, b.constant("six", {1}, {6.0f})}, "/act2/Div_output_0");
  // The operands in the other order: the pulled one first.
  auto hs = b.node("ElementWiseMultiply", {d6, c2}, "/act2/Mul_output_0");
  b.output(b.conv(hs, 2, 1, "out"));
  ir::Graph before = b.take();
  ASSERT_EQ(count_ops(before, "Transpose"), 6);
  ir::Graph g = cancel(before);
  EXPECT_EQ(count_ops(g, "Transpose"), 2);  // the input's and the output's
  for (const char* name : {"/c1/Conv_output_0", "/act1/Sigmoid_output_0", "/act1/Mul_output_0",
                           "/c2/Conv_output_0", "/act2/Div_output_0", "/act2/Mul_output_0"}) {
    ASSERT_NE(producer_of(g, name), nullptr) << name;
    EXPECT_NE(producer_of(g, name)->op, "Transpose") << name;
    EXPECT_EQ(g.tensor(*g.find_tensor(name)).shape[1], 6) << name;  // NHWC
  }
  EXPECT_EQ(producer_of(g, "/act1/Sigmoid_output_0")->op, "Sigmoid");
  EXPECT_EQ(input_name(g, *producer_of(g, "/act1/Sigmoid_output_0")), "/c1/Conv_output_0");
}

// Squeeze-excite: x * Sigmoid(Conv(Relu(Conv(GlobalAvgPool(x))))), the gate [N,C,1,1] of
// the same rank as x, broadcast; x is a SiLU.
TEST(CancelTransposes, SqueezeExciteGateFollowsTheLayout) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 6, 6});
  auto c1 = b.conv(x, 8, 3, "/c1/Conv_output_0");
  auto silu = b.node("ElementWiseMultiply", {c1, b.node("Sigmoid", {c1}, "/s1/Sigmoid_output_0")},
                     "/s1/Mul_output_0");
  auto gap = b.spatial("PoolAvg2d", silu, {}, "/se/GlobalAveragePool_output_0",
                       params({{"filter_size", ints({6, 6})}, {"stride", ints({6, 6})}}));
  auto sq = b.node("Relu", {b.conv(gap, 2, 1, "/se/fc1/Conv_output_0")}, "/se/Relu_output_0");
  auto gate =
      b.node("Sigmoid", {b.conv(sq, 8, 1, "/se/fc2/Conv_output_0")}, "/se/Sigmoid_output_0");
  auto se = b.node("ElementWiseMultiply", {silu, gate}, "/se/Mul_output_0");
  b.output(b.conv(se, 4, 1, "out"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  EXPECT_EQ(g.tensor(*g.find_tensor("/se/Sigmoid_output_0")).shape, (ir::Shape{1, 1, 1, 8}));
  EXPECT_EQ(g.tensor(*g.find_tensor("/se/Mul_output_0")).shape, (ir::Shape{1, 6, 6, 8}));
}

// Where pulling must not happen: the chain reaches a Transpose of another perm, has a
// tensor with a second reader, or the operand has a lower rank (it broadcasts from the
// right, so its dims do not follow a 4-D perm). The values stay right either way.
TEST(CancelTransposes, OperandsThatCannotFollowAreNotPulled) {
  struct Case {
    const char* what;
    int transposes_left;
  };
  for (Case k : {Case{"other perm", 5}, Case{"second reader", 4}, Case{"lower rank", 4}}) {
    GraphBuilder b;
    std::string what = k.what;
    auto x = b.input("input", {1, 4, 4, 4});
    auto c1 = b.conv(x, 4, 3, "/c1/Conv_output_0");
    ir::TensorId other;
    if (what == "other perm") {
      auto y = b.transpose(b.input("y", {1, 4, 4, 4}), {0, 2, 1, 3}, "y_t");
      other = b.node("Sigmoid", {y}, "other");
    } else if (what == "second reader") {
      other = b.node("Sigmoid", {c1}, "other");
      b.output(b.node("Relu", {other}, "also_read"));
    } else {
      other = b.node("Sigmoid", {b.input("v", {4, 4})}, "other");
    }
    auto mul = b.node("ElementWiseMultiply", {c1, other}, "/mul/Mul_output_0");
    b.output(b.conv(mul, 2, 1, "out"));
    ir::Graph before = b.take();
    ir::Graph g = cancel(before);
    EXPECT_EQ(count_ops(g, "Transpose"), k.transposes_left) << what;
    // The Mul stays channel-first: nothing was pulled into its inputs.
    EXPECT_EQ(g.tensor(*g.find_tensor("/mul/Mul_output_0")).shape, (ir::Shape{1, 4, 4, 4})) << what;
    EXPECT_EQ(producer_of(g, "other")->op, "Sigmoid") << what;
  }
}

// A detection head: conv [1,C,H,W] -> Reshape [1,C,H*W] -> Sigmoid -> Transpose(0,2,1)
// [1,H*W,C]. The reshape merges H and W, which the channel-first transpose keeps together
// and in order, so it runs on the NHWC conv output ([1,H*W,C]) and the transpose left after
// it, (0,2,1), cancels with the model's.
TEST(CancelTransposes, ReshapeOfDimsKeptTogetherLetsTheTransposeThrough) {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 4, 5});
  auto c = b.conv(x, 6, 3, "/head/Conv_output_0");
  auto r = b.node("Reshape", {c}, "/head/Reshape_output_0", params({{"shape", ints({1, 6, 20})}}));
  auto s = b.node("Sigmoid", {r}, "/head/Sigmoid_output_0");
  b.output(b.transpose(s, {0, 2, 1}, "scores"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 1);  // the input's
  const ir::Node* rn = producer_of(g, "/head/Reshape_output_0");
  ASSERT_NE(rn, nullptr);
  EXPECT_EQ(rn->op, "Reshape");
  EXPECT_EQ(input_name(g, *rn), "/head/Conv_output_0");
  EXPECT_EQ(g.tensor(*g.find_tensor("/head/Reshape_output_0")).shape, (ir::Shape{1, 20, 6}));
  EXPECT_EQ(producer_of(g, "scores")->op, "Sigmoid");
}

// Reshapes the transpose cannot pass: flattening C,H,W (NHWC order differs: real data
// movement), merging dims that the perm does not keep adjacent, and a many-to-many regroup.
TEST(CancelTransposes, ReshapesThatMoveDataKeepTheTranspose) {
  for (auto shape : {ints({1, 48}), ints({1, 16, 3}), ints({1, 6, 8})}) {
    GraphBuilder b;
    auto x = b.input("input", {1, 3, 4, 3});
    auto c = b.conv(x, 4, 3, "/conv/Conv_output_0");
    auto r = b.node("Reshape", {c}, "flat", params({{"shape", shape}}));
    b.output(b.node("Relu", {r}, "out"));
    ir::Graph g = cancel(b.take());
    EXPECT_EQ(count_ops(g, "Transpose"), 2) << shape.size();
    EXPECT_EQ(reader_of(g, "/conv/Conv_output_0")->op, "Transpose");
  }
}

// ShuffleNet's unit: the shuffled tensor is split by two channel slices; one half goes
// straight to the Concat, the other through a conv branch. The transpose with two slice
// readers sinks into both, since each lands where it merges or joins.
TEST(CancelTransposes, ChannelSplitSlicesTakeASharedTranspose) {
  GraphBuilder b;
  auto x = b.input("input", {1, 8, 4, 4});
  auto c = b.conv(x, 8, 1, "/c0/Conv_output_0");
  auto half = [&](int64_t from, const std::string& name) {
    return b.node("StridedSlice", {c}, name,
                  params({{"ranges", ints({0, 1, 1, from, from + 4, 1, 0, 4, 1, 0, 4, 1})}}));
  };
  auto left = half(0, "/split/Slice_output_0");
  auto right = half(4, "/split/Slice_1_output_0");
  auto branch = b.node("Relu", {b.conv(right, 4, 3, "/br/Conv_output_0")}, "/br/Relu_output_0");
  auto cat =
      b.node("Concat", {left, branch}, "/cat/Concat_output_0", params({{"axis", int64_t{1}}}));
  b.output(b.conv(cat, 8, 1, "out"));
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  const ir::Node* sl = producer_of(g, "/split/Slice_1_output_0");
  ASSERT_NE(sl, nullptr);
  EXPECT_EQ(sl->params.get_ints("ranges"), ints({0, 1, 1, 0, 4, 1, 0, 4, 1, 4, 8, 1}));
  EXPECT_EQ(producer_of(g, "/cat/Concat_output_0")->params.get_int("axis"), 3);
}

// A shared transpose whose readers would each leave a transpose behind (slices feeding
// flattens, which need channel-first order) stays where it is.
TEST(CancelTransposes, SharedTransposeStaysWhenItsReadersCannotLandIt) {
  GraphBuilder b;
  auto x = b.input("input", {1, 4, 3, 3});
  auto c = b.conv(x, 4, 1, "/c0/Conv_output_0");
  for (int64_t from : {0, 2}) {
    std::string name = "s" + std::to_string(from);
    auto s = b.node("StridedSlice", {c}, name,
                    params({{"ranges", ints({0, 1, 1, from, from + 2, 1, 0, 3, 1, 0, 3, 1})}}));
    b.output(b.node("Reshape", {s}, name + "_flat", params({{"shape", ints({1, 18})}})));
  }
  ir::Graph g = cancel(b.take());
  EXPECT_EQ(count_ops(g, "Transpose"), 2);  // the input's and the shared one
  EXPECT_EQ(g.tensor(*g.find_tensor("s0")).shape, (ir::Shape{1, 2, 3, 3}));
  EXPECT_EQ(g.tensor(*g.find_tensor("s2")).shape, (ir::Shape{1, 2, 3, 3}));
}

TEST(CancelTransposes, LeavesLayoutSensitiveGraphsAlone) {
  GraphBuilder b;
  auto x = b.input("x", {1, 2, 3, 4});
  auto t = b.transpose(x, {0, 2, 3, 1}, "t");
  auto r = b.node("Reshape", {t}, "r", params({{"shape", ints({1, 24})}}));
  b.output(b.node("Softmax", {r}, "sm"));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto pass = make_cancel_transposes();
  EXPECT_FALSE(run_pass(*pass, g));
  EXPECT_EQ(g.nodes.size(), before.nodes.size());
}

}  // namespace
}  // namespace oqnn::passes::testing
