// Shape rules and parameter domains of Conv3d and TransposeConv3d (NDHWC), and that the
// rank-generic rules still give the 2-D ops their shapes.
#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/verifier.h"

namespace oqnn::ir {
namespace {

Graph one_node(const std::string& op, Shape x, Params p, Shape w, Shape bias = {}) {
  Graph g;
  std::vector<TensorId> inputs{
      g.add_tensor({"x", DataType::kFloat32, x, TensorKind::kInput, {}, {}})};
  for (const auto& [name, shape] : {std::pair{"w", w}, std::pair{"b", bias}}) {
    if (shape.empty()) continue;
    std::vector<float> v(static_cast<size_t>(num_elements(shape)), 1.0f);
    inputs.push_back(g.add_static(name, DataType::kFloat32, shape,
                                  make_owned_blob(v.data(), v.size() * sizeof(float))));
  }
  TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
  g.nodes.push_back(Node{"n", op, inputs, {y}, std::move(p)});
  return g;
}

Shape inferred(Graph g) {
  Status s = infer_shapes(g);
  EXPECT_TRUE(s.is_ok()) << s.error().message;
  return s.is_ok() ? g.tensor(g.nodes[0].outputs[0]).shape : Shape{};
}

void expect_refused(Graph g, const std::string& what) {
  Status s = infer_shapes(g);
  ASSERT_FALSE(s.is_ok()) << what;
  EXPECT_NE(s.error().message.find("'n'"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
}

// group 0: no group param (DepthWiseConv2d has none).
Params window(std::vector<int64_t> stride, std::vector<int64_t> dil, std::vector<int64_t> pad,
              int64_t group = 1) {
  Params p;
  p.set("stride", std::move(stride));
  p.set("dilation", std::move(dil));
  p.set("pad_amount", std::move(pad));
  if (group != 0) p.set("group", group);
  return p;
}

TEST(Conv3d, OutputFollowsStrideDilationAndPads) {
  // D: (5 + 1 + 0 - 3) / 1 + 1 = 4; H: (6 + 1 + 1 - 2*(3-1)-1) / 2 + 1 = 2;
  // W: (7 + 0 + 2 - 2) / 3 + 1 = 3; cout 8.
  EXPECT_EQ(
      inferred(one_node("Conv3d", {2, 5, 6, 7, 4}, window({1, 2, 3}, {1, 2, 1}, {1, 0, 1, 1, 0, 2}),
                        {3, 3, 2, 4, 8}, {8})),
      (Shape{2, 4, 2, 3, 8}));
}

TEST(Conv3d, GroupsIncludingDepthwise) {
  // group 2: weight cin/group = 3; depthwise: group = cin = 6, cin/group = 1, multiplier 2.
  EXPECT_EQ(
      inferred(one_node("Conv3d", {1, 3, 3, 3, 6},
                        window({1, 1, 1}, {1, 1, 1}, {0, 0, 0, 0, 0, 0}, 2), {1, 1, 1, 3, 4})),
      (Shape{1, 3, 3, 3, 4}));
  EXPECT_EQ(
      inferred(one_node("Conv3d", {1, 3, 3, 3, 6},
                        window({1, 1, 1}, {1, 1, 1}, {1, 1, 1, 1, 1, 1}, 6), {3, 3, 3, 1, 12})),
      (Shape{1, 3, 3, 3, 12}));
}

TEST(Conv3d, BadParamsAndShapesAreRefused) {
  const Shape x{1, 4, 4, 4, 2}, w{2, 2, 2, 2, 3};
  const std::vector<int64_t> one{1, 1, 1}, nopad{0, 0, 0, 0, 0, 0};
  expect_refused(one_node("Conv3d", {1, 4, 4, 2}, window(one, one, nopad), w), "rank 5 (NDHWC)");
  expect_refused(one_node("Conv3d", x, window(one, one, nopad), {2, 2, 2, 3}), "rank 5 (DHWIO)");
  expect_refused(one_node("Conv3d", x, window({1, 1}, one, nopad), w), "3 values");
  expect_refused(one_node("Conv3d", x, window(one, one, {0, 0, 0, 0}), w), "pad_amount 6");
  expect_refused(one_node("Conv3d", x, window({1, 0, 1}, one, nopad), w), "stride");
  expect_refused(one_node("Conv3d", x, window(one, {1, 1, -1}, nopad), w), "dilation");
  expect_refused(one_node("Conv3d", x, window(one, one, {0, 0, -1, 0, 0, 0}), w), "pad_amount");
  expect_refused(one_node("Conv3d", x, window(one, one, nopad, 3), w), "group 3");
  expect_refused(one_node("Conv3d", x, window(one, one, nopad), {2, 2, 2, 3, 3}), "do not fit");
  expect_refused(one_node("Conv3d", x, window(one, one, nopad), w, {4}), "bias must have 3");
  expect_refused(one_node("Conv3d", x, window(one, {4, 1, 1}, nopad), w), "larger than padded");
}

TEST(Conv2d, RankGenericRuleKeepsTheTwoDShapes) {
  Params p = window({2, 1}, {1, 2}, {1, 1, 2, 2});
  EXPECT_EQ(inferred(one_node("Conv2d", {1, 7, 7, 3}, p, {3, 3, 3, 5})), (Shape{1, 4, 7, 5}));
  expect_refused(
      one_node("Conv2d", {1, 7, 7, 3}, window({1, 1, 1}, {1, 1}, {0, 0, 0, 0}), {3, 3, 3, 5}),
      "2 values");
  expect_refused(one_node("DepthWiseConv2d", {1, 7, 7, 3}, window({1, 1}, {1, 1}, {0, 0, 0, 0}, 0),
                          {3, 3, 2, 6}),
                 "depthwise");
}

Params tconv(std::vector<int64_t> stride, std::vector<int64_t> pad, std::vector<int64_t> opad,
             int64_t group = 1) {
  Params p = window(std::move(stride), {1, 1, 1}, std::move(pad), group);
  p.set("output_padding", std::move(opad));
  return p;
}

TEST(TransposeConv3d, OutputFollowsStridePadsAndOutputPadding) {
  // D: 2*(3-1) + 1 + 3 - 1 - 0 = 7; H: 1*(4-1) + 0 + 2 - 0 - 1 = 4;
  // W: 3*(2-1) + 2 + 1 - 0 - 0 = 6; cout = 2 * group 2.
  EXPECT_EQ(
      inferred(one_node("TransposeConv3d", {1, 3, 4, 2, 6},
                        tconv({2, 1, 3}, {1, 0, 0, 1, 0, 0}, {1, 0, 2}, 2), {3, 2, 1, 6, 2}, {4})),
      (Shape{1, 7, 4, 6, 4}));
}

TEST(TransposeConv3d, BadParamsAndShapesAreRefused) {
  const Shape x{1, 3, 3, 3, 4}, w{2, 2, 2, 4, 2};
  const std::vector<int64_t> one{1, 1, 1}, zero{0, 0, 0}, nopad{0, 0, 0, 0, 0, 0};
  expect_refused(one_node("TransposeConv3d", {1, 3, 3, 4}, tconv(one, nopad, zero), w), "rank 5");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, nopad, zero), {2, 2, 4, 2}), "weight");
  expect_refused(one_node("TransposeConv3d", x, tconv({1, 1}, nopad, zero), w), "3 values");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, nopad, {0, 0}), w), "3 values");
  expect_refused(one_node("TransposeConv3d", x, tconv({0, 1, 1}, nopad, zero), w), "stride");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, {0, 0, 0, -2, 0, 0}, zero), w),
                 "pad_amount");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, nopad, {0, -1, 0}), w),
                 "output_padding");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, nopad, zero, 3), w), "group 3");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, nopad, zero, 2), w, {3}),
                 "bias must have 4");
  expect_refused(one_node("TransposeConv3d", x, tconv(one, {2, 2, 0, 0, 0, 0}, zero), w),
                 "no output");
}

TEST(WeightChannelAxis, TheWeightedOpsAndNoOthers) {
  EXPECT_EQ(weight_channel_axis("Conv2d"), 3);
  EXPECT_EQ(weight_channel_axis("DepthWiseConv2d"), 3);
  EXPECT_EQ(weight_channel_axis("Conv3d"), 4);
  EXPECT_EQ(weight_channel_axis("FullyConnected"), 0);
  EXPECT_EQ(weight_channel_axis("TransposeConv3d"), -1);
  EXPECT_EQ(weight_channel_axis("MatMul"), -1);
}

}  // namespace
}  // namespace oqnn::ir
