// Shape rules and parameter checks of the element-wise ops (ir/ops/elementwise*.cpp):
// broadcasting, output dtypes (comparisons and predicates give bool), bool-only inputs
// and bad parameters are refused with errors naming the node.
#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/verifier.h"

namespace oqnn::ir {
namespace {

struct In {
  DataType dtype;
  Shape shape;
};

// A graph with one node `op` over inputs of the given dtypes and shapes.
Graph one_node(const std::string& op, const std::vector<In>& ins, Params p = {}) {
  Graph g;
  Node n{"n0", op, {}, {}, std::move(p)};
  for (size_t i = 0; i < ins.size(); ++i)
    n.inputs.push_back(g.add_tensor(
        {"x" + std::to_string(i), ins[i].dtype, ins[i].shape, TensorKind::kInput, {}, {}}));
  n.outputs.push_back(g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}}));
  g.nodes.push_back(n);
  return g;
}

const Tensor& out(const Graph& g) {
  return g.tensor(g.nodes[0].outputs[0]);
}

void expect_refused(Graph g, const std::string& what) {
  Status s = infer_shapes(g);
  ASSERT_FALSE(s.is_ok()) << g.nodes[0].op << ": " << what;
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  EXPECT_NE(s.error().message.find("'n0'"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
}

constexpr DataType f32 = DataType::kFloat32, i32 = DataType::kInt32, b8 = DataType::kBool;

TEST(ElementwiseOps, BinaryOpsBroadcastAndKeepTheInputType) {
  for (const char* op :
       {"ElementWiseAdd", "ElementWiseMaximum", "ElementWisePower", "ElementWiseFmod",
        "ElementWiseMod", "ElementWiseDivide", "ElementWiseBitwiseAnd", "ElementWiseShiftLeft"}) {
    Graph g = one_node(op, {{i32, {2, 1, 4}}, {i32, {3, 1}}});
    ASSERT_TRUE(infer_shapes(g).is_ok()) << op;
    EXPECT_EQ(out(g).shape, (Shape{2, 3, 4})) << op;
    EXPECT_EQ(out(g).dtype, i32) << op;
    expect_refused(one_node(op, {{f32, {2, 3}}, {f32, {4}}}), "cannot broadcast");
  }
}

TEST(ElementwiseOps, ComparisonsGiveBoolAndLogicalOpsNeedBool) {
  for (const char* op : {"ElementWiseEqual", "ElementWiseGreater", "ElementWiseGreaterEqual",
                         "ElementWiseLess", "ElementWiseLessEqual"}) {
    Graph g = one_node(op, {{f32, {3}}, {f32, {}}});
    ASSERT_TRUE(infer_shapes(g).is_ok()) << op;
    EXPECT_EQ(out(g).dtype, b8);
    EXPECT_EQ(out(g).shape, (Shape{3}));
  }
  for (const char* op : {"ElementWiseAnd", "ElementWiseOr", "ElementWiseXor"}) {
    Graph g = one_node(op, {{b8, {2, 2}}, {b8, {2}}});
    ASSERT_TRUE(infer_shapes(g).is_ok()) << op;
    EXPECT_EQ(out(g).dtype, b8);
    expect_refused(one_node(op, {{b8, {2}}, {f32, {2}}}), "not bool");
  }
}

TEST(ElementwiseOps, SelectBroadcastsThreeWaysWithABoolCondition) {
  Graph g = one_node("ElementWiseSelect", {{b8, {2, 1}}, {i32, {3}}, {i32, {1, 1, 1}}});
  ASSERT_TRUE(infer_shapes(g).is_ok());
  EXPECT_EQ(out(g).shape, (Shape{1, 2, 3}));
  EXPECT_EQ(out(g).dtype, i32);
  expect_refused(one_node("ElementWiseSelect", {{f32, {2}}, {f32, {2}}, {f32, {2}}}), "not bool");
  expect_refused(one_node("ElementWiseSelect", {{b8, {2}}, {f32, {3}}, {f32, {2}}}),
                 "cannot broadcast");
}

TEST(ElementwiseOps, UnaryOpsKeepShapeAndPredicatesGiveBool) {
  for (const char* op : {"ElementWiseExp", "ElementWiseErf", "Tanh", "Mish", "ElementWiseAbs"}) {
    Graph g = one_node(op, {{f32, {2, 5}}});
    ASSERT_TRUE(infer_shapes(g).is_ok()) << op;
    EXPECT_EQ(out(g).shape, (Shape{2, 5}));
    EXPECT_EQ(out(g).dtype, f32);
  }
  for (const char* op : {"ElementWiseIsNan", "ElementWiseIsInf"}) {
    Graph g = one_node(op, {{f32, {4}}});
    ASSERT_TRUE(infer_shapes(g).is_ok()) << op;
    EXPECT_EQ(out(g).dtype, b8);
  }
  Graph g = one_node("ElementWiseNot", {{b8, {4}}});
  ASSERT_TRUE(infer_shapes(g).is_ok());
  EXPECT_EQ(out(g).dtype, b8);
  expect_refused(one_node("ElementWiseNot", {{f32, {4}}}), "not bool");
}

TEST(ElementwiseOps, BadParamsAreRefused) {
  Params gelu;
  gelu.set("approximate", std::string("erf"));
  expect_refused(one_node("Gelu", {{f32, {2}}}, gelu), "approximate");
  Params celu;
  celu.set("alpha", 0.0);
  expect_refused(one_node("Celu", {{f32, {2}}}, celu), "alpha");
  Params wrong_type;
  wrong_type.set("alpha", std::string("one"));
  expect_refused(one_node("Elu", {{f32, {2}}}, wrong_type), "alpha");
  Params unknown;
  unknown.set("beta", 1.0);
  expect_refused(one_node("ElementWiseExp", {{f32, {2}}}, unknown), "beta");
}

TEST(ElementwiseOps, WrongInputCountIsRefused) {
  expect_refused(one_node("ElementWiseAdd", {{f32, {2}}}), "inputs");
  expect_refused(one_node("ElementWiseExp", {{f32, {2}}, {f32, {2}}}), "inputs");
}

}  // namespace
}  // namespace oqnn::ir
