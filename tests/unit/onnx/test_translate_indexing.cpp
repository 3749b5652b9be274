// Indexing translators on run-time inputs: what each ONNX op becomes, and malformed
// attributes as exit-1 errors naming the node (numbers: the conformance node tests).
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Indexing = ImporterTest;

void expect_bad_input(const Expected<ir::Graph>& g, const std::string& node,
                      const std::string& what) {
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
  EXPECT_NE(g.error().message.find("node '" + node + "'"), std::string::npos) << g.error().message;
  EXPECT_NE(g.error().message.find(what), std::string::npos) << g.error().message;
}

TEST_F(Indexing, GatherOnRunTimeDataIsTranslatedAndOnConstantsFolded) {
  ModelBuilder b;
  b.input("x", {4, 3});
  b.init_i64("idx", {2}, {-1, 0});
  b.init_f32("w", {4, 3}, iota_values(12));
  set_attr(b.node("Gather", {"x", "idx"}, {"y"}, "gather"), "axis", int64_t{0});
  b.node("Gather", {"w", "idx"}, {"c"}, "folded");
  b.node("Add", {"y", "c"}, {"z"}, "add");
  b.output("z");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Gather", "ElementWiseAdd"}));
  const ir::Node& n = node_of(*g, "Gather");
  EXPECT_EQ(g->tensor(n.inputs[1]).dtype, ir::DataType::kInt32);  // int64 indices narrowed
  EXPECT_EQ(g->tensor(n.outputs[0]).shape, (ir::Shape{2, 3}));
}

TEST_F(Indexing, ExpandIsReshapeAndTile) {
  ModelBuilder b;
  b.input("x", {3, 1});
  b.init_i64("shape", {3}, {2, 1, 4});
  b.node("Expand", {"x", "shape"}, {"y"}, "expand");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Reshape", "Tile"}));
  EXPECT_EQ(node_of(*g, "Tile").params.get_ints("multiples"), (std::vector<int64_t>{2, 1, 4}));
}

TEST_F(Indexing, SliceWithNegativeStepUsesEndMask) {
  ModelBuilder b;
  b.input("x", {5, 4});
  b.init_i64("starts", {1}, {-1});
  b.init_i64("ends", {1}, {INT64_MIN});
  b.init_i64("axes", {1}, {0});
  b.init_i64("steps", {1}, {-2});
  b.node("Slice", {"x", "starts", "ends", "axes", "steps"}, {"y"}, "slice");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "StridedSlice");
  EXPECT_EQ(n.params.get_ints("ranges"), (std::vector<int64_t>{4, 0, -2, 0, 4, 1}));
  EXPECT_EQ(n.params.get_int("end_mask"), 1);
  EXPECT_EQ(g->tensor(n.outputs[0]).shape, (ir::Shape{3, 4}));
}

TEST_F(Indexing, TopKOnAnInnerAxisIsTransposedToTheLast) {
  ModelBuilder b;
  b.input("x", {3, 4, 2});
  b.init_i64("k", {1}, {2});
  set_attr(b.node("TopK", {"x", "k"}, {"v", "i"}, "topk"), "axis", int64_t{1});
  b.output("v");
  b.output("i");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "TopK", "Transpose", "Transpose"}));
  const ir::Node& n = node_of(*g, "TopK");
  EXPECT_EQ(g->tensor(n.outputs[1]).dtype, ir::DataType::kInt32);
}

TEST_F(Indexing, SplitHasOneOutputPerPart) {
  ModelBuilder b(18);
  b.input("x", {7, 2});
  set_attr(b.node("Split", {"x"}, {"a", "b", "c"}, "split"), "num_outputs", int64_t{3});
  for (const char* o : {"a", "b", "c"}) b.output(o);
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "Split");
  EXPECT_EQ(n.params.get_ints("split_index"), (std::vector<int64_t>{3, 6}));
  ASSERT_EQ(n.outputs.size(), 3u);
  EXPECT_EQ(g->tensor(n.outputs[2]).shape, (ir::Shape{1, 2}));
}

TEST_F(Indexing, DepthToSpaceRunsChannelLast) {
  ModelBuilder b;
  b.input("x", {1, 8, 2, 3});
  auto& n = b.node("DepthToSpace", {"x"}, {"y"}, "d2s");
  set_attr(n, "blocksize", int64_t{2});
  set_attr(n, "mode", std::string("CRD"));
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "DepthToSpace", "Transpose"}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2, 4, 6}));
}

TEST_F(Indexing, MalformedAttributesAreBadInputNamingTheNode) {
  {
    ModelBuilder b;
    b.input("x", {4, 3});
    b.init_i64("idx", {1}, {0});
    set_attr(b.node("Gather", {"x", "idx"}, {"y"}, "g"), "axis", int64_t{2});
    b.output("y");
    expect_bad_input(import(b), "g", "axis");
  }
  {
    ModelBuilder b;
    b.input("x", {1, 8, 2, 3});
    set_attr(b.node("DepthToSpace", {"x"}, {"y"}, "d2s"), "blocksize", int64_t{0});
    b.output("y");
    expect_bad_input(import(b), "d2s", "blocksize");
  }
  {
    ModelBuilder b(16);
    b.input("x", {4});
    b.init_i64("idx", {1, 1}, {0});
    b.init_f32("u", {1}, {1.0f});
    set_attr(b.node("ScatterND", {"x", "idx", "u"}, {"y"}, "sc"), "reduction", std::string("mean"));
    b.output("y");
    expect_bad_input(import(b), "sc", "reduction");
  }
  {
    ModelBuilder b;
    b.input("x", {4, 3});
    b.init_i64("split", {2}, {1, 1});
    b.node("Split", {"x", "split"}, {"a", "b"}, "sp");
    b.output("a");
    expect_bad_input(import(b), "sp", "split sizes");
  }
  {
    ModelBuilder b;
    b.input("x", {4, 3});
    b.init_i64("steps", {1}, {0});
    b.init_i64("s", {1}, {0});
    b.init_i64("e", {1}, {2});
    b.init_i64("a", {1}, {0});
    b.node("Slice", {"x", "s", "e", "a", "steps"}, {"y"}, "sl");
    b.output("y");
    expect_bad_input(import(b), "sl", "step");
  }
}

TEST_F(Indexing, SliceBoundsComputedAtRunTimeAreUnsupported) {
  ModelBuilder b;
  b.input("x", {4, 3});
  b.input("s", {1}, ::onnx::TensorProto::INT64);
  b.init_i64("e", {1}, {2});
  b.node("Slice", {"x", "s", "e"}, {"y"}, "sl");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(g.error().message.find("starts"), std::string::npos) << g.error().message;
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
