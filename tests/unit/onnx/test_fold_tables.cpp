// Folders of constant Expand, Range, Trilu and Mod (torch's zero states, position ids, causal
// masks and Swin's window padding): malformed operands are exit-1 errors naming the node.
// Their values are checked against onnxruntime end to end (tests/e2e zoo: LSTM, Swin, GPT-2).
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

class FoldTables : public ImporterTest {
 protected:
  // x + op(constants) -> y, so that the folded constant reaches a run-time node.
  Expected<ir::Graph> import_with(ModelBuilder& b, const std::string& folded) {
    b.node("Add", {"x", folded}, {"y"}, "add");
    b.output("y");
    return import(b);
  }
};

TEST_F(FoldTables, MalformedOperandsNameTheNode) {
  {
    ModelBuilder b;
    b.input("x", {3});
    b.init_i64("start", {}, {0});
    b.init_i64("limit", {}, {3});
    b.init_i64("delta", {}, {0});
    b.node("Range", {"start", "limit", "delta"}, {"r"}, "range");
    auto g = import_with(b, "r");
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
    EXPECT_NE(g.error().message.find("'range'"), std::string::npos) << g.error().message;
  }
  {
    ModelBuilder b(14);
    b.input("x", {3});
    b.init_f32("v", {3}, {1, 2, 3});
    b.node("Trilu", {"v"}, {"t"}, "tril");
    auto g = import_with(b, "t");
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
    EXPECT_NE(g.error().message.find("'tril'"), std::string::npos) << g.error().message;
  }
  {
    ModelBuilder b;
    b.input("x", {2, 3});
    b.init_f32("v", {2}, {1, 2});
    b.init_i64("shape", {2}, {2, 3});
    b.node("Expand", {"v", "shape"}, {"e"}, "expand");
    auto g = import_with(b, "e");
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
    EXPECT_NE(g.error().message.find("'expand'"), std::string::npos) << g.error().message;
  }
}

TEST_F(FoldTables, ConstantsFoldAway) {
  ModelBuilder b(14);
  b.input("x", {4, 4});
  b.init_f32("one", {1}, {1.0f});
  b.init_i64("shape", {2}, {4, 4});
  b.node("Expand", {"one", "shape"}, {"ones"}, "expand");
  b.node("Trilu", {"ones"}, {"tri"}, "tril");
  auto g = import_with(b, "tri");
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), std::vector<std::string>{"ElementWiseAdd"});
}

TEST_F(FoldTables, ModOnConstantsFoldsAndRefusesAZeroDivisor) {
  for (int64_t fmod : {0, 1}) {
    ModelBuilder b;
    b.input("x", {2});
    b.init_i64("a", {2}, {-7, 7});
    b.init_i64("m", {1}, {4});
    auto& mod = b.node("Mod", {"a", "m"}, {"r"}, "mod");
    set_attr(mod, "fmod", fmod);
    b.node("Cast", {"r"}, {"rf"}, "cast");
    set_attr(*b.model.mutable_graph()->mutable_node()->Mutable(1), "to",
             static_cast<int64_t>(::onnx::TensorProto::FLOAT));
    auto g = import_with(b, "rf");
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(ops_of(*g), std::vector<std::string>{"ElementWiseAdd"});
  }
  ModelBuilder b;
  b.input("x", {2});
  b.init_i64("a", {2}, {-7, 7});
  b.init_i64("m", {1}, {0});
  b.node("Mod", {"a", "m"}, {"r"}, "mod");
  b.node("Cast", {"r"}, {"rf"}, "cast");
  set_attr(*b.model.mutable_graph()->mutable_node()->Mutable(1), "to",
           static_cast<int64_t>(::onnx::TensorProto::FLOAT));
  auto g = import_with(b, "rf");
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("'mod'"), std::string::npos) << g.error().message;
}

// torch exports F.dropout(x, p, training=True) with the mode as a constant; with p = 0 it
// drops nothing and is the identity (Swin's attention dropout), otherwise it is refused.
TEST_F(FoldTables, TrainingModeDropoutIsTheIdentityOnlyWithRatioZero) {
  for (float ratio : {0.0f, 0.5f}) {
    ModelBuilder b;
    b.input("x", {2});
    b.input("z", {2});
    b.init_f32("ratio", {}, {ratio});
    auto& mode = b.init_f32("mode", {}, {0.0f});
    mode.set_data_type(::onnx::TensorProto::BOOL);
    mode.set_raw_data(std::string(1, '\x01'));
    b.node("Dropout", {"z", "ratio", "mode"}, {"d"}, "drop");
    auto g = import_with(b, "d");
    if (ratio == 0.0f) {
      ASSERT_TRUE(g.has_value()) << g.error().message;
      EXPECT_EQ(ops_of(*g), std::vector<std::string>{"ElementWiseAdd"});
    } else {
      ASSERT_FALSE(g.has_value());
      EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
      EXPECT_NE(g.error().message.find("'drop'"), std::string::npos) << g.error().message;
    }
  }
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
