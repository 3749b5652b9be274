// Shape rules and parameter checks of the reduction and normalization ops (and of
// ChannelShuffle, which the norm fusions' pass file neighbours): output shapes and dtypes,
// and a shape error naming the node (never a crash) for bad parameters.
#include <gtest/gtest.h>

#include <cmath>

#include "ir/op_def.h"

namespace oqnn::ir {
namespace {

struct OneOp {
  Graph g;
  Node n;
  OneOp(const std::string& op, Shape x, DataType dt = DataType::kFloat32) {
    n.name = "node_under_test";
    n.op = op;
    n.inputs.push_back(g.add_tensor({"x", dt, std::move(x), TensorKind::kInput, {}, {}}));
  }
  void add_input(Shape s) {
    n.inputs.push_back(g.add_tensor({"in" + std::to_string(n.inputs.size()),
                                     DataType::kFloat32,
                                     std::move(s),
                                     TensorKind::kInput,
                                     {},
                                     {}}));
  }
  Expected<std::vector<OutputInfo>> infer() const { return find_op(n.op)->infer(g, n); }
};

void expect_shape_error(const OneOp& o, const std::string& what) {
  auto r = o.infer();
  ASSERT_FALSE(r.has_value()) << o.n.op << ": " << what;
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().message.find("node_under_test"), std::string::npos) << r.error().message;
}

TEST(ReduceOps, AllShareTheAxesRuleAndKeepTheDtype) {
  for (const char* op :
       {"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceSumSquare",
        "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp"}) {
    ASSERT_NE(find_op(op), nullptr) << op;
    OneOp o(op, {2, 3, 4}, DataType::kInt32);
    o.n.params.set("axes", std::vector<int64_t>{0, 2});
    auto r = o.infer();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ((*r)[0].shape, (Shape{1, 3, 1})) << op;
    EXPECT_EQ((*r)[0].dtype, DataType::kInt32) << op;
    o.n.params.set("keep_dims", int64_t{0});
    EXPECT_EQ(o.infer()->at(0).shape, (Shape{3})) << op;
    o.n.params.set("axes", std::vector<int64_t>{3});
    expect_shape_error(o, "axis out of range");
    o.n.params.set("axes", std::vector<int64_t>{1, 1});
    expect_shape_error(o, "repeated axis");
  }
}

TEST(SoftmaxOps, AxisIsChecked) {
  for (const char* op : {"Softmax", "LogSoftmax", "Hardmax", "L2Norm"}) {
    OneOp o(op, {2, 5});
    EXPECT_EQ(o.infer()->at(0).shape, (Shape{2, 5})) << op;
    o.n.params.set("axis", int64_t{2});
    expect_shape_error(o, "axis out of range");
  }
}

TEST(LayerNorm, AxesGammaBroadcastAndStatsOutputs) {
  OneOp o("LayerNorm", {2, 3, 4});
  o.add_input({3, 4});
  o.n.params.set("axes", std::vector<int64_t>{1, 2});
  auto r = o.infer();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
  o.n.params.set("stats_outputs", int64_t{1});
  r = o.infer();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].shape, (Shape{2, 1, 1}));
  o.n.params.set("axes", std::vector<int64_t>{});
  expect_shape_error(o, "empty axes");
  o.n.params.set("axes", std::vector<int64_t>{2, 2});
  expect_shape_error(o, "repeated axis");
  o.n.params.set("axes", std::vector<int64_t>{2});
  o.g.tensor(o.n.inputs[1]).shape = {5};
  expect_shape_error(o, "gamma that does not broadcast");
}

TEST(RmsNorm, AxesEpsilonAndAffineOperands) {
  OneOp o("RmsNorm", {2, 3, 4});
  o.add_input({4});
  o.add_input({4});
  o.n.params.set("axes", std::vector<int64_t>{2});
  o.n.params.set("epsilon", 1e-6);
  auto r = o.infer();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].shape, (Shape{2, 3, 4}));
  o.n.params.set("epsilon", -1.0);
  expect_shape_error(o, "negative epsilon");
  o.n.params.set("epsilon", std::nan(""));
  expect_shape_error(o, "NaN epsilon");
  o.n.params.set("epsilon", 1e-6);
  for (auto bad : {std::vector<int64_t>{}, std::vector<int64_t>{3}, std::vector<int64_t>{2, 2}}) {
    o.n.params.set("axes", bad);
    expect_shape_error(o, "bad axes");
  }
  o.n.params.set("axes", std::vector<int64_t>{2});
  o.g.tensor(o.n.inputs[2]).shape = {3};
  expect_shape_error(o, "beta that does not broadcast");
}

TEST(ChannelShuffle, GroupsMustDivideTheAxis) {
  OneOp o("ChannelShuffle", {1, 6, 2, 2});
  o.n.params.set("num_groups", int64_t{3});
  o.n.params.set("axis", int64_t{1});
  auto r = o.infer();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ((*r)[0].shape, (Shape{1, 6, 2, 2}));
  o.n.params.set("axis", int64_t{4});
  expect_shape_error(o, "axis out of range");
  o.n.params.set("axis", int64_t{-1});
  expect_shape_error(o, "negative axis");
  o.n.params.set("axis", int64_t{1});
  for (int64_t bad : {0, 4, -3}) {
    o.n.params.set("num_groups", bad);
    expect_shape_error(o, "num_groups that does not divide the axis");
  }
  o.n.params = {};
  o.n.params.set("num_groups", int64_t{2});  // axis defaults to the last
  EXPECT_TRUE(o.infer().has_value());
}

TEST(ChannelNorms, PerChannelOperandsAndGroups) {
  OneOp inst("InstanceNorm", {1, 4, 4, 6});
  inst.add_input({6});
  inst.add_input({5});
  expect_shape_error(inst, "beta of the wrong size");
  OneOp gn("GroupNorm", {1, 4, 4, 6});
  gn.add_input({6});
  gn.add_input({6});
  gn.n.params.set("group", int64_t{3});
  EXPECT_TRUE(gn.infer().has_value());
  for (int64_t bad : {0, 4, -2}) {
    gn.n.params.set("group", bad);
    expect_shape_error(gn, "group that does not divide the channels");
  }
  OneOp lrn("Lrn", {1, 2, 2, 3});
  lrn.n.params.set("radius", int64_t{-1});
  expect_shape_error(lrn, "negative radius");
  OneOp flat("InstanceNorm", {6});
  flat.add_input({6});
  flat.add_input({6});
  expect_shape_error(flat, "rank 1 input");
}

}  // namespace
}  // namespace oqnn::ir
