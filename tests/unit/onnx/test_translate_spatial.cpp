// Spatial ops: Conv (HWIO / depthwise weights, pads, auto_pad, groups), pools and
// BatchNormalization, each wrapped in NCHW↔NHWC Transposes.
#include <cmath>

#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Spatial = ImporterTest;

ModelBuilder conv_model(int64_t cin, int64_t cout, int64_t group, int64_t k, int64_t hw = 6) {
  ModelBuilder b;
  b.input("x", {1, cin, hw, hw});
  b.init_f32("w", {cout, cin / group, k, k},
             iota_values(static_cast<size_t>(cout * (cin / group) * k * k)));
  auto& c = b.node("Conv", {"x", "w"}, {"y"}, "conv");
  set_attr(c, "group", group);
  b.output("y");
  return b;
}

TEST_F(Spatial, ConvBecomesTransposeConv2dTransposeWithHwioWeights) {
  ModelBuilder b = conv_model(2, 3, 1, 2);
  set_attr(*b.model.mutable_graph()->mutable_node(0), "pads", std::vector<int64_t>{1, 2, 3, 4});
  set_attr(*b.model.mutable_graph()->mutable_node(0), "strides", std::vector<int64_t>{2, 1});
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "Conv2d", "Transpose"}));
  EXPECT_EQ(g->nodes[0].params.get_ints("perm"), (std::vector<int64_t>{0, 2, 3, 1}));
  EXPECT_EQ(g->nodes[2].params.get_ints("perm"), (std::vector<int64_t>{0, 3, 1, 2}));
  const ir::Node& conv = g->nodes[1];
  EXPECT_EQ(conv.name, "conv");
  // ONNX pads [top, left, bottom, right] = [1,2,3,4] → pad_amount [top, bottom, left, right].
  EXPECT_EQ(conv.params.get_ints("pad_amount"), (std::vector<int64_t>{1, 3, 2, 4}));
  EXPECT_EQ(conv.params.get_ints("stride"), (std::vector<int64_t>{2, 1}));
  const ir::Tensor& w = g->tensor(conv.inputs[1]);
  EXPECT_EQ(w.name, "w");
  ASSERT_EQ(w.shape, (ir::Shape{2, 2, 2, 3}));
  std::vector<float> hwio = static_floats(*g, conv.inputs[1]);
  for (int o = 0; o < 3; ++o)
    for (int i = 0; i < 2; ++i)
      for (int h = 0; h < 2; ++h)
        for (int x = 0; x < 2; ++x)
          EXPECT_EQ(hwio[((h * 2 + x) * 2 + i) * 3 + o],
                    static_cast<float>(((o * 2 + i) * 2 + h) * 2 + x));
  // Graph I/O keep the ONNX layout: (6 + 1 + 3 - 2) / 2 + 1 = 5, (6 + 2 + 4 - 2) + 1 = 11.
  EXPECT_EQ(g->tensor(g->inputs[0]).shape, (ir::Shape{1, 2, 6, 6}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 3, 5, 11}));
  EXPECT_EQ(g->tensor(conv.outputs[0]).name, "y_nhwc");
}

TEST_F(Spatial, DepthwiseConvUsesKhKw1CoutWeights) {
  auto g = import(conv_model(4, 4, 4, 3));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& dw = node_of(*g, "DepthWiseConv2d");
  EXPECT_FALSE(dw.params.has("group"));
  ASSERT_EQ(g->tensor(dw.inputs[1]).shape, (ir::Shape{3, 3, 1, 4}));
  std::vector<float> w = static_floats(*g, dw.inputs[1]);
  EXPECT_EQ(w[(1 * 3 + 2) * 4 + 3], static_cast<float>(3 * 9 + 1 * 3 + 2));  // o=3, h=1, w=2
}

