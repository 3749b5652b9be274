// --dry_run past an unsupported node: ops that only fold at import are gaps too when the
// value they read would be computed at run time, and not when they read only its shape.
#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using DryRun = ImporterTest;

// x → MadeUpOp → u; Shape(u) → ConstantOfShape → c (folds: u's shape is static);
// ConstantOfShape(u) → d (u's values are run-time data: a gap); y = c + d.
TEST_F(DryRun, ListsFoldOnlyOpsFedByRunTimeValuesDownstreamOfAGap) {
  ModelBuilder b;
  b.input("x", {2});
  b.node("MadeUpOp", {"x"}, {"u"}, "made_up");
  b.node("Shape", {"u"}, {"s"}, "shape");
  b.node("ConstantOfShape", {"s"}, {"c"}, "from_shape");
  b.node("ConstantOfShape", {"u"}, {"d"}, "from_values");
  b.node("Add", {"c", "d"}, {"y"}, "add");
  b.output("y");
  ImportOptions o;
  o.model_path = b.write(dir_);
  auto list = find_unsupported(o);
  ASSERT_TRUE(list.has_value()) << list.error().message;
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].node_name, "made_up");
  EXPECT_EQ((*list)[1].node_name, "from_values");
  EXPECT_NE((*list)[1].reason.find("downstream of an unsupported node"), std::string::npos)
      << (*list)[1].reason;
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
