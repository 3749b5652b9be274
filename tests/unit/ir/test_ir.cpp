#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/printer.h"
#include "ir/serialize.h"
#include "ir/verifier.h"
#include "support/names.h"

namespace oqnn::ir {
namespace {

Graph small_conv_graph() {
  Graph g;
  g.name = "g";
  TensorId x = g.add_tensor({"x", DataType::kFloat32, {1, 8, 8, 3}, TensorKind::kInput, {}, {}});
  std::vector<float> w(3 * 3 * 3 * 4, 0.5f);
  TensorId wt =
      g.add_static("w", DataType::kFloat32, {3, 3, 3, 4}, make_owned_blob(w.data(), w.size() * 4));
  TensorId y = g.add_tensor({"y", DataType::kFloat32, {1, 4, 4, 4}, TensorKind::kOutput, {}, {}});
  Node n{"conv", "Conv2d", {x, wt}, {y}, {}};
  n.params.set("stride", std::vector<int64_t>{2, 2});
  n.params.set("pad_amount", std::vector<int64_t>{1, 0, 1, 0});
  g.nodes.push_back(n);
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

TEST(OpTable, HasCoreOpsSorted) {
  for (const char* op : {"Conv2d", "DepthWiseConv2d", "FullyConnected", "PoolMax2d", "Softmax",
                         "Reshape", "ElementWiseAdd", "Batchnorm"})
    EXPECT_NE(find_op(op), nullptr) << op;
  EXPECT_EQ(find_op("NoSuchOp"), nullptr);
  auto ops = all_ops();
  for (size_t i = 1; i < ops.size(); ++i) EXPECT_LT(ops[i - 1].name, ops[i].name);
}

TEST(Verifier, AcceptsConsistentGraphAndRejectsWrongShape) {
  Graph g = small_conv_graph();
  EXPECT_TRUE(verify(g).is_ok()) << verify(g).error().message;
  g.tensor(2).shape = {1, 8, 8, 4};
  Status s = verify(g);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.error().message.find("conv"), std::string::npos);
}

TEST(Verifier, UnknownParamIsAnError) {
  Graph g = small_conv_graph();
  g.nodes[0].params.set("bogus", int64_t{1});
  EXPECT_FALSE(verify(g).is_ok());
}

TEST(Serialize, RoundTripsAndRejectsTruncation) {
  Graph g = small_conv_graph();
  g.tensor(0).encoding = Encoding{8, false, false, -1, {0.1}, {-3}};
  auto bytes = serialize_graph(g);
  auto blob = make_owned_blob(std::move(bytes));
  auto back = deserialize_graph(blob, 0, blob->size(), "mem");
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_EQ(print_graph(*back), print_graph(g));
  EXPECT_EQ(back->tensor(1).values<float>()[5], 0.5f);
  for (size_t cut : {size_t{3}, size_t{40}, blob->size() / 2, blob->size() - 1}) {
    auto bad = deserialize_graph(blob, 0, cut, "mem");
    EXPECT_FALSE(bad.has_value()) << cut;
  }
}

TEST(Names, SanitizeFollowsQnn) {
  EXPECT_EQ(sanitize_name("/model/conv1/Conv_output_0"), "_model_conv1_Conv_output_0");
  EXPECT_EQ(sanitize_name("onnx::Conv_192"), "onnx__Conv_192");
  EXPECT_EQ(sanitize_name("input"), "input");
  EXPECT_EQ(sanitize_name("1x"), "_1x");
}

TEST(Pool, CeilModeShape) {
  Graph g;
  TensorId x =
      g.add_tensor({"x", DataType::kFloat32, {1, 111, 111, 8}, TensorKind::kInput, {}, {}});
  TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
  Node n{"p", "PoolMax2d", {x}, {y}, {}};
  n.params.set("filter_size", std::vector<int64_t>{3, 3});
  n.params.set("stride", std::vector<int64_t>{2, 2});
  n.params.set("rounding_mode", int64_t{1});
  g.nodes.push_back(n);
  ASSERT_TRUE(infer_shapes(g).is_ok());
  EXPECT_EQ(g.tensor(y).shape, (Shape{1, 55, 55, 8}));
}

// L2Pool2d shares the pooling shape rule: the same output size, the same refusals.
TEST(Pool, L2PoolShapeAndBadParams) {
  for (int bad = 0; bad < 3; ++bad) {
    Graph g;
    TensorId x = g.add_tensor({"x", DataType::kFloat32, {1, 9, 8, 3}, TensorKind::kInput, {}, {}});
    TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
    Node n{"l2", "L2Pool2d", {x}, {y}, {}};
    n.params.set("filter_size", bad == 1 ? std::vector<int64_t>{3} : std::vector<int64_t>{3, 2});
    n.params.set("stride", std::vector<int64_t>{2, 1});
    n.params.set("pad_amount",
                 bad == 2 ? std::vector<int64_t>{3, 0, 0, 0} : std::vector<int64_t>{1, 1, 0, 1});
    g.nodes.push_back(n);
    Status s = infer_shapes(g);
    if (bad == 0) {
      ASSERT_TRUE(s.is_ok()) << s.error().message;
      EXPECT_EQ(g.tensor(y).shape, (Shape{1, 5, 8, 3}));
    } else {
      ASSERT_FALSE(s.is_ok()) << bad;
      EXPECT_NE(s.error().message.find("'l2'"), std::string::npos) << s.error().message;
    }
  }
}

// bad 4: an int32 grid; bad 5: a quantized grid beside a float input. A quantized grid
// beside a quantized input (the HTP's finalized graph, bad -1) is accepted like a float one.
TEST(GridSample, ShapeAndBadParams) {
  const Encoding e8{8, false, false, -1, {0.1}, {-3}}, e16{16, false, false, -1, {3e-5}, {-32768}};
  for (int bad = -1; bad < 6; ++bad) {
    Graph g;
    const DataType xt = bad == -1 ? DataType::kUInt8 : DataType::kFloat32;
    TensorId x = g.add_tensor({"x", xt, {2, 5, 4, 3}, TensorKind::kInput, {}, {}});
    if (bad == -1) g.tensor(x).encoding = e8;
    Shape gs = bad == 1 ? Shape{2, 6, 7, 3} : Shape{2, 6, 7, 2};
    DataType gt = bad == 4 ? DataType::kInt32 : DataType::kFloat32;
    if (bad == -1 || bad == 5) gt = DataType::kUInt16;
    TensorId grid = g.add_tensor({"g", gt, gs, TensorKind::kInput, {}, {}});
    if (bad == -1 || bad == 5) g.tensor(grid).encoding = e16;
    TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
    Node n{"gs", "GridSample", {x, grid}, {y}, {}};
    n.params.set("mode", std::string(bad == 2 ? "cubic" : "nearest"));
    n.params.set("padding_mode", std::string("border"));
    n.params.set("align_corners", int64_t{bad == 3 ? 2 : 1});
    g.nodes.push_back(n);
    Status s = infer_shapes(g);
    if (bad <= 0) {
      ASSERT_TRUE(s.is_ok()) << s.error().message;
      EXPECT_EQ(g.tensor(y).shape, (Shape{2, 6, 7, 3}));
    } else {
      ASSERT_FALSE(s.is_ok()) << bad;
      EXPECT_NE(s.error().message.find("'gs'"), std::string::npos) << s.error().message;
    }
  }
}

// Values outside a param's domain are refused by the shape rule, so every backend (and
// qnn-model-lib-generator, which verifies the graph) rejects them the same way.
TEST(Pool, ParamsOutsideTheirDomainAreRefused) {
  struct Case {
    const char* param;
    std::vector<int64_t> value;
  };
  for (const Case& c : {Case{"rounding_mode", {7}}, Case{"count_pad_for_edges", {2}},
                        Case{"pad_amount", {3, 0, 0, 0}}, Case{"pad_amount", {0, -1, 0, 0}}}) {
    Graph g;
    TensorId x = g.add_tensor({"x", DataType::kFloat32, {1, 8, 8, 4}, TensorKind::kInput, {}, {}});
    TensorId y = g.add_tensor({"y", DataType::kFloat32, {}, TensorKind::kOutput, {}, {}});
    Node n{"p", "PoolAvg2d", {x}, {y}, {}};
    n.params.set("filter_size", std::vector<int64_t>{3, 3});
    if (c.value.size() == 1)
      n.params.set(c.param, c.value[0]);
    else
      n.params.set(c.param, c.value);
    g.nodes.push_back(n);
    Status s = infer_shapes(g);
    ASSERT_FALSE(s.is_ok()) << c.param;
    EXPECT_NE(s.error().message.find(c.param), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find("'p'"), std::string::npos) << s.error().message;
  }
}

}  // namespace
}  // namespace oqnn::ir
