// Resize / Upsample, ConvTranspose and the 1-D windows (Conv, pools as H = 1 images):
// parameter mapping and attribute errors (bad input naming the node, or unsupported).
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Resample = ImporterTest;

ModelBuilder resize_model(int64_t opset, const std::vector<int64_t>& sizes) {
  ModelBuilder b(opset);
  b.input("x", {1, 3, 4, 6});
  b.init_i64("sizes", {static_cast<int64_t>(sizes.size())}, sizes);
  b.node("Resize", {"x", "", "", "sizes"}, {"y"}, "rs");
  b.output("y");
  return b;
}

void expect_error(const Expected<ir::Graph>& g, ErrorCode code, const std::string& node,
                  const std::string& what) {
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, code) << g.error().message;
  EXPECT_NE(g.error().message.find("node '" + node + "'"), std::string::npos) << g.error().message;
  EXPECT_NE(g.error().message.find(what), std::string::npos) << g.error().message;
}

TEST_F(Resample, ResizeRunsChannelLastWithQnnModes) {
  ModelBuilder b = resize_model(13, {1, 3, 8, 9});
  auto& n = *b.model.mutable_graph()->mutable_node(0);
  set_attr(n, "mode", std::string("linear"));
  set_attr(n, "coordinate_transformation_mode", std::string("align_corners"));
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "Resize", "Transpose"}));
  const ir::Node& r = node_of(*g, "Resize");
  EXPECT_EQ(r.params.get_ints("output_size"), (std::vector<int64_t>{8, 9}));
  EXPECT_EQ(r.params.get_floats("scale"), (std::vector<double>{2.0, 1.5}));
  EXPECT_EQ(r.params.get_int("interpolation_mode"), 1);
  EXPECT_EQ(r.params.get_int("transformation_mode"), 2);
  EXPECT_EQ(g->tensor(r.outputs[0]).shape, (ir::Shape{1, 8, 9, 3}));
}

TEST_F(Resample, ResizeAxesAndKeepAspectRatio) {
  ModelBuilder b = resize_model(18, {8, 8});  // H, W on axes 2, 3; not_larger keeps 8/6
  auto& n = *b.model.mutable_graph()->mutable_node(0);
  set_attr(n, "axes", std::vector<int64_t>{2, -1});
  set_attr(n, "keep_aspect_ratio_policy", std::string("not_larger"));
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(node_of(*g, "Resize").params.get_ints("output_size"), (std::vector<int64_t>{5, 8}));
}

TEST_F(Resample, UpsampleIsAsymmetricNearestWithSimpleRounding) {
  ModelBuilder b(9);
  b.input("x", {1, 2, 3, 3});
  b.init_f32("scales", {4}, {1, 1, 2, 3});
  b.node("Upsample", {"x", "scales"}, {"y"}, "up");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& r = node_of(*g, "Resize");
  EXPECT_EQ(r.params.get_ints("output_size"), (std::vector<int64_t>{6, 9}));
  EXPECT_EQ(r.params.get_int("transformation_mode"), 3);
  EXPECT_EQ(r.params.get_int("nearest_mode"), 4);
}

TEST_F(Resample, ResizeAttributeErrors) {
  {
    ModelBuilder b = resize_model(13, {1, 3, 8, 8});
    set_attr(*b.model.mutable_graph()->mutable_node(0), "mode", std::string("bicubic"));
    expect_error(import(b), ErrorCode::kBadInput, "rs", "mode");
  }
  {
    ModelBuilder b = resize_model(13, {1, 3, 8, 8});
    set_attr(*b.model.mutable_graph()->mutable_node(0), "coordinate_transformation_mode",
             std::string("corners"));
    expect_error(import(b), ErrorCode::kBadInput, "rs", "coordinate_transformation_mode");
  }
  expect_error(import(resize_model(13, {8, 8})), ErrorCode::kBadInput, "rs", "sizes");
  expect_error(import(resize_model(13, {1, 6, 8, 8})), ErrorCode::kUnsupported, "rs", "channel");
  {
    ModelBuilder b(13);
    b.input("x", {1, 3, 4, 4});
    b.input("s", {4});
    b.node("Resize", {"x", "", "s"}, {"y"}, "rs");
    b.output("y");
    expect_error(import(b), ErrorCode::kUnsupported, "rs", "scales");
  }
}

