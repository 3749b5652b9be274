// Binding input shapes: --input_dim, --batch, --define_symbol, and the errors for unbound
// dims, unknown names and rank mismatches.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

ModelBuilder relu_model(const std::vector<Dim>& dims) {
  ModelBuilder b;
  b.input("input", dims);
  b.node("Relu", {"input"}, {"output"}, "relu");
  b.output("output");
  return b;
}

using Inputs = ImporterTest;

TEST_F(Inputs, UnboundSymbolicDimNamesTheInputAndAllThreeFlags) {
  auto g = import(relu_model({"batch_size", 3, 8, 8}));
  ASSERT_FALSE(g.has_value());
  const Error& e = g.error();
  EXPECT_EQ(e.code, ErrorCode::kBadInput);
  EXPECT_NE(e.message.find("'input'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("[batch_size,3,8,8]"), std::string::npos) << e.message;
  std::string hints;
  for (const auto& h : e.hints) hints += h + "\n";
  for (const char* flag : {"--input_dim input 1,3,8,8", "--batch", "--define_symbol batch_size"})
    EXPECT_NE(hints.find(flag), std::string::npos) << flag << " missing from:\n" << hints;
}

TEST_F(Inputs, InputWithoutShapeNeedsInputDim) {
  ModelBuilder b;
  b.input_without_shape("input");
  b.node("Relu", {"input"}, {"output"});
  b.output("output");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  ImportOptions o;
  o.input_dims = {{"input", {2, 5}}};
  auto ok = import(b, o);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->tensor(ok->inputs[0]).shape, (ir::Shape{2, 5}));
}

TEST_F(Inputs, BatchBindsSymbolicDimZeroOnly) {
  ImportOptions o;
  o.batch = 4;
  auto g = import(relu_model({"N", 3, 8, 8}), o);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(g->inputs[0]).shape, (ir::Shape{4, 3, 8, 8}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{4, 3, 8, 8}));
  // A symbolic dim elsewhere is not the batch.
  auto g2 = import(relu_model({1, "H", 8}), o);
  ASSERT_FALSE(g2.has_value());
  EXPECT_EQ(g2.error().code, ErrorCode::kBadInput);
}

TEST_F(Inputs, DefineSymbolBindsByName) {
  ImportOptions o;
  o.define_symbols = {{"H", 16}, {"W", 9}};
  auto g = import(relu_model({1, 3, "H", "W"}), o);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(g->inputs[0]).shape, (ir::Shape{1, 3, 16, 9}));
}

TEST_F(Inputs, InputDimOverridesStaticDimsInOnnxLayout) {
  ImportOptions o;
  o.input_dims = {{"input", {2, 3, 5, 7}}};
  auto g = import(relu_model({1, 3, 224, 224}), o);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(g->inputs[0]).shape, (ir::Shape{2, 3, 5, 7}));
}

TEST_F(Inputs, InputDimErrorsAreUsageErrors) {
  ImportOptions o;
  o.input_dims = {{"data", {1, 3, 8, 8}}};
  auto g = import(relu_model({1, 3, 8, 8}), o);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUsage);
  EXPECT_NE(g.error().message.find("'data'"), std::string::npos);
  EXPECT_NE(g.error().message.find("'input'"), std::string::npos) << g.error().message;

  o.input_dims = {{"input", {1, 3, 8}}};
  auto r = import(relu_model({1, 3, 8, 8}), o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUsage);
}

TEST_F(Inputs, InitializersListedAsInputsAreNotInputs) {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.input("bias", {4});
  b.init_f32("bias", {4}, {1, 2, 3, 4});
  b.node("Add", {"x", "bias"}, {"y"}, "add");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(g->inputs.size(), 1u);
  EXPECT_EQ(g->tensor(g->inputs[0]).name, "x");
  const ir::Node& add = node_of(*g, "ElementWiseAdd");
  EXPECT_TRUE(g->tensor(add.inputs[1]).is_static());
  EXPECT_EQ(g->tensor(add.inputs[1]).name, "bias");
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
