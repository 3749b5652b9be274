// Graph outputs and names: --out_node choice and pruning, aliases (Identity, Dropout),
// constant outputs, node names for unnamed nodes, unique names for auxiliary nodes.
#include <set>

#include "ir/verifier.h"
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Outputs = ImporterTest;

// x → Relu(a) → Sigmoid(b) → Relu(c); the ONNX output is c.
ModelBuilder chain() {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {"conv1/Relu:0"});
  b.node("Sigmoid", {"conv1/Relu:0"}, {"b"});
  b.node("Relu", {"b"}, {"c"});
  b.output("c");
  return b;
}

TEST_F(Outputs, OutNodeSelectsATensorAndPrunesTheRest) {
  ImportOptions o;
  o.out_nodes = {"conv1/Relu:0"};
  auto g = import(chain(), o);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), std::vector<std::string>{"Relu"});
  EXPECT_EQ(g->nodes[0].name, "Relu_0");
  ASSERT_EQ(g->outputs.size(), 1u);
  EXPECT_EQ(g->tensor(g->outputs[0]).name, "conv1/Relu:0");  // unsanitized
  EXPECT_EQ(g->tensor(g->outputs[0]).kind, ir::TensorKind::kOutput);
  EXPECT_EQ(g->tensors.size(), 2u);
}

TEST_F(Outputs, DeclaredOutputTypesTheIrCannotHoldAreUnsupportedNamingTheOutput) {
  for (int32_t et : {::onnx::TensorProto::BFLOAT16, ::onnx::TensorProto::STRING}) {
    ModelBuilder b = chain();
    b.model.mutable_graph()
        ->mutable_output(0)
        ->mutable_type()
        ->mutable_tensor_type()
        ->set_elem_type(et);
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << et;
    EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(g.error().message.find("output 'c': element type"), std::string::npos)
        << g.error().message;
    ImportOptions o;  // --out_node replaces the declared outputs
    o.out_nodes = {"b"};
    EXPECT_TRUE(import(b, o).has_value()) << et;
  }
}

TEST_F(Outputs, UnknownOutNodeIsAUsageErrorNamingIt) {
  ImportOptions o;
  o.out_nodes = {"nope"};
  auto g = import(chain(), o);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUsage);
  EXPECT_NE(g.error().message.find("'nope'"), std::string::npos);
}

TEST_F(Outputs, AliasedOutputTakesTheOutputName) {
  ModelBuilder b(12);
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Dropout", {"r"}, {"d"}, "drop");
  b.node("Identity", {"d"}, {"y"}, "id");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), std::vector<std::string>{"Relu"});
  EXPECT_EQ(g->tensor(g->outputs[0]).name, "y");
  EXPECT_TRUE(ir::verify(*g).is_ok());
}

TEST_F(Outputs, TwoOutputsAliasingOneValueGetACopy) {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"x"}, {"r"}, "relu");
  b.node("Identity", {"r"}, {"y1"});
  b.node("Identity", {"r"}, {"y2"});
  b.output("y1");
  b.output("y2");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Relu", "Reshape"}));
  EXPECT_EQ(g->tensor(g->outputs[0]).name, "y1");
  EXPECT_EQ(g->tensor(g->outputs[1]).name, "y2");
}

TEST_F(Outputs, ConstantOutputIsProducedByAnIdentityReshape) {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.init_f32("k", {2}, {1.0f, 2.0f});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.node("Neg", {"k"}, {"negk"}, "neg");
  b.output("y");
  b.output("negk");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Relu", "Reshape"}));
  EXPECT_EQ(g->tensor(g->outputs[1]).name, "negk");
  EXPECT_EQ(static_floats(*g, g->nodes[1].inputs[0]), (std::vector<float>{-1.0f, -2.0f}));
}

TEST_F(Outputs, AuxiliaryNamesNeverTakeOnnxNames) {
  // ONNX names that an auxiliary name would otherwise pick.
  ModelBuilder b;
  b.input("x", {1, 2, 4, 4});
  b.init_f32("w", {2, 2, 1, 1}, iota_values(4));
  b.node("Conv", {"x", "w"}, {"y"}, "conv");
  b.node("Relu", {"y"}, {"y_nhwc"}, "conv_to_nchw");
  b.node("Relu", {"y_nhwc"}, {"x_nhwc"}, "conv_to_nhwc");
  b.output("x_nhwc");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  std::set<std::string> nodes, tensors;
  for (const auto& n : g->nodes) EXPECT_TRUE(nodes.insert(n.name).second) << n.name;
  for (const auto& t : g->tensors) EXPECT_TRUE(tensors.insert(t.name).second) << t.name;
  EXPECT_EQ(g->find_node("conv_to_nchw")->op, "Relu");
  EXPECT_EQ(g->find_node("conv_to_nhwc")->op, "Relu");
  EXPECT_EQ(g->tensor(*g->find_tensor("y_nhwc")).shape, (ir::Shape{1, 2, 4, 4}));
}

TEST_F(Outputs, OutputNothingDefinesIsBadInput) {
  // Found by tests/fuzz: a malformed model was reported as an internal error (exit code 4).
  for (const char* name : {"", "missing"}) {
    ModelBuilder b = chain();
    b.output(name);
    auto g = import(b, ImportOptions{});
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("graph output '" + std::string(name) + "' is not produced"),
              std::string::npos)
        << g.error().message;
  }
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