TEST_F(Spatial, GroupedConvKeepsGroup) {
  auto g = import(conv_model(4, 6, 2, 1));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& c = node_of(*g, "Conv2d");
  EXPECT_EQ(c.params.get_int("group"), 2);
  EXPECT_EQ(g->tensor(c.inputs[1]).shape, (ir::Shape{1, 1, 2, 6}));
}

TEST_F(Spatial, AutoPadSameSplitsTheOddPadByMode) {
  for (auto [mode, expect] : {std::pair{"SAME_UPPER", std::vector<int64_t>{0, 1, 0, 1}},
                              std::pair{"SAME_LOWER", std::vector<int64_t>{1, 0, 1, 0}},
                              std::pair{"VALID", std::vector<int64_t>{0, 0, 0, 0}}}) {
    ModelBuilder b = conv_model(1, 1, 1, 2, 5);
    set_attr(*b.model.mutable_graph()->mutable_node(0), "auto_pad", std::string(mode));
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(node_of(*g, "Conv2d").params.get_ints("pad_amount"), expect) << mode;
  }
}

TEST_F(Spatial, ConvWithRunTimeWeightIsUnsupported) {
  ModelBuilder b;
  b.input("x", {1, 2, 4, 4});
  b.input("w", {3, 2, 1, 1});
  b.node("Conv", {"x", "w"}, {"y"}, "c");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(g.error().message.find("weight 'w'"), std::string::npos) << g.error().message;
}

TEST_F(Spatial, PoolsMapCeilModeCountIncludePadAndGlobalWindows) {
  ModelBuilder b;
  b.input("x", {1, 2, 7, 7});
  auto& mp = b.node("MaxPool", {"x"}, {"m"}, "mp");
  set_attr(mp, "kernel_shape", std::vector<int64_t>{3, 3});
  set_attr(mp, "strides", std::vector<int64_t>{2, 2});
  set_attr(mp, "ceil_mode", int64_t{1});
  auto& ap = b.node("AveragePool", {"m"}, {"a"}, "ap");
  set_attr(ap, "kernel_shape", std::vector<int64_t>{2, 2});
  set_attr(ap, "pads", std::vector<int64_t>{1, 1, 0, 0});
  set_attr(ap, "count_include_pad", int64_t{1});
  b.node("GlobalMaxPool", {"a"}, {"y"}, "gp");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& m = node_of(*g, "PoolMax2d");
  EXPECT_EQ(m.params.get_int("rounding_mode"), 1);
  EXPECT_EQ(g->tensor(m.outputs[0]).shape, (ir::Shape{1, 3, 3, 2}));
  const ir::Node& a = node_of(*g, "PoolAvg2d");
  EXPECT_EQ(a.params.get_int("count_pad_for_edges"), 1);
  EXPECT_EQ(a.params.get_ints("pad_amount"), (std::vector<int64_t>{1, 0, 1, 0}));
  const ir::Node& gp = g->nodes[g->nodes.size() - 2];
  EXPECT_EQ(gp.op, "PoolMax2d");
  EXPECT_EQ(gp.params.get_ints("filter_size"), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2, 1, 1}));
}

TEST_F(Spatial, PoolStorageOrderAndLpPoolDilationsAreUnsupportedWithReason) {
  for (auto [op, attr] :
       {std::pair{"MaxPool", "storage_order"}, std::pair{"LpPool", "dilations"}}) {
    ModelBuilder b;
    b.input("x", {1, 2, 7, 7});
    auto& mp = b.node(op, {"x"}, {"y"}, "mp");
    set_attr(mp, "kernel_shape", std::vector<int64_t>{3, 3});
    if (std::string(attr) == "dilations")
      set_attr(mp, attr, std::vector<int64_t>{2, 2});
    else
      set_attr(mp, attr, int64_t{1});
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(g.error().message.find(attr), std::string::npos) << g.error().message;
  }
}

