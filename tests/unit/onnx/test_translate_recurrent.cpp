// LSTM/GRU/RNN: defaults resolved into explicit IR params, and malformed attributes are
// exit-1 errors naming the node (numbers: the conformance node tests and tests/e2e zoo).
#include <variant>

#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Recurrent = ImporterTest;

// X [seq 5, batch 2, in 3], hidden 4, `dirs` directions.
ModelBuilder lstm(int64_t dirs, const std::string& op = "LSTM") {
  const int64_t g = op == "LSTM" ? 4 : op == "GRU" ? 3 : 1;
  ModelBuilder b(14);
  b.input("x", {5, 2, 3});
  b.init_f32("w", {dirs, g * 4, 3}, std::vector<float>(static_cast<size_t>(dirs * g * 12), 0.1f));
  b.init_f32("r", {dirs, g * 4, 4}, std::vector<float>(static_cast<size_t>(dirs * g * 16), 0.1f));
  auto& n = b.node(op, {"x", "w", "r"}, {"y", "y_h"}, "rnn");
  set_attr(n, "hidden_size", int64_t{4});
  if (dirs == 2) set_attr(n, "direction", std::string("bidirectional"));
  b.output("y");
  b.output("y_h");
  return b;
}

TEST_F(Recurrent, DefaultsBecomeExplicitParams) {
  auto g = import(lstm(2));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "Lstm");
  EXPECT_EQ(n.params.get_string("activations"), "Sigmoid,Tanh,Tanh,Sigmoid,Tanh,Tanh");
  EXPECT_EQ(n.params.get_floats("activation_alpha").size(), 6u);
  EXPECT_EQ(n.outputs.size(), 3u);  // Y_c too, under a derived name
  EXPECT_EQ(g->tensor(n.outputs[0]).shape, (ir::Shape{5, 2, 2, 4}));
  EXPECT_EQ(g->tensor(n.outputs[1]).shape, (ir::Shape{2, 2, 4}));
}

TEST_F(Recurrent, AlphaAndBetaGoToTheActivationsThatTakeThem) {
  ModelBuilder b = lstm(1, "GRU");
  auto& n = *b.model.mutable_graph()->mutable_node(0);
  auto* acts = n.add_attribute();
  acts->set_name("activations");
  acts->set_type(::onnx::AttributeProto::STRINGS);
  acts->add_strings("Tanh");
  acts->add_strings("LeakyRelu");
  auto* alpha = n.add_attribute();
  alpha->set_name("activation_alpha");
  alpha->set_type(::onnx::AttributeProto::FLOATS);
  alpha->add_floats(0.3f);
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& gru = node_of(*g, "Gru");
  EXPECT_EQ(gru.params.get_string("activations"), "Tanh,LeakyRelu");
  auto a = gru.params.get_floats("activation_alpha");
  ASSERT_EQ(a.size(), 2u);
  EXPECT_FLOAT_EQ(static_cast<float>(a[1]), 0.3f);
}

TEST_F(Recurrent, MalformedAttributesAreBadInputNamingTheNode) {
  struct Case {
    const char* attr;
    std::variant<int64_t, float, std::string> value;
  };
  for (const Case& c : {Case{"hidden_size", int64_t{0}}, Case{"direction", std::string("sideways")},
                        Case{"layout", int64_t{2}}, Case{"clip", -1.0f}}) {
    ModelBuilder b = lstm(1);
    auto& n = *b.model.mutable_graph()->mutable_node(0);
    for (int i = 0; i < n.attribute_size(); ++i)
      if (n.attribute(i).name() == c.attr) n.mutable_attribute()->DeleteSubrange(i, 1);
    std::visit([&](auto v) { set_attr(n, c.attr, v); }, c.value);
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << c.attr;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("'rnn'"), std::string::npos) << g.error().message;
  }
}

TEST_F(Recurrent, WeightsThatDoNotFitAreBadInput) {
  ModelBuilder b(14);
  b.input("x", {5, 2, 3});
  b.init_f32("w", {1, 16, 2}, std::vector<float>(32, 0.1f));  // input size 2, X has 3
  b.init_f32("r", {1, 16, 4}, std::vector<float>(64, 0.1f));
  set_attr(b.node("LSTM", {"x", "w", "r"}, {"y"}, "rnn"), "hidden_size", int64_t{4});
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
  EXPECT_NE(g.error().message.find("W must be [1,16,3]"), std::string::npos) << g.error().message;
}

TEST_F(Recurrent, UnknownActivationIsUnsupported) {
  ModelBuilder b = lstm(1, "RNN");
  auto& n = *b.model.mutable_graph()->mutable_node(0);
  auto* acts = n.add_attribute();
  acts->set_name("activations");
  acts->set_type(::onnx::AttributeProto::STRINGS);
  acts->add_strings("Swish");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(g.error().message.find("Swish"), std::string::npos);
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
