// Ops without a translator whose ONNX schema defines a function body are imported as that
// body (function_expand.h): the body's nodes, translated at the body's own opset.
#include <algorithm>

#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using FunctionExpand = ImporterTest;

bool has_op(const ir::Graph& g, const std::string& op) {
  auto ops = ops_of(g);
  return std::find(ops.begin(), ops.end(), op) != ops.end();
}

ModelBuilder nll_model(int64_t opset, const std::string& reduction, bool weight) {
  ModelBuilder b(opset);
  b.input("x", {2, 3, 4});
  b.input("t", {2, 4}, ::onnx::TensorProto::INT64);
  std::vector<std::string> ins{"x", "t"};
  if (weight) {
    b.init_f32("w", {3}, {0.2f, 0.3f, 0.5f});
    ins.push_back("w");
  }
  auto& n = b.node("NegativeLogLikelihoodLoss", ins, {"loss"}, "nll");
  set_attr(n, "reduction", reduction);
  set_attr(n, "ignore_index", int64_t{1});
  b.output("loss");
  return b;
}

TEST_F(FunctionExpand, NllLossBecomesItsContextDependentBody) {
  auto g = import(nll_model(18, "mean", true));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_TRUE(has_op(*g, "GatherElements")) << ::testing::PrintToString(ops_of(*g));
  ASSERT_EQ(g->outputs.size(), 1u);
  const ir::Tensor& out = g->tensor(g->outputs[0]);
  EXPECT_EQ(out.name, "loss");
  EXPECT_TRUE(out.shape.empty());  // a mean is a scalar
}

TEST_F(FunctionExpand, NoReductionKeepsTheSampleShape) {
  auto g = import(nll_model(13, "none", false));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 4}));
}

// SoftmaxCrossEntropyLoss's body calls NegativeLogLikelihoodLoss: expanded in turn. The
// optional log_prob output is bound to the body's value.
TEST_F(FunctionExpand, NestedFunctionsAndOptionalOutputs) {
  ModelBuilder b(17);
  b.input("x", {2, 5});
  b.input("t", {2}, ::onnx::TensorProto::INT64);
  auto& n = b.node("SoftmaxCrossEntropyLoss", {"x", "t"}, {"loss", "log_prob"}, "sce");
  set_attr(n, "reduction", std::string("sum"));
  b.output("loss");
  b.output("log_prob");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_FALSE(has_op(*g, "NegativeLogLikelihoodLoss"));
  ASSERT_EQ(g->outputs.size(), 2u);
  EXPECT_EQ(g->tensor(g->outputs[1]).name, "log_prob");
  EXPECT_EQ(g->tensor(g->outputs[1]).shape, (ir::Shape{2, 5}));
}

TEST_F(FunctionExpand, BadAttributeIsAnErrorNamingTheNode) {
  auto g = import(nll_model(13, "average", false));
  ASSERT_FALSE(g.has_value());
  EXPECT_NE(g.error().message.find("'nll'"), std::string::npos) << g.error().message;
}

// A body op we do not translate is listed under the graph node's name, and the reason
// shows the body's opset (11), not the model's (18).
TEST_F(FunctionExpand, DryRunListsBodyGapsUnderTheOriginalNode) {
  ModelBuilder b(18);
  b.input("x", {6});
  b.node("DynamicQuantizeLinear", {"x"}, {"y", "s", "z"}, "dql");
  b.output("y");
  ImportOptions o;
  o.model_path = b.write(dir_);
  auto list = find_unsupported(o);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_FALSE(list->empty());
  for (const auto& u : *list) {
    EXPECT_EQ(u.node_name, "dql");
    EXPECT_EQ(u.op_type, "DynamicQuantizeLinear");
  }
  EXPECT_NE((*list)[0].reason.find("QuantizeLinear"), std::string::npos) << (*list)[0].reason;
  EXPECT_NE((*list)[0].reason.find("opset 11"), std::string::npos) << (*list)[0].reason;
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(g.error().message.rfind("node 'dql'", 0), 0u) << g.error().message;
}

TEST_F(FunctionExpand, OpsWithoutAFunctionStayUnsupported) {
  ModelBuilder b(13);
  b.input("x", {1, 1, 4, 4});
  b.node("Unique", {"x"}, {"y"}, "unique");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_NE(g.error().message.find("op is not supported"), std::string::npos);
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
