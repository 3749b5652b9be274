// NonMaxSuppression and NonZero in the static-output form (the count as a second graph
// output, the pairing as graph attributes, consumers that would see the padding refused),
// and MaxRoiPool → RoiPooling.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Detection = ImporterTest;

// boxes [1, 5, 4], scores [1, 2, 5]; max_output_boxes_per_class 3, iou 0.5, score 0.1.
ModelBuilder nms_model(bool runtime_max = false) {
  ModelBuilder b(11);
  b.input("boxes", {1, 5, 4});
  b.input("scores", {1, 2, 5});
  if (runtime_max)
    b.input("max", {1}, ::onnx::TensorProto::INT64);
  else
    b.init_i64("max", {1}, {3});
  b.init_f32("iou", {1}, {0.5f});
  b.init_f32("score", {1}, {0.1f});
  b.node("NonMaxSuppression", {"boxes", "scores", "max", "iou", "score"}, {"sel"}, "nms");
  return b;
}

void expect_error(Expected<ir::Graph> g, ErrorCode code, const std::string& node,
                  const std::string& what) {
  ASSERT_FALSE(g.has_value()) << what;
  EXPECT_EQ(g.error().code, code) << g.error().message;
  EXPECT_NE(g.error().message.find("'" + node + "'"), std::string::npos) << g.error().message;
  EXPECT_NE(g.error().message.find(what), std::string::npos) << g.error().message;
}

TEST_F(Detection, NmsHasAStaticMaximumAndItsCountAsASecondOutput) {
  ModelBuilder b = nms_model();
  b.output("sel");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "NonMaxSuppression");
  EXPECT_EQ(n.name, "nms");
  EXPECT_DOUBLE_EQ(n.params.get_float("iou_threshold"), 0.5);
  EXPECT_NEAR(n.params.get_float("score_threshold"), 0.1, 1e-7);
  EXPECT_EQ(n.params.get_int("max_boxes_selected"), 3);
  ASSERT_EQ(g->outputs.size(), 2u);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{6, 3}));
  EXPECT_EQ(g->tensor(g->outputs[1]).name, "sel_valid_num_selected_indices");
  EXPECT_EQ(g->attributes.at("valid_count.sel"), "sel_valid_num_selected_indices");
  EXPECT_EQ(g->attributes.at("valid_axis.sel"), "0");
}

TEST_F(Detection, NmsThresholdsComputedAtRunTimeAreUnsupported) {
  ModelBuilder b = nms_model(true);
  b.output("sel");
  expect_error(import(b), ErrorCode::kUnsupported, "nms", "max_output_boxes_per_class");
}

TEST_F(Detection, MalformedNmsIsBadInputNamingTheNode) {
  ModelBuilder iou = nms_model();
  iou.model.mutable_graph()->mutable_initializer(1)->set_raw_data(std::string("\0\0\xc0?", 4));
  iou.output("sel");
  expect_error(import(iou), ErrorCode::kBadInput, "nms", "iou_threshold");  // 1.5
  ModelBuilder cpb = nms_model();
  set_attr(*cpb.model.mutable_graph()->mutable_node(0), "center_point_box", int64_t{2});
  cpb.output("sel");
  expect_error(import(cpb), ErrorCode::kBadInput, "nms", "center_point_box");
  ModelBuilder rank(11);
  rank.input("boxes", {5, 4});
  rank.input("scores", {1, 1, 5});
  rank.init_i64("max", {1}, {3});
  rank.node("NonMaxSuppression", {"boxes", "scores", "max"}, {"sel"}, "nms");
  rank.output("sel");
  expect_error(import(rank), ErrorCode::kBadInput, "nms", "boxes");
}

TEST_F(Detection, ConsumersExactOnTheValidPrefixCarryThePadding) {
  // The box index column, gathered and cast: still padded along axis 0.
  ModelBuilder b = nms_model();
  b.init_i64("col", {}, {2});
  set_attr(b.node("Gather", {"sel", "col"}, {"box"}, "column"), "axis", int64_t{1});
  b.output("box");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(g->outputs.size(), 2u);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{6}));
  EXPECT_EQ(g->attributes.at("valid_count.box"), "sel_valid_num_selected_indices");
  EXPECT_EQ(g->attributes.at("valid_axis.box"), "0");
}