ModelBuilder tconv_model(const std::vector<int64_t>& x, const std::vector<int64_t>& w) {
  ModelBuilder b;
  b.input("x", std::vector<Dim>(x.begin(), x.end()));
  int64_t count = 1;
  for (int64_t d : w) count *= d;
  b.init_f32("w", w, iota_values(static_cast<size_t>(count)));
  b.node("ConvTranspose", {"x", "w"}, {"y"}, "ct");
  b.output("y");
  return b;
}

TEST_F(Resample, ConvTransposeWeightsAndOutputShape) {
  ModelBuilder b = tconv_model({1, 2, 3, 3}, {2, 3, 2, 2});
  auto& n = *b.model.mutable_graph()->mutable_node(0);
  set_attr(n, "strides", std::vector<int64_t>{2, 2});
  set_attr(n, "output_shape", std::vector<int64_t>{7, 5});  // natural 6x6: one more row, one less
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& t = node_of(*g, "TransposeConv2d");
  EXPECT_EQ(t.params.get_ints("pad_amount"), (std::vector<int64_t>{0, 0, 0, 1}));
  EXPECT_EQ(t.params.get_ints("output_padding"), (std::vector<int64_t>{1, 0}));
  EXPECT_EQ(g->tensor(t.outputs[0]).shape, (ir::Shape{1, 7, 5, 3}));
  ASSERT_EQ(g->tensor(t.inputs[1]).shape, (ir::Shape{2, 2, 2, 3}));
  // [cin, cout, kh, kw] → [kh, kw, cin, cout]: element (h=0, w=1, i=1, o=2) = w[1][2][0][1].
  EXPECT_EQ(static_floats(*g, t.inputs[1])[((0 * 2 + 1) * 2 + 1) * 3 + 2],
            static_cast<float>(((1 * 3 + 2) * 2 + 0) * 2 + 1));
}

TEST_F(Resample, ConvTransposeErrors) {
  {
    ModelBuilder b = tconv_model({1, 4, 3, 3}, {4, 1, 2, 2});
    set_attr(*b.model.mutable_graph()->mutable_node(0), "group", int64_t{3});
    expect_error(import(b), ErrorCode::kBadInput, "ct", "group");
  }
  {
    ModelBuilder b = tconv_model({1, 2, 3, 3}, {2, 1, 2, 2});
    set_attr(*b.model.mutable_graph()->mutable_node(0), "strides", std::vector<int64_t>{2, 2, 2});
    expect_error(import(b), ErrorCode::kUnsupported, "ct", "3-D");
  }
  {
    ModelBuilder b = tconv_model({1, 2, 3, 3}, {2, 1, 2, 2});
    set_attr(*b.model.mutable_graph()->mutable_node(0), "output_padding",
             std::vector<int64_t>{1, 1, 1});
    expect_error(import(b), ErrorCode::kBadInput, "ct", "output_padding");
  }
  expect_error(import(tconv_model({1, 2, 3, 3, 3}, {2, 1, 2, 2, 2})), ErrorCode::kUnsupported, "ct",
               "2-D");
}

TEST_F(Resample, OneDimensionalWindowsRunAsRowImages) {
  ModelBuilder b;
  b.input("x", {1, 2, 8});
  b.init_f32("w", {3, 2, 3}, iota_values(18));
  auto& c = b.node("Conv", {"x", "w"}, {"c"}, "conv1d");
  set_attr(c, "pads", std::vector<int64_t>{1, 1});
  set_attr(c, "strides", std::vector<int64_t>{2});
  auto& p = b.node("MaxPool", {"c"}, {"y"}, "pool1d");
  set_attr(p, "kernel_shape", std::vector<int64_t>{2});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& conv = node_of(*g, "Conv2d");
  EXPECT_EQ(conv.params.get_ints("pad_amount"), (std::vector<int64_t>{0, 0, 1, 1}));
  EXPECT_EQ(conv.params.get_ints("stride"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(g->tensor(conv.inputs[1]).shape, (ir::Shape{1, 3, 2, 3}));
  EXPECT_EQ(g->tensor(conv.outputs[0]).shape, (ir::Shape{1, 1, 4, 3}));
  EXPECT_EQ(node_of(*g, "PoolMax2d").params.get_ints("filter_size"), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 3, 3}));
}

TEST_F(Resample, ThreeDimensionalConvIsUnsupported) {
  ModelBuilder b;
  b.input("x", {1, 2, 4, 4, 4});
  b.init_f32("w", {3, 2, 1, 1, 1}, iota_values(6));
  b.node("Conv", {"x", "w"}, {"y"}, "conv3d");
  b.output("y");
  expect_error(import(b), ErrorCode::kUnsupported, "conv3d", "3-D");
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
