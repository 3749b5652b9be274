// Shape rules and parameter domains of NonMaxSuppression, NonZero (the static-output form)
// and RoiPooling.
#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/ops/detection.h"
#include "ir/verifier.h"
#include "shape_rule_test_util.h"

namespace oqnn::ir {
namespace {

// Node "n" of `op` over float32 inputs of `shapes`, with as many outputs as `outputs`.
Graph node_of(const std::string& op, std::vector<Shape> shapes, Params p, size_t outputs = 2,
              DataType dt = DataType::kFloat32) {
  Graph g;
  std::vector<TensorId> in, out;
  for (size_t i = 0; i < shapes.size(); ++i)
    in.push_back(
        g.add_tensor({"x" + std::to_string(i), dt, shapes[i], TensorKind::kInput, {}, {}}));
  for (size_t j = 0; j < outputs; ++j)
    out.push_back(
        g.add_tensor({"y" + std::to_string(j), DataType::kInt32, {}, TensorKind::kOutput, {}, {}}));
  g.nodes.push_back(Node{"n", op, in, out, std::move(p)});
  return g;
}

Params nms_params(double iou, int64_t max) {
  Params p;
  p.set("iou_threshold", iou);
  p.set("max_boxes_selected", max);
  return p;
}

TEST(NonMaxSuppression, RowsAreBatchesTimesClassesTimesTheCappedMaximum) {
  Graph g = node_of("NonMaxSuppression", {{2, 6, 4}, {2, 3, 6}}, nms_params(0.5, 4));
  ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{2 * 3 * 4, 3}));
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[1]).shape, (Shape{1}));
  Graph capped = node_of("NonMaxSuppression", {{1, 6, 4}, {1, 1, 6}}, nms_params(0.5, 100));
  ASSERT_TRUE(infer_shapes(capped).is_ok());
  EXPECT_EQ(capped.tensor(capped.nodes[0].outputs[0]).shape, (Shape{6, 3}));
  EXPECT_TRUE(has_valid_count("NonMaxSuppression") && has_valid_count("NonZero"));
  EXPECT_FALSE(has_valid_count("RoiPooling"));
}

TEST(NonMaxSuppression, BadParamsAndShapesAreRefused) {
  expect_refused(node_of("NonMaxSuppression", {{2, 6}, {2, 1, 6}}, nms_params(0.5, 1)), "boxes");
  expect_refused(node_of("NonMaxSuppression", {{2, 6, 5}, {2, 1, 6}}, nms_params(0.5, 1)), "boxes");
  expect_refused(node_of("NonMaxSuppression", {{2, 6, 4}, {2, 1, 5}}, nms_params(0.5, 1)),
                 "scores");
  expect_refused(node_of("NonMaxSuppression", {{2, 6, 4}, {1, 1, 6}}, nms_params(0.5, 1)),
                 "scores");
  expect_refused(node_of("NonMaxSuppression", {{1, 6, 4}, {1, 1, 6}}, nms_params(-0.1, 1)),
                 "iou_threshold");
  expect_refused(node_of("NonMaxSuppression", {{1, 6, 4}, {1, 1, 6}}, nms_params(1.5, 1)),
                 "iou_threshold");
  expect_refused(node_of("NonMaxSuppression", {{1, 6, 4}, {1, 1, 6}}, nms_params(0.5, 0)),
                 "max_boxes_selected");
  Params p = nms_params(0.5, 2);
  p.set("center_point_box", int64_t{2});
  expect_refused(node_of("NonMaxSuppression", {{1, 6, 4}, {1, 1, 6}}, p), "center_point_box");
  expect_refused(
      node_of("NonMaxSuppression", {{1, 6, 4}, {1, 1, 6}}, nms_params(0.5, 1), 2, DataType::kInt32),
      "float32");
}

TEST(NonZero, OutputIsElementsByRankAndACount) {
  Graph g = node_of("NonZero", {{2, 3, 4}}, {}, 2, DataType::kBool);
  ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{24, 3}));
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[1]).shape, (Shape{1}));
  expect_refused(node_of("NonZero", {{}}, {}), "at least one dim");
}

Params roi_params(int64_t oh, int64_t ow) {
  Params p;
  p.set("output_height", oh);
  p.set("output_width", ow);
  return p;
}

TEST(RoiPooling, OutputIsRoisByBinsByChannels) {
  Graph g = node_of("RoiPooling", {{2, 5, 6, 3}, {7, 5}}, roi_params(2, 4), 1);
  ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{7, 2, 4, 3}));
}

TEST(RoiPooling, BadParamsAndShapesAreRefused) {
  expect_refused(node_of("RoiPooling", {{2, 5, 6, 3}, {7, 4}}, roi_params(2, 2), 1), "rois");
  expect_refused(node_of("RoiPooling", {{2, 5, 6}, {7, 5}}, roi_params(2, 2), 1), "rank 4");
  expect_refused(node_of("RoiPooling", {{2, 5, 6, 3}, {7, 5}}, roi_params(0, 2), 1),
                 "output_height");
  expect_refused(node_of("RoiPooling", {{2, 5, 6, 3}, {7, 5}}, roi_params(2, -1), 1),
                 "output_width");
  Params p = roi_params(2, 2);
  p.set("img_size_ratio", std::vector<double>{-1.0, 1.0});
  expect_refused(node_of("RoiPooling", {{2, 5, 6, 3}, {7, 5}}, p, 1), "img_size_ratio");
}

}  // namespace
}  // namespace oqnn::ir