TEST_F(Detection, ConsumersThatWouldSeeThePaddingAreUnsupported) {
  ModelBuilder sum = nms_model();
  sum.node("ReduceSum", {"sel"}, {"total"}, "sum_all");
  sum.output("total");
  expect_error(import(sum), ErrorCode::kUnsupported, "sum_all", "'nms'");
  ModelBuilder shape = nms_model();
  shape.node("Shape", {"sel"}, {"s"}, "rows");
  shape.output("sel");
  shape.output("s");
  expect_error(import(shape), ErrorCode::kUnsupported, "rows", "shape");
}

TEST_F(Detection, DryRunListsTheConsumerThatWouldSeeThePadding) {
  ModelBuilder sum = nms_model();
  sum.node("ReduceSum", {"sel"}, {"total"}, "sum_all");
  sum.output("total");
  ImportOptions o;
  o.model_path = sum.write(dir_);
  auto list = find_unsupported(o);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].node_name, "sum_all");
  EXPECT_EQ((*list)[0].op_type, "ReduceSum");
  EXPECT_NE((*list)[0].reason.find("'nms'"), std::string::npos) << (*list)[0].reason;
  ModelBuilder fine = nms_model();
  fine.output("sel");
  o.model_path = fine.write(dir_, "fine.onnx");
  list = find_unsupported(o);
  ASSERT_TRUE(list.has_value());
  EXPECT_TRUE(list->empty());
}

TEST_F(Detection, NonZeroIsQnnLayoutTransposedWithItsCount) {
  ModelBuilder b(13);
  b.input("x", {2, 3}, ::onnx::TensorProto::BOOL);
  b.node("NonZero", {"x"}, {"idx"}, "nz");
  b.output("idx");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"NonZero", "Transpose"}));
  ASSERT_EQ(g->outputs.size(), 2u);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 6}));
  EXPECT_EQ(g->tensor(g->outputs[1]).name, "idx_valid_count");
  EXPECT_EQ(g->attributes.at("valid_axis.idx"), "1");
}

TEST_F(Detection, BroadcastAlongThePaddedAxisIsUnsupported) {
  ModelBuilder b(13);
  b.input("x", {1}, ::onnx::TensorProto::BOOL);
  b.node("NonZero", {"x"}, {"idx"}, "nz");  // [1, 1], padded along axis 1
  b.init_i64("three", {1, 3}, {0, 1, 2});
  b.node("Add", {"idx", "three"}, {"y"}, "stretch");  // [1, 3]: each row the padded one
  b.output("y");
  expect_error(import(b), ErrorCode::kUnsupported, "stretch", "'nz'");
}

ModelBuilder roi_pool_model(std::vector<int64_t> pooled, float scale) {
  ModelBuilder b(13);
  b.input("x", {2, 3, 8, 8});
  b.input("rois", {4, 5});
  auto& n = b.node("MaxRoiPool", {"x", "rois"}, {"y"}, "roi");
  set_attr(n, "pooled_shape", pooled);
  set_attr(n, "spatial_scale", scale);
  b.output("y");
  return b;
}

TEST_F(Detection, MaxRoiPoolIsChannelLastRoiPooling) {
  auto g = import(roi_pool_model({2, 3}, 0.25f));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "RoiPooling", "Transpose"}));
  const ir::Node& n = g->nodes[1];
  EXPECT_EQ(n.name, "roi");
  EXPECT_EQ(n.params.get_floats("img_size_ratio"), (std::vector<double>{0.25, 0.25}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{4, 3, 2, 3}));
}

TEST_F(Detection, MalformedMaxRoiPoolIsBadInputNamingTheNode) {
  expect_error(import(roi_pool_model({0, 3}, 1.0f)), ErrorCode::kBadInput, "roi", "pooled_shape");
  expect_error(import(roi_pool_model({2}, 1.0f)), ErrorCode::kBadInput, "roi", "pooled_shape");
  expect_error(import(roi_pool_model({2, 2}, -1.0f)), ErrorCode::kBadInput, "roi", "spatial_scale");
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
