// Unsupported ops: the single error of an import, the full list of a dry run.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Unsupported = ImporterTest;

// x → MadeUpOp → MaxPool(storage_order=1) → Relu → Gelu(custom domain) → Unique → y
ModelBuilder several_unsupported() {
  ModelBuilder b(13);
  b.model.add_opset_import()->set_domain("com.example");
  b.model.mutable_opset_import(1)->set_version(1);
  b.input("x", {1, 2, 4, 4});
  b.node("MadeUpOp", {"x"}, {"e"}, "made_up0");
  auto& mp = b.node("MaxPool", {"e"}, {"m"}, "pool");
  set_attr(mp, "kernel_shape", std::vector<int64_t>{2, 2});
  set_attr(mp, "storage_order", int64_t{1});
  b.node("Relu", {"m"}, {"r"}, "relu");
  b.node("Gelu", {"r"}, {"g"}, "gelu").set_domain("com.example");
  b.node("Unique", {"g"}, {"y"});
  b.output("y");
  return b;
}

TEST_F(Unsupported, ImportStopsAtTheFirstWithNodeOpAndOpset) {
  auto g = import(several_unsupported());
  ASSERT_FALSE(g.has_value());
  const Error& e = g.error();
  EXPECT_EQ(e.code, ErrorCode::kUnsupported);
  EXPECT_EQ(e.message, "node 'made_up0' (MadeUpOp, opset 13): op is not supported");
  ASSERT_FALSE(e.hints.empty());
  EXPECT_NE(e.hints[0].find("qnn-onnx-converter"), std::string::npos);
  EXPECT_NE(e.hints[0].find("--dry_run"), std::string::npos);
}

TEST_F(Unsupported, DryRunListsEveryUnsupportedNode) {
  ImportOptions o;
  o.model_path = several_unsupported().write(dir_);
  auto list = find_unsupported(o);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 4u);
  EXPECT_EQ((*list)[0].node_name, "made_up0");
  EXPECT_EQ((*list)[0].op_type, "MadeUpOp");
  EXPECT_EQ((*list)[0].opset, 13);
  EXPECT_EQ((*list)[0].reason, "op is not supported");
  EXPECT_EQ((*list)[1].node_name, "pool");  // judged by its attributes alone
  EXPECT_NE((*list)[1].reason.find("storage_order"), std::string::npos);
  EXPECT_EQ((*list)[2].node_name, "gelu");
  EXPECT_EQ((*list)[2].opset, 1);
  EXPECT_NE((*list)[2].reason.find("com.example"), std::string::npos);
  EXPECT_EQ((*list)[3].node_name, "Unique_4");
}

TEST_F(Unsupported, DryRunOfASupportedModelIsEmptyEvenWithUnboundInputs) {
  ModelBuilder b;
  b.input("x", {"N", 3});
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.output("y");
  ImportOptions o;
  o.model_path = b.write(dir_);
  auto list = find_unsupported(o);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  EXPECT_TRUE(list->empty());
}

TEST_F(Unsupported, FoldOnlyOpOnRunTimeInputIsUnsupported) {
  ModelBuilder b;
  // ConstantOfShape of a run-time shape would give a data-dependent shape.
  b.input("s", {2}, ::onnx::TensorProto::INT64);
  b.node("ConstantOfShape", {"s"}, {"y"}, "fill");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(g.error().message.find("node 'fill' (ConstantOfShape, opset 13)"), std::string::npos);
  EXPECT_NE(g.error().message.find("constant"), std::string::npos) << g.error().message;
}

TEST_F(Unsupported, UsedExtraOutputsAreUnsupported) {
  ModelBuilder b;
  b.input("x", {1, 2, 4, 4});
  set_attr(b.node("MaxPool", {"x"}, {"y", "idx"}, "mp"), "kernel_shape",
           std::vector<int64_t>{2, 2});
  b.output("y");
  auto ok = import(b);  // the indices are not used: fine
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  b.output("idx");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(g.error().message.find("'idx'"), std::string::npos) << g.error().message;
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
