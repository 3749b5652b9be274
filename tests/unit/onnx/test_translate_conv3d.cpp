// Conv and ConvTranspose on 5-D (NCDHW) inputs → Conv3d / TransposeConv3d between
// NCDHW↔NDHWC Transposes: weights in [kd, kh, kw, ...] order, window attributes, groups
// (depthwise 3-D stays Conv3d), and malformed attributes as bad input naming the node.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Conv3dImport = ImporterTest;

ModelBuilder volume_model(const char* op, std::vector<Dim> x, std::vector<int64_t> w,
                          int64_t group = 1) {
  ModelBuilder b;
  b.input("x", std::move(x));
  int64_t count = 1;
  for (int64_t d : w) count *= d;
  b.init_f32("w", w, iota_values(static_cast<size_t>(count)));
  auto& n = b.node(op, {"x", "w"}, {"y"}, "v");
  set_attr(n, "group", group);
  b.output("y");
  return b;
}

::onnx::NodeProto& node0(ModelBuilder& b) {
  return *b.model.mutable_graph()->mutable_node(0);
}

void expect_bad(const Expected<ir::Graph>& g, const std::string& what) {
  ASSERT_FALSE(g.has_value()) << what;
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
  EXPECT_NE(g.error().message.find("'v'"), std::string::npos) << g.error().message;
  EXPECT_NE(g.error().message.find(what), std::string::npos) << g.error().message;
}

TEST_F(Conv3dImport, ConvBecomesConv3dWithDhwioWeightsAndPads) {
  ModelBuilder b = volume_model("Conv", {1, 2, 4, 5, 6}, {3, 2, 2, 3, 1});
  // ONNX pads [d0, h0, w0, d1, h1, w1] → pad_amount [d0, d1, h0, h1, w0, w1].
  set_attr(node0(b), "pads", std::vector<int64_t>{1, 2, 0, 0, 1, 3});
  set_attr(node0(b), "strides", std::vector<int64_t>{1, 2, 3});
  set_attr(node0(b), "dilations", std::vector<int64_t>{2, 1, 1});
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "Conv3d", "Transpose"}));
  EXPECT_EQ(g->nodes[0].params.get_ints("perm"), (std::vector<int64_t>{0, 2, 3, 4, 1}));
  EXPECT_EQ(g->nodes[2].params.get_ints("perm"), (std::vector<int64_t>{0, 4, 1, 2, 3}));
  const ir::Node& c = g->nodes[1];
  EXPECT_EQ(c.name, "v");
  EXPECT_EQ(c.params.get_ints("pad_amount"), (std::vector<int64_t>{1, 0, 2, 1, 0, 3}));
  EXPECT_EQ(c.params.get_ints("stride"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(c.params.get_ints("dilation"), (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(c.params.get_int("group"), 1);
  ASSERT_EQ(g->tensor(c.inputs[1]).shape, (ir::Shape{2, 3, 1, 2, 3}));
  // [cout, cin, kd, kh, kw] → [kd, kh, kw, cin, cout]: (d=1, h=2, i=1, o=2) = w[2][1][1][2][0].
  EXPECT_EQ(static_floats(*g, c.inputs[1])[(((1 * 3 + 2) * 1 + 0) * 2 + 1) * 3 + 2],
            static_cast<float>((((2 * 2 + 1) * 2 + 1) * 3 + 2) * 1 + 0));
  // D: (4 + 1 - 3) / 1 + 1 = 3; H: (5 + 3 - 3) / 2 + 1 = 3; W: (6 + 3 - 1) / 3 + 1 = 3.
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 3, 3, 3, 3}));
}

TEST_F(Conv3dImport, AutoPadSameAndDepthwiseGroups) {
  ModelBuilder b = volume_model("Conv", {1, 4, 3, 4, 5}, {8, 1, 2, 3, 3}, 4);
  set_attr(node0(b), "auto_pad", std::string("SAME_LOWER"));
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& c = node_of(*g, "Conv3d");
  EXPECT_EQ(c.params.get_int("group"), 4);  // depthwise 3-D: Conv3d with group == channels
  // Total pads 1, 2, 2; SAME_LOWER puts the odd one first.
  EXPECT_EQ(c.params.get_ints("pad_amount"), (std::vector<int64_t>{1, 0, 1, 1, 1, 1}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 8, 3, 4, 5}));
}