TEST_F(Spatial, DilatedTwoDPoolRunsAsThreeDPoolOverAUnitDepth) {
  ModelBuilder b;
  b.input("x", {1, 2, 7, 7});
  auto& mp = b.node("AveragePool", {"x"}, {"y"}, "ap");
  set_attr(mp, "kernel_shape", std::vector<int64_t>{2, 3});
  set_attr(mp, "dilations", std::vector<int64_t>{2, 2});
  set_attr(mp, "pads", std::vector<int64_t>{1, 0, 1, 2});
  set_attr(mp, "count_include_pad", int64_t{1});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "Reshape", "PoolAvg3d", "Reshape",
                                                  "Transpose"}));
  const ir::Node& p = node_of(*g, "PoolAvg3d");
  EXPECT_EQ(p.name, "ap");
  EXPECT_EQ(p.params.get_ints("filter_size"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(p.params.get_ints("dilation"), (std::vector<int64_t>{1, 2, 2}));
  EXPECT_EQ(p.params.get_ints("pad_amount"), (std::vector<int64_t>{0, 0, 1, 1, 0, 2}));
  EXPECT_EQ(p.params.get_int("count_pad_for_edges"), 1);
  EXPECT_EQ(g->tensor(p.inputs[0]).shape, (ir::Shape{1, 1, 7, 7, 2}));
  // H: (7 + 2 - 3) + 1 = 7; W: (7 + 2 - 5) + 1 = 5.
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2, 7, 5}));
}

TEST_F(Spatial, ThreeDPoolsAndGlobalPoolsOnRankFiveAreChannelLast) {
  ModelBuilder b;
  b.input("x", {1, 2, 4, 5, 6});
  auto& mp = b.node("MaxPool", {"x"}, {"m"}, "mp");
  set_attr(mp, "kernel_shape", std::vector<int64_t>{2, 2, 2});
  set_attr(mp, "strides", std::vector<int64_t>{2, 2, 2});
  set_attr(mp, "ceil_mode", int64_t{1});
  b.node("GlobalAveragePool", {"m"}, {"y"}, "gp");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& m = node_of(*g, "PoolMax3d");
  EXPECT_EQ(g->nodes[0].params.get_ints("perm"), (std::vector<int64_t>{0, 2, 3, 4, 1}));
  EXPECT_EQ(m.params.get_int("rounding_mode"), 1);
  EXPECT_EQ(g->tensor(m.outputs[0]).shape, (ir::Shape{1, 2, 3, 3, 2}));
  const ir::Node& gp = node_of(*g, "PoolAvg3d");
  EXPECT_EQ(gp.params.get_ints("filter_size"), (std::vector<int64_t>{2, 3, 3}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2, 1, 1, 1}));
}

TEST_F(Spatial, MalformedThreeDPoolAttributesAreBadInputNamingTheNode) {
  for (auto [attr, values] : {std::pair{"dilations", std::vector<int64_t>{2, 2}},
                              std::pair{"strides", std::vector<int64_t>{0, 1, 1}},
                              std::pair{"pads", std::vector<int64_t>{1, 1, 1}}}) {
    ModelBuilder b;
    b.input("x", {1, 2, 4, 4, 4});
    auto& mp = b.node("MaxPool", {"x"}, {"y"}, "mp3");
    set_attr(mp, "kernel_shape", std::vector<int64_t>{2, 2, 2});
    set_attr(mp, attr, values);
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << attr;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("mp3"), std::string::npos) << g.error().message;
  }
}

ModelBuilder roi_align_model() {
  ModelBuilder b(16);
  b.input("x", {2, 3, 8, 8});
  b.input("rois", {5, 4});
  b.input("idx", {5}, ::onnx::TensorProto::INT64);
  auto& n = b.node("RoiAlign", {"x", "rois", "idx"}, {"y"}, "roi");
  set_attr(n, "output_height", int64_t{2});
  set_attr(n, "output_width", int64_t{3});
  set_attr(n, "spatial_scale", 0.25f);
  set_attr(n, "mode", std::string("max"));
  set_attr(n, "coordinate_transformation_mode", std::string("output_half_pixel"));
  b.output("y");
  return b;
}

