// Translators of the reduction and normalization family: how axes, opsets and Einsum
// equations map onto IR ops, and that malformed attributes are exit-1 bad input and
// valid-but-unsupported ones exit-3 unsupported, each naming the node.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using ReduceOps = ImporterTest;

void expect_error(const Expected<ir::Graph>& g, ErrorCode code, const std::string& node) {
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, code) << g.error().message;
  EXPECT_NE(g.error().message.find("'" + node + "'"), std::string::npos) << g.error().message;
}

TEST_F(ReduceOps, ReduceSumTakesAxesAsInputFromOpset13AndTheOthersFrom18) {
  for (const char* op : {"ReduceSum", "ReduceMax"}) {
    for (int64_t opset : {11, 13, 18}) {
      ModelBuilder b(opset);
      b.input("x", {2, 3, 4});
      auto& n = b.node(op, {"x"}, {"y"}, "r");
      bool as_input = opset >= (std::string(op) == "ReduceSum" ? 13 : 18);
      if (as_input) {
        b.init_i64("axes", {1}, {-2});
        n.add_input("axes");
      } else {
        set_attr(n, "axes", std::vector<int64_t>{-2});
      }
      b.output("y");
      auto g = import(b);
      ASSERT_TRUE(g.has_value()) << g.error().message;
      EXPECT_EQ(node_of(*g, op).params.get_ints("axes"), (std::vector<int64_t>{1}));
      EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 1, 4}));
    }
  }
}

TEST_F(ReduceOps, NoAxesMeansAllOfThemUnlessNoop) {
  for (int64_t noop : {0, 1}) {
    ModelBuilder b(18);
    b.input("x", {2, 3});
    b.input("z", {2, 3});
    auto& n = b.node("ReduceL2", {"x"}, {"r"}, "l2");
    set_attr(n, "noop_with_empty_axes", noop);
    set_attr(n, "keepdims", int64_t{0});
    b.node("Add", {"r", "z"}, {"y"}, "add");
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    if (noop) {
      EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"ElementWiseAdd"}));
    } else {
      EXPECT_EQ(node_of(*g, "ReduceL2").params.get_ints("axes"), (std::vector<int64_t>{0, 1}));
    }
  }
}

TEST_F(ReduceOps, BadAxesAreBadInputAndRunTimeAxesUnsupported) {
  {
    ModelBuilder b(13);
    b.input("x", {2, 3});
    set_attr(b.node("ReduceProd", {"x"}, {"y"}, "prod"), "axes", std::vector<int64_t>{2});
    b.output("y");
    expect_error(import(b), ErrorCode::kBadInput, "prod");
  }
  {
    ModelBuilder b(18);
    b.input("x", {2, 3});
    b.input("axes", {1}, ::onnx::TensorProto::INT64);
    b.node("ReduceMin", {"x", "axes"}, {"y"}, "min");
    b.output("y");
    expect_error(import(b), ErrorCode::kUnsupported, "min");
  }
}

TEST_F(ReduceOps, LayerNormalizationWithStatisticsOutputs) {
  ModelBuilder b(17);
  b.input("x", {2, 3, 4});
  b.init_f32("w", {4}, {1, 2, 3, 4});
  auto& n = b.node("LayerNormalization", {"x", "w"}, {"y", "mean", "inv"}, "ln");
  set_attr(n, "axis", int64_t{-1});
  b.output("y");
  b.output("mean");
  b.output("inv");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& ln = node_of(*g, "LayerNorm");
  EXPECT_EQ(ln.outputs.size(), 3u);
  EXPECT_EQ(ln.params.get_ints("axes"), (std::vector<int64_t>{2}));
  EXPECT_EQ(g->tensor(g->outputs[1]).shape, (ir::Shape{2, 3, 1}));

  ModelBuilder bad(17);
  bad.input("x", {2, 3});
  bad.init_f32("w", {3}, {1, 2, 3});
  set_attr(bad.node("LayerNormalization", {"x", "w"}, {"y"}, "ln_bad"), "axis", int64_t{2});
  bad.output("y");
  expect_error(import(bad), ErrorCode::kBadInput, "ln_bad");
}

TEST_F(ReduceOps, NormalizationAttributeErrors) {
  struct Case {
    const char* op;
    const char* attr;
    int64_t value;
    ErrorCode code;
  };
  for (const Case& c :
       {Case{"LRN", "size", 4, ErrorCode::kUnsupported},
        Case{"LRN", "size", 0, ErrorCode::kBadInput}, Case{"LRN", "", 0, ErrorCode::kBadInput},
        Case{"LpNormalization", "p", 3, ErrorCode::kBadInput},
        Case{"GroupNormalization", "num_groups", 3, ErrorCode::kBadInput},
        Case{"GroupNormalization", "", 0, ErrorCode::kBadInput}}) {
    ModelBuilder b(21);
    b.input("x", {1, 4, 2, 2});
    std::vector<std::string> in{"x"};
    if (std::string(c.op) == "GroupNormalization") {
      b.init_f32("s", {4}, {1, 1, 1, 1});
      in = {"x", "s", "s"};
    }
    auto& n = b.node(c.op, in, {"y"}, "norm");
    if (*c.attr) set_attr(n, c.attr, c.value);
    b.output("y");
    SCOPED_TRACE(std::string(c.op) + " " + c.attr + "=" + std::to_string(c.value));
    expect_error(import(b), c.code, "norm");
  }
}

TEST_F(ReduceOps, EinsumDecomposesAroundOneMatMul) {
  ModelBuilder b(12);
  b.input("p", {5, 2, 3});
  b.input("q", {3, 5, 4});
  set_attr(b.node("Einsum", {"p", "q"}, {"y"}, "es"), "equation", std::string("bij,jbk->bki"));
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "MatMul", "Transpose"}));
  EXPECT_EQ(g->nodes[0].name, "es");
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{5, 4, 2}));
}

TEST_F(ReduceOps, EinsumRefusesWhatItCannotDecompose) {
  struct Case {
    const char* eq;
    int inputs;
    ErrorCode code;
  };
  for (const Case& c :
       {Case{"ii->i", 1, ErrorCode::kUnsupported}, Case{"ij,jk,kl->il", 3, ErrorCode::kUnsupported},
        Case{"i$,ij->j", 2, ErrorCode::kBadInput}, Case{"ijk->i", 1, ErrorCode::kBadInput},
        Case{"ij->k", 1, ErrorCode::kBadInput}}) {
    ModelBuilder b(12);
    std::vector<std::string> in;
    for (int i = 0; i < c.inputs; ++i) {
      in.push_back("t" + std::to_string(i));
      b.input(in.back(), {3, 3});
    }
    set_attr(b.node("Einsum", in, {"y"}, "es"), "equation", std::string(c.eq));
    b.output("y");
    SCOPED_TRACE(c.eq);
    expect_error(import(b), c.code, "es");
  }
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
