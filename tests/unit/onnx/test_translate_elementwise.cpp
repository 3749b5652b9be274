// Element-wise translators: variadic ops fold into binary chains, Pow with mixed types
// casts, Mod picks Fmod/Mod, Reciprocal divides, and malformed attributes are exit-1
// bad-input errors naming the node.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Elementwise = ImporterTest;

TEST_F(Elementwise, VariadicOpsFoldIntoBinaryChains) {
  struct Case {
    const char* onnx;
    std::vector<std::string> ops;
  };
  for (const Case& c : {Case{"Max", {"ElementWiseMaximum", "ElementWiseMaximum"}},
                        Case{"Min", {"ElementWiseMinimum", "ElementWiseMinimum"}},
                        Case{"Sum", {"ElementWiseAdd", "ElementWiseAdd"}},
                        Case{"Mean", {"ElementWiseAdd", "ElementWiseAdd", "ElementWiseDivide"}}}) {
    ModelBuilder b;
    for (const char* in : {"a", "b", "c"}) b.input(in, {2, 3});
    b.node(c.onnx, {"a", "b", "c"}, {"y"}, "v");
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(ops_of(*g), c.ops) << c.onnx;
    EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 3}));
  }
}

TEST_F(Elementwise, OneInputMaxIsItsInputAndMeanDividesByOne) {
  ModelBuilder b;
  b.input("a", {4});
  b.node("Max", {"a"}, {"m"}, "max");
  b.node("Mean", {"m"}, {"y"}, "mean");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), std::vector<std::string>{"ElementWiseDivide"});
}

TEST_F(Elementwise, ModPicksFmodOrFloorModAndPowCastsAMixedExponent) {
  for (int64_t fmod : {0, 1}) {
    ModelBuilder b;
    b.input("a", {3});
    b.input("e", {3}, ::onnx::TensorProto::INT32);
    b.input("m", {3});
    b.node("Pow", {"a", "e"}, {"p"}, "pow");
    set_attr(b.node("Mod", {"p", "m"}, {"y"}, "mod"), "fmod", fmod);
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Cast", "ElementWisePower",
                                                    fmod ? "ElementWiseFmod" : "ElementWiseMod"}));
  }
}

TEST_F(Elementwise, ComparisonsAndWhere) {
  ModelBuilder b;
  b.input("a", {2, 3});
  b.input("b", {3});
  b.node("GreaterOrEqual", {"a", "b"}, {"c"}, "ge");
  b.node("Where", {"c", "a", "b"}, {"y"}, "where");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"ElementWiseGreaterEqual", "ElementWiseSelect"}));
  EXPECT_EQ(g->tensor(node_of(*g, "ElementWiseSelect").inputs[0]).dtype, ir::DataType::kBool);
}

TEST_F(Elementwise, UnaryAttributesBecomeParamsWithOnnxDefaults) {
  ModelBuilder b(20);
  b.input("x", {4});
  b.node("Selu", {"x"}, {"s"}, "selu");
  set_attr(b.node("Elu", {"s"}, {"e"}, "elu"), "alpha", 0.5f);
  set_attr(b.node("Gelu", {"e"}, {"y"}, "gelu"), "approximate", std::string("tanh"));
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Selu", "Elu", "Gelu"}));
  EXPECT_NEAR(node_of(*g, "Selu").params.get_float("gamma"), 1.0507, 1e-4);
  EXPECT_EQ(node_of(*g, "Elu").params.get_float("alpha"), 0.5);
  EXPECT_EQ(node_of(*g, "Gelu").params.get_string("approximate"), "tanh");
}

TEST_F(Elementwise, MalformedAttributesAreBadInputNamingTheNode) {
  struct Case {
    const char* op;
    const char* attr;
    int64_t ival;
    std::string sval;
  };
  for (const Case& c : {Case{"Mod", "fmod", 2, ""}, Case{"IsInf", "detect_negative", 5, ""},
                        Case{"Gelu", "approximate", 0, "erf"}, Case{"Celu", "alpha", 0, ""},
                        Case{"BitShift", "direction", 0, "UP"}}) {
    ModelBuilder b(20);
    b.input("x", {4});
    std::vector<std::string> ins = {"x"};
    if (std::string(c.op) == "Mod" || std::string(c.op) == "BitShift") ins.push_back("x");
    auto& n = b.node(c.op, ins, {"y"}, "bad");
    if (!c.sval.empty())
      set_attr(n, c.attr, c.sval);
    else if (std::string(c.op) == "Celu")
      set_attr(n, c.attr, 0.0f);
    else
      set_attr(n, c.attr, c.ival);
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << c.op;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("'bad'"), std::string::npos) << g.error().message;
    EXPECT_NE(g.error().message.find(c.attr), std::string::npos) << g.error().message;
  }
}

TEST_F(Elementwise, WhereNeedsABoolConditionAndBinaryOpsOneType) {
  {
    ModelBuilder b;
    b.input("c", {4});
    b.input("x", {4});
    b.node("Where", {"c", "x", "x"}, {"y"}, "where");
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("'where'"), std::string::npos) << g.error().message;
  }
  {
    ModelBuilder b;
    b.input("a", {4});
    b.input("i", {4}, ::onnx::TensorProto::INT32);
    b.node("Max", {"a", "i"}, {"y"}, "max");
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
  }
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
