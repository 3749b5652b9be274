// Shape rules and parameter domains of Resize and TransposeConv2d.
#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/verifier.h"

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

void expect_refused(Graph g, const std::string& what) {
  Status s = infer_shapes(g);
  ASSERT_FALSE(s.is_ok()) << what;
  EXPECT_NE(s.error().message.find("'n'"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(what), std::string::npos) << s.error().message;
}

Params resize_params(std::vector<int64_t> size) {
  Params p;
  p.set("output_size", std::move(size));
  return p;
}

TEST(Resize, OutputTakesTheSpatialSizeAndKeepsBatchAndChannels) {
  Params p = resize_params({7, 9});
  p.set("interpolation_mode", int64_t{1});
  p.set("scale", std::vector<double>{1.75, 2.25});
  Graph g = one_node("Resize", {2, 4, 4, 3}, p);
  ASSERT_TRUE(infer_shapes(g).is_ok());
  EXPECT_EQ(g.tensor(g.nodes[0].outputs[0]).shape, (Shape{2, 7, 9, 3}));
  Graph g1 = one_node("Resize", {1, 10, 5}, resize_params({20}));  // 1-D
  ASSERT_TRUE(infer_shapes(g1).is_ok());
  EXPECT_EQ(g1.tensor(g1.nodes[0].outputs[0]).shape, (Shape{1, 20, 5}));
}

TEST(Resize, BadParamsAreRefused) {
  expect_refused(one_node("Resize", {1, 4, 4, 3}, resize_params({8})), "output_size");
  expect_refused(one_node("Resize", {1, 4, 4, 3}, resize_params({8, 0})), "output_size");
  expect_refused(one_node("Resize", {4, 3}, resize_params({8})), "input");
  struct Case {
    const char* param;
    int64_t value;
  };
  for (Case c : {Case{"interpolation_mode", 3}, Case{"transformation_mode", 6},
                 Case{"nearest_mode", -1}, Case{"exclude_outside", 2}}) {
    Params p = resize_params({8, 8});
    p.set(c.param, c.value);
    expect_refused(one_node("Resize", {1, 4, 4, 3}, p), c.param);
  }
  Params scale = resize_params({8, 8});
  scale.set("scale", std::vector<double>{2.0, -1.0});
  expect_refused(one_node("Resize", {1, 4, 4, 3}, scale), "scale");
  Params crop = resize_params({8, 8});
  crop.set("transformation_mode", int64_t{4});
  expect_refused(one_node("Resize", {1, 4, 4, 3}, crop), "roi");
  Params aa = resize_params({2, 2});
  aa.set("antialias", int64_t{1});
  expect_refused(one_node("Resize", {1, 4, 4, 3}, aa), "antialias");
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

}  // namespace
}  // namespace oqnn::ir