TEST_F(Spatial, RoiAlignIsChannelLastWithItsParams) {
  auto g = import(roi_align_model());
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "RoiAlign", "Transpose"}));
  const ir::Node& n = g->nodes[1];
  EXPECT_EQ(n.name, "roi");
  EXPECT_EQ(n.params.get_floats("img_size_ratio"), (std::vector<double>{0.25, 0.25}));
  EXPECT_EQ(n.params.get_int("aligned"), 0);
  EXPECT_EQ(n.params.get_string("mode"), "max");
  EXPECT_EQ(g->tensor(n.inputs[2]).dtype, ir::DataType::kInt32);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{5, 3, 2, 3}));
}

TEST_F(Spatial, MalformedRoiAlignAttributesAreBadInputNamingTheNode) {
  for (auto [attr, value] : {std::pair{"mode", int64_t{-1}}, std::pair{"output_height", int64_t{0}},
                             std::pair{"sampling_ratio", int64_t{-2}},
                             std::pair{"coordinate_transformation_mode", int64_t{-1}}}) {
    ModelBuilder b = roi_align_model();
    auto& n = *b.model.mutable_graph()->mutable_node(0);
    auto* attrs = n.mutable_attribute();  // replaced, not added twice
    for (int i = attrs->size() - 1; i >= 0; --i)
      if (attrs->Get(i).name() == attr) attrs->DeleteSubrange(i, 1);
    if (value == -1)
      set_attr(n, attr, std::string("bogus"));
    else
      set_attr(n, attr, value);
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << attr;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("'roi'"), std::string::npos) << g.error().message;
  }
}

TEST_F(Spatial, BatchNormFoldsStatisticsIntoChannelLastScaleAndBias) {
  ModelBuilder b;
  b.input("x", {1, 2, 3, 3});
  b.init_f32("gamma", {2}, {1.0f, 2.0f});
  b.init_f32("beta", {2}, {0.5f, -1.0f});
  b.init_f32("mean", {2}, {3.0f, 4.0f});
  b.init_f32("var", {2}, {4.0f, 0.25f});
  auto& bn = b.node("BatchNormalization", {"x", "gamma", "beta", "mean", "var"}, {"y"}, "bn");
  set_attr(bn, "epsilon", 0.0f);
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "Batchnorm", "Transpose"}));
  const ir::Node& n = g->nodes[1];
  EXPECT_EQ(static_floats(*g, n.inputs[1]), (std::vector<float>{0.5f, 4.0f}));
  EXPECT_EQ(static_floats(*g, n.inputs[2]), (std::vector<float>{0.5f - 1.5f, -1.0f - 16.0f}));
}

TEST_F(Spatial, BatchNormOnRank2NeedsNoTranspose) {
  ModelBuilder b;
  b.input("x", {4, 2});
  for (const char* p : {"s", "b", "m", "v"}) b.init_f32(p, {2}, {1.0f, 1.0f});
  b.node("BatchNormalization", {"x", "s", "b", "m", "v"}, {"y"}, "bn");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), std::vector<std::string>{"Batchnorm"});
}

TEST_F(Spatial, AnActivationFeedingTwoConvsIsTransposedOnce) {
  ModelBuilder b;
  b.input("x", {1, 2, 4, 4});
  b.init_f32("w1", {2, 2, 1, 1}, iota_values(4));
  b.init_f32("w2", {2, 2, 1, 1}, iota_values(4));
  b.node("Conv", {"x", "w1"}, {"a"}, "c1");
  b.node("Conv", {"x", "w2"}, {"b"}, "c2");
  b.node("Add", {"a", "b"}, {"y"}, "add");
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "Conv2d", "Transpose", "Conv2d",
                                                  "Transpose", "ElementWiseAdd"}));
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
