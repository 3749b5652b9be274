#include <gtest/gtest.h>

#include "pass_test_util.h"
#include "passes/passes.h"

namespace oqnn::passes::testing {
namespace {

std::string layout_of(const ir::Graph& g, const std::string& name) {
  auto it = g.attributes.find("io_layout." + name);
  return it == g.attributes.end() ? "" : it->second;
}

ir::Graph conv_net() {
  GraphBuilder b;
  auto x = b.input("input", {1, 3, 6, 5});
  auto r = b.node("Relu", {b.conv(x, 4, 3, "/conv/Conv_output_0")}, "/relu/Relu_output_0");
  b.output(b.conv(r, 2, 3, "out"));
  return b.take();
}

TEST(IoLayout, ImageInputsAndOutputsBecomeNhwc) {
  ir::Graph before = conv_net();
  ir::Graph g = before;
  auto layout = make_cancel_transposes();
  auto io = make_io_layout(false);
  run_pass(*layout, g);
  EXPECT_TRUE(run_pass(*io, g));
  EXPECT_EQ(count_ops(g, "Transpose"), 0);
  EXPECT_EQ(layout_of(g, "input"), "NHWC");
  EXPECT_EQ(layout_of(g, "out"), "NHWC");
  EXPECT_EQ(g.tensor(g.inputs[0]).name, "input");
  EXPECT_EQ(g.tensor(g.inputs[0]).shape, (ir::Shape{1, 6, 5, 3}));
  EXPECT_EQ(g.tensor(g.outputs[0]).name, "out");
  EXPECT_EQ(g.tensor(g.outputs[0]).shape, (ir::Shape{1, 6, 5, 2}));
  EXPECT_EQ(producer_of(g, "out")->op, "Conv2d");
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(IoLayout, PreserveKeepsOnnxLayout) {
  ir::Graph before = conv_net();
  ir::Graph g = before;
  auto layout = make_cancel_transposes();
  auto io = make_io_layout(true);
  run_pass(*layout, g);
  run_pass(*io, g);
  EXPECT_EQ(count_ops(g, "Transpose"), 2);
  EXPECT_EQ(layout_of(g, "input"), "NCHW");
  EXPECT_EQ(layout_of(g, "out"), "NCHW");
  EXPECT_EQ(g.tensor(g.inputs[0]).shape, (ir::Shape{1, 3, 6, 5}));
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

TEST(IoLayout, RecordsOtherLayoutsAndMixedReaders) {
  GraphBuilder b;
  auto v = b.input("features", {2, 6});
  b.output(b.node("Sigmoid", {v}, "probs"));
  auto s = b.input("seq", {1, 3, 5});
  b.output(b.node("Relu", {s}, "seq_out"));
  // An image input read by a transpose and by a layout-sensitive reshape stays NCHW.
  auto x = b.input("image", {1, 2, 3, 3});
  b.output(b.node("Reshape", {x}, "flat", params({{"shape", ints({1, 18})}})));
  b.output(b.spatial("PoolMax2d", x, {}, "pooled", params({{"filter_size", ints({3, 3})}})));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto io = make_io_layout(false);
  EXPECT_TRUE(run_pass(*io, g));
  EXPECT_EQ(layout_of(g, "features"), "NF");
  EXPECT_EQ(layout_of(g, "probs"), "NF");
  EXPECT_EQ(layout_of(g, "seq"), "NCF");
  EXPECT_EQ(layout_of(g, "image"), "NCHW");
  EXPECT_EQ(layout_of(g, "flat"), "NF");
  EXPECT_EQ(layout_of(g, "pooled"), "NHWC");
  EXPECT_EQ(g.tensor(*g.find_tensor("pooled")).shape, (ir::Shape{1, 1, 1, 2}));
  EXPECT_LE(max_rel_error(before, g), 1e-6);
  EXPECT_FALSE(run_pass(*io, g));  // decided once
}

TEST(IoLayout, OutputThatIsAlsoReadInsideTheGraph) {
  GraphBuilder b;
  auto x = b.input("input", {1, 2, 4, 4});
  auto c = b.conv(x, 3, 3, "/conv/Conv_output_0");
  b.output(c);
  // A layout-sensitive reader of the channel-first values.
  b.output(b.node("Reshape", {c}, "flat", params({{"shape", ints({1, 48})}})));
  ir::Graph before = b.take();
  ir::Graph g = before;
  auto layout = make_cancel_transposes();
  auto io = make_io_layout(false);
  run_pass(*layout, g);
  run_pass(*io, g);
  EXPECT_EQ(layout_of(g, "/conv/Conv_output_0"), "NHWC");
  EXPECT_EQ(producer_of(g, "/conv/Conv_output_0")->op, "Conv2d");
  EXPECT_EQ(count_ops(g, "Transpose"), 1);  // feeds the reshape
  EXPECT_LE(max_rel_error(before, g), 1e-5);
}

}  // namespace
}  // namespace oqnn::passes::testing
