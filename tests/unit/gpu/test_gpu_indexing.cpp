// The reductions, normalizations, indexing and Resize of the GPU backend against the CPU
// reference kernels: each case is one node whose inputs and outputs are wrapped in "+ 0"
// nodes, so that in fp16 precision the node itself reads and writes fp16 intermediates (a
// bare one-node graph would run the float kernels of graph I/O). Inputs are multiples of
// 1/64, exact in fp16, so ops that only move data must match bit for bit in every
// precision; the others must be within the GPU bar (1e-2 fp16, 1e-5 fp32).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "gpu_test_util.h"
#include "ir/graph.h"
#include "ir/verifier.h"
#include "support/files.h"

namespace oqnn::gpu::testing {
namespace {

using Ints = std::vector<int64_t>;
using Floats = std::vector<double>;

struct IndexCase {
  std::string name;
  std::string op;
  std::vector<ir::Shape> inputs;  // graph inputs (float32), each behind a "+ 0" node
  ir::Params params;
  int outputs = 1;
  bool exact = false;  // data movement: bit-exact in every precision
  float lo = -2.0f, hi = 2.0f;
};

ir::Params P(std::initializer_list<std::pair<const char*, ir::ParamValue>> kv) {
  ir::Params p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

std::vector<IndexCase> index_cases() {
  auto s = [](const char* v) { return std::string(v); };
  return {
      {"reduce_sum_hw", "ReduceSum", {{2, 5, 6, 3}}, P({{"axes", Ints{1, 2}}})},
      {"reduce_mean_split",
       "ReduceMean",
       {{2, 3, 4, 5}},
       P({{"axes", Ints{0, 2}}, {"keep_dims", int64_t{0}}})},
      {"reduce_max_last", "ReduceMax", {{3, 4, 7}}, P({{"axes", Ints{2}}}), 1, true},
      {"reduce_min_all", "ReduceMin", {{3, 4, 5}}, P({{"axes", Ints{0, 1, 2}}}), 1, true},
      {"reduce_prod", "ReduceProd", {{4, 3, 2}}, P({{"axes", Ints{1}}}), 1, false, 0.5f, 1.5f},
      {"reduce_sum_square",
       "ReduceSumSquare",
       {{2, 3, 4}},
       P({{"axes", Ints{0}}, {"keep_dims", int64_t{0}}})},
      {"reduce_l1", "ReduceL1", {{5, 6}}, P({{"axes", Ints{1}}})},
      {"reduce_l2", "ReduceL2", {{2, 3, 4, 2}}, P({{"axes", Ints{1, 3}}})},
      {"reduce_log_sum", "ReduceLogSum", {{3, 5}}, P({{"axes", Ints{1}}}), 1, false, 0.1f, 2.0f},
      {"reduce_log_sum_exp",
       "ReduceLogSumExp",
       {{2, 6, 3}},
       P({{"axes", Ints{1}}}),
       1,
       false,
       -8.0f,
       8.0f},
      {"cumsum", "CumulativeSum", {{3, 5, 2}}, P({{"axis", int64_t{1}}})},
      {"cumsum_exclusive_reverse",
       "CumulativeSum",
       {{4, 6}},
       P({{"axis", int64_t{1}}, {"exclusive", int64_t{1}}, {"reverse", int64_t{1}}})},
      {"layer_norm_last",
       "LayerNorm",
       {{3, 4, 8}, {8}, {8}},
       P({{"axes", Ints{2}}, {"epsilon", 1e-5}})},
      {"layer_norm_stats",
       "LayerNorm",
       {{2, 3, 4, 5}, {4, 5}},
       P({{"axes", Ints{2, 3}}, {"stats_outputs", int64_t{1}}}),
       3},
      {"layer_norm_no_affine", "LayerNorm", {{4, 3, 6}}, P({{"axes", Ints{0, 2}}})},
      {"rms_norm_last", "RmsNorm", {{3, 4, 8}, {8}}, P({{"axes", Ints{2}}, {"epsilon", 1e-6}})},
      {"rms_norm_beta", "RmsNorm", {{2, 3, 4, 5}, {4, 5}, {5}}, P({{"axes", Ints{2, 3}}})},
      {"rms_norm_no_affine", "RmsNorm", {{4, 3, 6}}, P({{"axes", Ints{0, 2}}})},
      {"instance_norm", "InstanceNorm", {{2, 5, 4, 3}, {3}, {3}}, P({{"epsilon", 1e-5}})},
      {"group_norm", "GroupNorm", {{2, 3, 4, 6}, {6}, {6}}, P({{"group", int64_t{3}}})},
      {"log_softmax_axis1",
       "LogSoftmax",
       {{2, 5, 3}},
       P({{"axis", int64_t{1}}, {"beta", 0.5}}),
       1,
       false,
       -6.0f,
       6.0f},
      {"hardmax", "Hardmax", {{3, 7}}, {}, 1, true},
      {"l2norm", "L2Norm", {{2, 3, 6}}, P({{"axis", int64_t{1}}})},
      {"lrn",
       "Lrn",
       {{1, 3, 4, 7}},
       P({{"radius", int64_t{2}}, {"alpha", 1e-2}, {"beta", 0.75}, {"bias", 1.0}})},
      {"slice_negative_stride",
       "StridedSlice",
       {{5, 6, 4}},
       P({{"ranges", Ints{4, 0, -2, 1, 6, 2, -1, -5, -1}}}),
       1,
       true},
      {"slice_masks_shrink",
       "StridedSlice",
       {{3, 7, 2}},
       P({{"ranges", Ints{1, 2, 1, 0, 5, 3, 0, 2, 1}},
          {"begin_mask", int64_t{2}},
          {"shrink_axes", int64_t{1}}}),
       1,
       true},
      {"split_three",
       "Split",
       {{2, 7, 3}},
       P({{"axis", int64_t{1}}, {"split_index", Ints{2, 3}}}),
       3,
       true},
      {"tile", "Tile", {{2, 1, 3}}, P({{"multiples", Ints{2, 3, 2}}}), 1, true},
      {"depth_to_space_dcr",
       "DepthToSpace",
       {{1, 2, 3, 12}},
       P({{"block_size", Ints{2, 3}}, {"mode", s("DCR")}}),
       1,
       true},
      {"depth_to_space_crd",
       "DepthToSpace",
       {{2, 3, 2, 8}},
       P({{"block_size", Ints{2, 2}}, {"mode", s("CRD")}}),
       1,
       true},
      {"space_to_depth", "SpaceToDepth", {{1, 4, 6, 3}}, P({{"block_size", Ints{2, 3}}}), 1, true},
      {"space_to_depth_crd",
       "SpaceToDepth",
       {{2, 4, 2, 2}},
       P({{"block_size", Ints{2, 2}}, {"mode", s("CRD")}}),
       1,
       true},
      {"channel_shuffle_last",
       "ChannelShuffle",
       {{2, 3, 12}},
       P({{"num_groups", int64_t{3}}, {"axis", int64_t{2}}}),
       1,
       true},
      {"channel_shuffle_axis1",
       "ChannelShuffle",
       {{2, 6, 4, 5}},
       P({{"num_groups", int64_t{2}}, {"axis", int64_t{1}}}),
       1,
       true},
      {"trilu_upper", "Trilu", {{2, 4, 5}}, P({{"k", int64_t{1}}}), 1, true},
      {"trilu_lower", "Trilu", {{5, 3}}, P({{"upper", int64_t{0}}, {"k", int64_t{-1}}}), 1, true},
      {"resize_linear",
       "Resize",
       {{1, 4, 5, 3}},
       P({{"out_size", Ints{7, 9}}, {"scale", Floats{1.75, 1.8}}, {"mode", s("linear")}})},
      {"resize_cubic_align_exclude",
       "Resize",
       {{2, 5, 4, 2}},
       P({{"out_size", Ints{8, 6}},
          {"scale", Floats{1.6, 1.5}},
          {"mode", s("cubic")},
          {"coordinate_transformation_mode", s("align_corners")},
          {"exclude_outside", int64_t{1}}})},
      {"resize_nearest_floor",
       "Resize",
       {{1, 3, 4, 2}},
       P({{"out_size", Ints{5, 3}},
          {"scale", Floats{5.0 / 3, 0.75}},
          {"coordinate_transformation_mode", s("asymmetric")},
          {"nearest_mode", s("floor")}}),
       1,
       true},
      {"resize_tf_crop",
       "Resize",
       {{1, 6, 5, 2}},
       P({{"out_size", Ints{4, 4}},
          {"scale", Floats{4.0 / 6 * 1.5, 0.8 * 1.5}},
          {"mode", s("linear")},
          {"coordinate_transformation_mode", s("tf_crop_and_resize")},
          {"roi", Floats{-0.2, 0.1, 0.9, 1.3}},
          {"extrapolation_value", 0.5}})},
  };
}

// in_i -> (+ 0) -> x_i -> op -> y_j -> (+ 0) -> out_j.
ir::Graph wrapped_graph(const IndexCase& c) {
  ir::Graph g;
  g.name = "wrapped_" + c.op;
  float zero = 0.0f;
  ir::TensorId z =
      g.add_static("zero", ir::DataType::kFloat32, {1}, make_owned_blob(&zero, sizeof zero));
  auto add_zero = [&](ir::TensorId from, ir::TensorId to, const std::string& name) {
    g.nodes.push_back({name, "ElementWiseAdd", {from, z}, {to}, {}});
  };
  ir::Node n{"node", c.op, {}, {}, c.params};
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    std::string name = "in" + std::to_string(i);
    ir::TensorId in =
        g.add_tensor({name, ir::DataType::kFloat32, c.inputs[i], ir::TensorKind::kInput, {}, {}});
    g.inputs.push_back(in);
    ir::TensorId x = g.add_tensor({"x" + std::to_string(i),
                                   ir::DataType::kFloat32,
                                   {},
                                   ir::TensorKind::kIntermediate,
                                   {},
                                   {}});
    add_zero(in, x, "wrap_" + name);
    n.inputs.push_back(x);
  }
  std::vector<ir::TensorId> ys;
  for (int j = 0; j < c.outputs; ++j) {
    ys.push_back(g.add_tensor({"y" + std::to_string(j),
                               ir::DataType::kFloat32,
                               {},
                               ir::TensorKind::kIntermediate,
                               {},
                               {}}));
    n.outputs.push_back(ys.back());
  }
  g.nodes.push_back(std::move(n));
  for (int j = 0; j < c.outputs; ++j) {
    ir::TensorId out = g.add_tensor(
        {"out" + std::to_string(j), ir::DataType::kFloat32, {}, ir::TensorKind::kOutput, {}, {}});
    add_zero(ys[static_cast<size_t>(j)], out, "unwrap_" + std::to_string(j));
    g.outputs.push_back(out);
  }
  if (!ir::infer_shapes(g)) g.nodes.clear();  // verify reports it
  return g;
}

Tensors sixty_fourths(const ir::Graph& g, const IndexCase& c) {
  Tensors in = random_inputs(g, 13, c.lo, c.hi);
  for (auto& t : in)
    for (float& v : t) v = std::round(v * 64.0f) / 64.0f;
  return in;
}

void check_index_case(const IndexCase& c, const std::string& config, double tolerance) {
  std::string why;
  GpuBackend* backend = shared_backend(config, &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g = wrapped_graph(c);
  Status v = ir::verify(g);
  ASSERT_TRUE(v.is_ok()) << v.error().message;
  Tensors inputs = sixty_fourths(g, c), want, got, again;
  Status r = run_reference(g, inputs, &want);
  ASSERT_TRUE(r.is_ok()) << r.error().message;
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Status s = run_plan(**plan, inputs, &got);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  ASSERT_EQ(got.size(), want.size());
  for (size_t j = 0; j < got.size(); ++j) {
    if (c.exact)
      EXPECT_EQ(got[j], want[j]) << "output " << j;
    else
      EXPECT_LE(relative_error(got[j], want[j]), tolerance) << "output " << j;
  }
  ASSERT_TRUE(run_plan(**plan, inputs, &again).is_ok());
  EXPECT_EQ(got, again);  // same plan, same inputs: same bits
}

void PrintTo(const IndexCase& c, std::ostream* os) {
  *os << c.name;
}

class GpuIndexOp : public ::testing::TestWithParam<IndexCase> {};

TEST_P(GpuIndexOp, Fp16MatchesReference) {
  check_index_case(GetParam(), "{}", 1e-2);
}

TEST_P(GpuIndexOp, Fp32MatchesReference) {
  check_index_case(GetParam(), R"({"precision_mode": "fp32"})", 1e-5);
}

INSTANTIATE_TEST_SUITE_P(AllOps, GpuIndexOp, ::testing::ValuesIn(index_cases()),
                         [](const ::testing::TestParamInfo<IndexCase>& i) { return i.param.name; });

}  // namespace

std::vector<std::string> index_case_ops() {
  std::vector<std::string> ops;
  for (const IndexCase& c : index_cases()) ops.push_back(c.op);
  return ops;
}

}  // namespace oqnn::gpu::testing
