// Shape rules and parameter domains of TransposeConv2d, the 3-D pools and RoiAlign.
#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/verifier.h"
#include "shape_rule_test_util.h"

namespace oqnn::ir {
namespace {

// One node `op` on input x (and a static weight of shape `w` when given), output inferred.
Graph one_node(const std::string& op, Shape x, Params p, Shape w = {}) {
  Graph g;
  TensorId xt = g.add_tensor({"x", DataType::kFloat32, x, TensorKind::kInput, {}, {}});
  std::vector<TensorId> inputs{xt};
  if (!w.empty()) {
    std::vector<float> v(static_cast<size_t>(num_elements(w)), 1.0f);
    inputs.push_back(g.add_static("w", DataType::kFloat32, w,
                                  make_owned_blob(v.data(), v.size() * sizeof(float))));
  }
  TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
  g.nodes.push_back(Node{"n", op, inputs, {y}, std::move(p)});
  return g;
}

Params tconv_params(std::vector<int64_t> stride, std::vector<int64_t> pad,
                    std::vector<int64_t> opad, int64_t group = 1) {
  Params p;
  p.set("stride", std::move(stride));
  p.set("pad_amount", std::move(pad));
  p.set("output_padding", std::move(opad));
  p.set("group", group);
  return p;
}

TEST(TransposeConv2d, OutputFollowsStridePadsAndOutputPadding) {
  // H: 2*(3-1) + 1 + 3 - 1 - 0 = 7; W: 3*(4-1) + 0 + 2 - 0 - 1 = 10; cout = 2 * group 2.
  Graph g = one_node("TransposeConv2d", {1, 3, 4, 6}, tconv_params({2, 3}, {1, 0, 0, 1}, {1, 0}, 2),
                     {3, 2, 6, 2});
  ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{1, 7, 10, 4}));
}

TEST(TransposeConv2d, BadParamsAndShapesAreRefused) {
  Shape x{1, 3, 3, 4}, w{3, 3, 4, 2};
  expect_refused(one_node("TransposeConv2d", x, tconv_params({0, 1}, {0, 0, 0, 0}, {0, 0}), w),
                 "stride");
  expect_refused(one_node("TransposeConv2d", x, tconv_params({1, 1}, {0, -1, 0, 0}, {0, 0}), w),
                 "pad_amount");
  expect_refused(one_node("TransposeConv2d", x, tconv_params({1, 1}, {0, 0}, {0, 0}), w),
                 "pad_amount");
  expect_refused(one_node("TransposeConv2d", x, tconv_params({1, 1}, {0, 0, 0, 0}, {0, 0}, 3), w),
                 "group");
  expect_refused(
      one_node("TransposeConv2d", x, tconv_params({1, 1}, {0, 0, 0, 0}, {0, 0}), {3, 3, 5, 2}),
      "weight");
  expect_refused(one_node("TransposeConv2d", x, tconv_params({1, 1}, {3, 3, 0, 0}, {0, 0}), w),
                 "no output");
}

Params pool3d_params(std::vector<int64_t> k, std::vector<int64_t> stride, std::vector<int64_t> dil,
                     std::vector<int64_t> pad, int64_t ceil = 0) {
  Params p;
  p.set("filter_size", std::move(k));
  p.set("stride", std::move(stride));
  p.set("dilation", std::move(dil));
  p.set("pad_amount", std::move(pad));
  p.set("rounding_mode", ceil);
  return p;
}

TEST(Pool3d, OutputFollowsDilationPadsStrideAndCeilMode) {
  // Window spans dil * (k - 1) + 1: D 3, H 5, W 3.
  // D: (5 + 1 - 3) / 1 + 1 = 4; H: (6 - 5) / 2 + 1 = 1; W: (7 + 2 - 3) / 2 + 1 = 4.
  Graph g = one_node("PoolMax3d", {2, 5, 6, 7, 3},
                     pool3d_params({2, 3, 3}, {1, 2, 2}, {2, 2, 1}, {1, 0, 0, 0, 1, 1}));
  ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{2, 4, 1, 4, 3}));
  // Ceil mode: W (7 - 2) / 2 rounds up: 4 windows, the last starting at 6, inside the input.
  Graph c = one_node("PoolAvg3d", {1, 1, 1, 7, 1},
                     pool3d_params({1, 1, 2}, {1, 1, 2}, {1, 1, 1}, {0, 0, 0, 0, 0, 0}, 1));
  ASSERT_TRUE(infer_shapes(c).is_ok()) << infer_shapes(c).error().message;
  EXPECT_EQ(c.tensor(c.nodes[0].outputs[0]).shape, (Shape{1, 1, 1, 4, 1}));
}

