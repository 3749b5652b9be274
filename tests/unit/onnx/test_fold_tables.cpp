// Folders of constant Expand, Range and Trilu (torch's zero states, position ids and causal
// masks): malformed operands are exit-1 errors naming the node. Their values are checked
// against onnxruntime end to end (tests/e2e zoo: LSTM, Swin, GPT-2).
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

}  // namespace
}  // namespace oqnn::onnx_import::test_util
