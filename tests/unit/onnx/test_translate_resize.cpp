// Resize/Upsample: what the IR op gets (sizes, scales, conventions of opset 10 and
// Upsample), and malformed or unsupported operands (exit 1 / exit 3 naming the node).
// Numbers: the ONNX node tests (34 of 38 pass on the CPU) and the e2e zoo segmenters.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using ResizeImport = ImporterTest;

ModelBuilder resize(int64_t opset, std::vector<float> scales, const std::string& mode = "linear") {
  ModelBuilder b(opset);
  b.input("x", {1, 2, 4, 6});
  b.init_f32("scales", {static_cast<int64_t>(scales.size())}, scales);
  auto& n = opset < 11 ? b.node("Resize", {"x", "scales"}, {"y"}, "resize")
                       : b.node("Resize", {"x", "", "scales"}, {"y"}, "resize");
  set_attr(n, "mode", mode);
  b.output("y");
  return b;
}

TEST_F(ResizeImport, ScalesGiveTheFloorOfTheScaledSizeAndKeepTheScale) {
  auto g = import(resize(13, {1, 1, 1.5f, 0.5f}));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "Resize");
  EXPECT_EQ(n.params.get_ints("out_size"), (std::vector<int64_t>{6, 3}));
  EXPECT_DOUBLE_EQ(n.params.get_floats("scale")[0], 1.5);
  EXPECT_EQ(n.params.get_string("coordinate_transformation_mode"), "half_pixel");
}

TEST_F(ResizeImport, Opset10IsAsymmetricAndNearestTruncatesWhenUpsampling) {
  auto g = import(resize(10, {1, 1, 2, 2}, "nearest"));
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "Resize");
  EXPECT_EQ(n.params.get_string("coordinate_transformation_mode"), "asymmetric");
  EXPECT_EQ(n.params.get_string("nearest_mode"), "floor");
}

TEST_F(ResizeImport, BadAndUnsupportedOperandsNameTheNode) {
  struct Case {
    std::vector<float> scales;
    ErrorCode code;
  };
  for (const Case& c :
       {Case{{1, 1, 0, 2}, ErrorCode::kBadInput}, Case{{1, 1, 2}, ErrorCode::kBadInput},
        Case{{2, 1, 2, 2}, ErrorCode::kUnsupported}}) {
    auto g = import(resize(13, c.scales));
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, c.code) << g.error().message;
    EXPECT_NE(g.error().message.find("'resize'"), std::string::npos) << g.error().message;
  }
  ModelBuilder b = resize(19, {1, 1, 2, 2});
  set_attr(*b.model.mutable_graph()->mutable_node(0), "antialias", int64_t{1});
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