TEST_F(Conv3dImport, ConvTransposeBecomesTransposeConv3d) {
  ModelBuilder b = volume_model("ConvTranspose", {1, 2, 2, 3, 3}, {2, 3, 2, 2, 2});
  set_attr(node0(b), "strides", std::vector<int64_t>{2, 1, 2});
  set_attr(node0(b), "output_padding", std::vector<int64_t>{1, 0, 0});
  set_attr(node0(b), "pads", std::vector<int64_t>{0, 1, 0, 0, 0, 1});
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), (std::vector<std::string>{"Transpose", "TransposeConv3d", "Transpose"}));
  const ir::Node& t = g->nodes[1];
  EXPECT_EQ(t.params.get_ints("pad_amount"), (std::vector<int64_t>{0, 0, 1, 0, 0, 1}));
  EXPECT_EQ(t.params.get_ints("output_padding"), (std::vector<int64_t>{1, 0, 0}));
  ASSERT_EQ(g->tensor(t.inputs[1]).shape, (ir::Shape{2, 2, 2, 2, 3}));
  // [cin, cout, kd, kh, kw] → [kd, kh, kw, cin, cout]: (d=1, h=0, w=1, i=1, o=2).
  EXPECT_EQ(static_floats(*g, t.inputs[1])[(((1 * 2 + 0) * 2 + 1) * 2 + 1) * 3 + 2],
            static_cast<float>((((1 * 3 + 2) * 2 + 1) * 2 + 0) * 2 + 1));
  // D: 2*1 + 1 + 2 = 5; H: 2 + 2 - 1 = 3; W: 2*2 + 2 - 1 = 5.
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 3, 5, 3, 5}));
}

TEST_F(Conv3dImport, ConvTransposeOutputShapeWithGroups) {
  ModelBuilder b = volume_model("ConvTranspose", {1, 4, 2, 2, 2}, {4, 1, 3, 3, 3}, 2);
  set_attr(node0(b), "strides", std::vector<int64_t>{2, 2, 2});
  set_attr(node0(b), "output_shape", std::vector<int64_t>{4, 5, 6});  // natural 5x5x5
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& t = node_of(*g, "TransposeConv3d");
  EXPECT_EQ(t.params.get_ints("pad_amount"), (std::vector<int64_t>{0, 1, 0, 0, 0, 0}));
  EXPECT_EQ(t.params.get_ints("output_padding"), (std::vector<int64_t>{0, 0, 1}));
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 2, 4, 5, 6}));
}

TEST_F(Conv3dImport, MalformedAttributesAreBadInputNamingTheNode) {
  for (const char* op : {"Conv", "ConvTranspose"}) {
    SCOPED_TRACE(op);
    const bool t = std::string(op) == "ConvTranspose";
    const std::vector<int64_t> w =
        t ? std::vector<int64_t>{4, 2, 2, 2, 2} : std::vector<int64_t>{2, 4, 2, 2, 2};
    for (auto [attr, values] : {std::pair{"strides", std::vector<int64_t>{1, 1}},
                                std::pair{"dilations", std::vector<int64_t>{1, 0, 1}},
                                std::pair{"pads", std::vector<int64_t>{1, 1, 1, 1}},
                                std::pair{"kernel_shape", std::vector<int64_t>{2, 2, 3}}}) {
      ModelBuilder b = volume_model(op, {1, 4, 4, 4, 4}, w);
      set_attr(node0(b), attr, values);
      expect_bad(import(b), "");
    }
    ModelBuilder grouped = volume_model(op, {1, 4, 4, 4, 4}, w, 3);  // 3 does not divide 4
    expect_bad(import(grouped), "group");
    ModelBuilder rank = volume_model(op, {1, 4, 4, 4, 4}, {4, 4, 2, 2});  // 2-D weight
    expect_bad(import(rank), "weight");
  }
  ModelBuilder opad = volume_model("ConvTranspose", {1, 4, 4, 4, 4}, {4, 2, 2, 2, 2});
  set_attr(node0(opad), "output_padding", std::vector<int64_t>{1, 1});
  expect_bad(import(opad), "output_padding");
}

TEST_F(Conv3dImport, NegativePadsAreUnsupportedNamingTheNode) {
  ModelBuilder b = volume_model("Conv", {1, 4, 4, 4, 4}, {2, 4, 2, 2, 2});
  set_attr(node0(b), "pads", std::vector<int64_t>{0, -1, 0, 0, 0, 0});
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported) << g.error().message;
  EXPECT_NE(g.error().message.find("'v'"), std::string::npos) << g.error().message;
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
