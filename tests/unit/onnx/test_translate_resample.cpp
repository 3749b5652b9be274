// ConvTranspose and the 1-D windows (Conv, pools as H = 1 images):
// parameter mapping and attribute errors (bad input naming the node, or unsupported).
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Resample = ImporterTest;

void expect_error(const Expected<ir::Graph>& g, ErrorCode code, const std::string& node,
                  const std::string& what) {
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, code) << g.error().message;
  EXPECT_NE(g.error().message.find("node '" + node + "'"), std::string::npos) << g.error().message;
  EXPECT_NE(g.error().message.find(what), std::string::npos) << g.error().message;
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
  expect_error(import(tconv_model({1, 2, 3, 3, 3, 3}, {2, 1, 2, 2, 2, 2})), ErrorCode::kUnsupported,
               "ct", "3-D");
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

TEST_F(Resample, FourDimensionalConvIsUnsupported) {
  ModelBuilder b;
  b.input("x", {1, 2, 4, 4, 4, 4});
  b.init_f32("w", {3, 2, 1, 1, 1, 1}, iota_values(6));
  b.node("Conv", {"x", "w"}, {"y"}, "conv4d");
  b.output("y");
  expect_error(import(b), ErrorCode::kUnsupported, "conv4d", "4-D");
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