TEST(Pool3d, BadParamsAndShapesAreRefused) {
  Shape x{1, 4, 4, 4, 2};
  std::vector<int64_t> k{2, 2, 2}, one{1, 1, 1}, nopad(6, 0);
  expect_refused(one_node("PoolMax3d", {1, 4, 4, 2}, pool3d_params(k, one, one, nopad)), "rank 5");
  expect_refused(one_node("PoolMax3d", x, pool3d_params({2, 2}, one, one, nopad)), "3 values");
  expect_refused(one_node("PoolMax3d", x, pool3d_params(k, {1, 0, 1}, one, nopad)), "stride");
  expect_refused(one_node("PoolAvg3d", x, pool3d_params(k, one, {1, 1, 0}, nopad)), "dilation");
  expect_refused(one_node("PoolAvg3d", x, pool3d_params(k, one, one, {0, 2, 0, 0, 0, 0})),
                 "pad_amount");
  expect_refused(one_node("PoolAvg3d", x, pool3d_params({2, 5, 2}, one, one, nopad)),
                 "larger than padded input");
  expect_refused(one_node("PoolMax3d", x, pool3d_params(k, one, one, nopad, 2)), "rounding_mode");
}

// RoiAlign: in [N, H, W, C], rois [R, 4] float32, batch_indices [R] int32.
Graph roi_align(Shape rois, Shape idx, Params p, DataType idx_dtype = DataType::kInt32) {
  Graph g;
  TensorId x = g.add_tensor({"x", DataType::kFloat32, {2, 5, 6, 3}, TensorKind::kInput, {}, {}});
  TensorId r = g.add_tensor({"rois", DataType::kFloat32, rois, TensorKind::kInput, {}, {}});
  TensorId b = g.add_tensor({"idx", idx_dtype, idx, TensorKind::kInput, {}, {}});
  TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
  g.nodes.push_back(Node{"n", "RoiAlign", {x, r, b}, {y}, std::move(p)});
  return g;
}

Params roi_params(int64_t oh, int64_t ow, int64_t sampling = 0) {
  Params p;
  p.set("output_height", oh);
  p.set("output_width", ow);
  p.set("sampling_ratio", sampling);
  return p;
}

TEST(RoiAlign, OutputIsRoisByBinsByChannels) {
  Graph g = roi_align({7, 4}, {7}, roi_params(3, 4));
  ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{7, 3, 4, 3}));
}

// On the HTP the boxes are a quantized activation beside a quantized input; codes with an
// encoding are refused beside a float input, and plain integers anywhere.
TEST(RoiAlign, RoisAreFloatOrQuantizedLikeTheInput) {
  const Encoding e{8, false, false, -1, {0.05}, {0}};
  for (int c = 0; c < 3; ++c) {
    Graph g = roi_align({7, 4}, {7}, roi_params(3, 4));
    Tensor& rois = g.tensor(g.nodes[0].inputs[1]);
    rois.dtype = c == 2 ? DataType::kInt32 : DataType::kUInt8;
    if (c < 2) rois.encoding = e;
    if (c == 0) {
      Tensor& x = g.tensor(g.nodes[0].inputs[0]);
      x.dtype = DataType::kUInt8;
      x.encoding = e;
      ASSERT_TRUE(infer_shapes(g).is_ok()) << infer_shapes(g).error().message;
      EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{7, 3, 4, 3}));
    } else {
      expect_refused(std::move(g), "rois");
    }
  }
}

TEST(RoiAlign, BadParamsAndShapesAreRefused) {
  expect_refused(roi_align({7, 5}, {7}, roi_params(2, 2)), "rois");
  expect_refused(roi_align({7, 4}, {6}, roi_params(2, 2)), "batch_indices");
  expect_refused(roi_align({7, 4}, {7}, roi_params(2, 2), DataType::kFloat32), "int32");
  expect_refused(roi_align({7, 4}, {7}, roi_params(0, 2)), "output_height");
  expect_refused(roi_align({7, 4}, {7}, roi_params(2, 2, -1)), "sampling_ratio");
  Params p = roi_params(2, 2);
  p.set("mode", std::string("median"));
  expect_refused(roi_align({7, 4}, {7}, p), "mode");
  p = roi_params(2, 2);
  p.set("img_size_ratio", std::vector<double>{0.5});
  expect_refused(roi_align({7, 4}, {7}, p), "img_size_ratio");
  p = roi_params(2, 2);
  p.set("aligned", int64_t{2});
  expect_refused(roi_align({7, 4}, {7}, p), "aligned");
}

}  // namespace
}  // namespace oqnn::ir
