// Every op of the op table through a one-node graph on the GPU backend (fp16 and fp32
// storage) against the CPU reference kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "backends/gpu/capabilities.h"
#include "gpu_test_util.h"
#include "ir/op_def.h"
#include "ir/verifier.h"

namespace oqnn::gpu::testing {
namespace {

using Ints = std::vector<int64_t>;
using Floats = std::vector<double>;

struct OpCase {
  std::string name;  // test label
  std::string op;
  std::vector<InputSpec> inputs;
  ir::Params params;
  float in_lo = -1.0f, in_hi = 1.0f;  // graph input range
};

ir::Params P(std::initializer_list<std::pair<const char*, ir::ParamValue>> kv) {
  ir::Params p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

InputSpec act(ir::Shape s) {
  return {std::move(s), false};
}
InputSpec weight(ir::Shape s) {
  return {std::move(s), true, -0.5f, 0.5f};
}

std::vector<OpCase> cases() {
  std::string s_relu = "relu", s_clip = "clip";
  return {
      {"conv3x3_bias_relu",
       "Conv2d",
       {act({1, 9, 11, 5}), weight({3, 3, 5, 8}), weight({8})},
       P({{"pad_amount", Ints{1, 1, 1, 1}}, {"fused_activation", s_relu}})},
      {"conv_stride_dil_clip",
       "Conv2d",
       {act({2, 13, 12, 3}), weight({3, 2, 3, 6})},
       P({{"stride", Ints{2, 1}},
          {"dilation", Ints{2, 2}},
          {"pad_amount", Ints{2, 0, 1, 3}},
          {"fused_activation", s_clip},
          {"clip_min", -0.25},
          {"clip_max", 0.5}})},
      {"conv_grouped",
       "Conv2d",
       {act({1, 7, 17, 6}), weight({3, 3, 2, 9}), weight({9})},
       P({{"group", int64_t{3}}, {"pad_amount", Ints{1, 1, 1, 1}}})},
      {"conv_grouped_c8",
       "Conv2d",
       {act({1, 6, 9, 4}), weight({3, 3, 2, 16}), weight({16})},
       P({{"group", int64_t{2}}, {"pad_amount", Ints{0, 2, 1, 0}}, {"fused_activation", s_relu}})},
      {"conv_pointwise_c8",
       "Conv2d",
       {act({1, 5, 7, 12}), weight({1, 1, 12, 24}), weight({24})},
       {}},
      {"conv_pointwise",
       "Conv2d",
       {act({2, 5, 7, 16}), weight({1, 1, 16, 12}), weight({12})},
       P({{"fused_activation", s_relu}})},
      {"conv_pointwise_stride2",
       "Conv2d",
       {act({1, 8, 8, 8}), weight({1, 1, 8, 4})},
       P({{"stride", Ints{2, 2}}})},
      {"conv_7x7_s2",
       "Conv2d",
       {act({1, 30, 30, 3}), weight({7, 7, 3, 16}), weight({16})},
       P({{"stride", Ints{2, 2}}, {"pad_amount", Ints{3, 3, 3, 3}}})},
      {"dwconv",
       "DepthWiseConv2d",
       {act({1, 10, 9, 6}), weight({3, 3, 1, 6}), weight({6})},
       P({{"pad_amount", Ints{1, 1, 1, 1}}, {"fused_activation", s_relu}})},
      {"dwconv_mult2_stride2",
       "DepthWiseConv2d",
       {act({2, 11, 10, 3}), weight({5, 3, 1, 6})},
       P({{"stride", Ints{2, 2}}, {"pad_amount", Ints{2, 1, 0, 2}}, {"dilation", Ints{1, 2}}})},
      {"fc_bias_relu",
       "FullyConnected",
       {act({3, 20}), weight({7, 20}), weight({7})},
       P({{"fused_activation", s_relu}})},
      {"fc_rank4_input", "FullyConnected", {act({2, 2, 3, 5}), weight({4, 5})}, {}},
      {"fc_many_rows",
       "FullyConnected",
       {act({19, 33}), weight({10, 33}), weight({10})},
       P({{"fused_activation", s_clip}, {"clip_min", 0.0}, {"clip_max", 0.3}})},
      {"fc_c8", "FullyConnected", {act({5, 24}), weight({16, 24}), weight({16})}, {}},
      {"matmul", "MatMul", {act({2, 3, 4}), act({4, 5})}, {}},
      {"matmul_bcast_transposed",
       "MatMul",
       {act({2, 1, 4, 3}), act({3, 5, 4})},
       P({{"transpose_in0", int64_t{1}}, {"transpose_in1", int64_t{1}}})},
      {"pool_max_pad",
       "PoolMax2d",
       {act({1, 9, 9, 5})},
       P({{"filter_size", Ints{3, 3}}, {"stride", Ints{2, 2}}, {"pad_amount", Ints{1, 1, 1, 1}}})},
      {"pool_max_ceil",
       "PoolMax2d",
       {act({2, 10, 11, 3})},
       P({{"filter_size", Ints{3, 2}}, {"stride", Ints{2, 2}}, {"rounding_mode", int64_t{1}}})},
      {"pool_avg_pad",
       "PoolAvg2d",
       {act({1, 8, 9, 4})},
       P({{"filter_size", Ints{3, 3}}, {"stride", Ints{2, 2}}, {"pad_amount", Ints{1, 1, 1, 1}}})},
      {"pool_avg_count_pad_ceil",
       "PoolAvg2d",
       {act({1, 10, 7, 4})},
       P({{"filter_size", Ints{3, 3}},
          {"stride", Ints{2, 2}},
          {"pad_amount", Ints{1, 0, 1, 0}},
          {"rounding_mode", int64_t{1}},
          {"count_pad_for_edges", int64_t{1}}})},
      {"pool_avg_global", "PoolAvg2d", {act({2, 7, 7, 8})}, P({{"filter_size", Ints{7, 7}}})},
      {"add_bcast", "ElementWiseAdd", {act({2, 3, 4, 5}), act({1, 3, 1, 5})}, {}},
      {"add_static_scalar", "ElementWiseAdd", {act({4, 6}), weight({1})}, {}},
      {"sub_bcast_left", "ElementWiseSubtract", {act({5}), act({2, 3, 5})}, {}},
      {"mul_same", "ElementWiseMultiply", {act({3, 7, 2}), act({3, 7, 2})}, {}},
      {"div_bcast", "ElementWiseDivide", {act({2, 3, 4}), {{3, 1}, true, 0.5f, 1.5f}}, {}},
      {"relu", "Relu", {act({2, 3, 5, 7})}, {}},
      {"relu_min_max", "ReluMinMax", {act({4, 9})}, P({{"min_value", -0.2}, {"max_value", 0.6}})},
      {"sigmoid", "Sigmoid", {act({3, 11})}, {}, -6.0f, 6.0f},
      {"hard_swish", "HardSwish", {act({3, 11})}, {}, -5.0f, 5.0f},
      {"hard_sigmoid",
       "ElementWiseNeuron",
       {act({2, 13})},
       P({{"operation", std::string("hard_sigmoid")}, {"alpha", 0.3}, {"beta", 0.4}}),
       -4.0f,
       4.0f},
      {"prelu_channel", "Prelu", {act({1, 4, 5, 6}), weight({6})}, {}},
      {"prelu_full", "Prelu", {act({2, 3, 4}), weight({2, 3, 4})}, {}},
      {"reshape", "Reshape", {act({2, 3, 4})}, P({{"shape", Ints{6, 4}}})},
      {"transpose", "Transpose", {act({2, 3, 4, 5})}, P({{"perm", Ints{0, 3, 1, 2}}})},
      {"transpose_2d", "Transpose", {act({7, 9})}, P({{"perm", Ints{1, 0}}})},
      {"concat_channels",
       "Concat",
       {act({1, 3, 4, 2}), act({1, 3, 4, 5}), weight({1, 3, 4, 1})},
       P({{"axis", int64_t{3}}})},
      {"concat_axis1", "Concat", {act({2, 1, 3}), act({2, 4, 3})}, P({{"axis", int64_t{1}}})},
      {"pad_constant",
       "Pad",
       {act({1, 3, 4, 2})},
       P({{"pad_amount", Ints{0, 0, 1, 2, 2, 1, 0, 1}}, {"pad_constant_value", 0.75}})},
      {"pad_reflect",
       "Pad",
       {act({2, 5, 4})},
       P({{"pad_amount", Ints{0, 1, 2, 3, 3, 2}}, {"scheme", std::string("reflect")}})},
      {"pad_edge",
       "Pad",
       {act({3, 4})},
       P({{"pad_amount", Ints{2, 1, 1, 3}}, {"scheme", std::string("edge")}})},
      {"softmax_last", "Softmax", {act({3, 10})}, {}, -4.0f, 4.0f},
      {"softmax_axis1_beta",
       "Softmax",
       {act({2, 5, 3, 4})},
       P({{"axis", int64_t{1}}, {"beta", 0.5}}),
       -4.0f,
       4.0f},
      {"reduce_mean_hw", "ReduceMean", {act({2, 5, 6, 7})}, P({{"axes", Ints{1, 2}}})},
      {"reduce_mean_split",
       "ReduceMean",
       {act({2, 3, 4, 5})},
       P({{"axes", Ints{0, 2}}, {"keep_dims", int64_t{0}}})},
      {"batchnorm", "Batchnorm", {act({2, 4, 3, 6}), weight({6}), weight({6})}, {}},
  };
}

void PrintTo(const OpCase& c, std::ostream* os) {
  *os << c.name;
}

class GpuOp : public ::testing::TestWithParam<OpCase> {};

void check_case(const OpCase& c, const std::string& config, double tolerance) {
  std::string why;
  GpuBackend* backend = shared_backend(config, &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g = one_node_graph(c.op, c.inputs, c.params, 7);
  Status v = ir::verify(g);
  ASSERT_TRUE(v.is_ok()) << v.error().message;
  auto inputs = random_inputs(g, 11, c.in_lo, c.in_hi);
  Tensors want, got, again;
  Status r = run_reference(g, inputs, &want);
  ASSERT_TRUE(r.is_ok()) << r.error().message;
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Status s = run_plan(**plan, inputs, &got);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  ASSERT_EQ(got.size(), want.size());
  EXPECT_LE(relative_error(got[0], want[0]), tolerance) << c.op;
  // The same plan and inputs give the same bits.
  ASSERT_TRUE(run_plan(**plan, inputs, &again).is_ok());
  EXPECT_EQ(got[0], again[0]);
}

TEST_P(GpuOp, Fp16MatchesReference) {
  check_case(GetParam(), "{}", 1e-2);
}

TEST_P(GpuOp, Fp32MatchesReference) {
  check_case(GetParam(), R"({"precision_mode": "fp32"})", 1e-5);
}

TEST_P(GpuOp, WithoutTransformOptimizationMatchesReference) {
  check_case(GetParam(), R"({"enable_transform_optimization": false})", 1e-2);
}

INSTANTIATE_TEST_SUITE_P(AllOps, GpuOp, ::testing::ValuesIn(cases()),
                         [](const ::testing::TestParamInfo<OpCase>& i) { return i.param.name; });

// ---- integer and bool tensors: every (op, dtype) capability row that is not a float one
// runs through typed_cases() and must match the CPU reference exactly.

struct TypedCase {
  std::string name;
  std::string op;
  std::vector<InputSpec> inputs;  // dtype kFloat32 is replaced by the case's dtype
  ir::Params params;
  int outputs = 1;
  std::vector<ir::DataType> only;  // the dtypes of the op's rows, when not every typed one
                                   // (inputs declared int32, indices, keep their dtype)
};

// An int32 indices input holding integers in [lo, hi] (static: the values are fixed).
InputSpec indices(ir::Shape s, float lo, float hi) {
  return {std::move(s), true, lo, hi, ir::DataType::kInt32};
}

constexpr ir::DataType kF32 = ir::DataType::kFloat32, kI32 = ir::DataType::kInt32;
const std::vector<ir::DataType> kDequantizeTypes = {
    kI32, ir::DataType::kInt16, ir::DataType::kUInt16, ir::DataType::kInt8, ir::DataType::kUInt8};
const std::vector<ir::DataType>& typed_dtypes();
std::vector<ir::DataType> with_f32() {
  std::vector<ir::DataType> v{kF32};
  for (ir::DataType dt : typed_dtypes()) v.push_back(dt);
  return v;
}

std::vector<TypedCase> typed_templates() {
  return {
      {"reshape", "Reshape", {act({2, 3, 5})}, P({{"shape", Ints{5, 6}}})},
      {"transpose", "Transpose", {act({2, 3, 4, 5})}, P({{"perm", Ints{0, 3, 1, 2}}})},
      {"transpose_odd", "Transpose", {act({7, 1, 9})}, P({{"perm", Ints{2, 1, 0}}})},
      {"concat_static",
       "Concat",
       {act({2, 3, 1}), act({2, 3, 4}), {{2, 3, 3}, true, -3.0f, 3.0f}},
       P({{"axis", int64_t{2}}})},
      // The indexing ops that only move bits (lower_indexing.cpp).
      {"strided_slice",
       "StridedSlice",
       {act({5, 6, 4})},
       P({{"ranges", Ints{4, 0, -2, 1, 6, 2, -1, -5, -1}}})},
      {"split",
       "Split",
       {act({2, 7, 3})},
       P({{"axis", int64_t{1}}, {"split_index", Ints{2, 3}}}),
       3},
      {"tile", "Tile", {act({2, 1, 3})}, P({{"multiples", Ints{2, 3, 2}}})},
      {"depth_to_space",
       "DepthToSpace",
       {act({2, 3, 2, 8})},
       P({{"block_size", Ints{2, 2}}, {"mode", std::string("CRD")}})},
      {"space_to_depth", "SpaceToDepth", {act({1, 4, 6, 3})}, P({{"block_size", Ints{2, 3}}})},
      {"channel_shuffle",
       "ChannelShuffle",
       {act({2, 6, 5})},
       P({{"num_groups", int64_t{3}}, {"axis", int64_t{1}}})},
      {"trilu", "Trilu", {act({2, 4, 5})}, P({{"k", int64_t{1}}})},
      {"trilu_lower", "Trilu", {act({5, 3})}, P({{"upper", int64_t{0}}, {"k", int64_t{-1}}})},
      // Argmax/Argmin: float32 and int32 only; 40 integers in [-100, 100] per line tie often.
      {"argmax_last",
       "Argmax",
       {act({3, 40, 2})},
       P({{"axis", int64_t{1}}, {"select_last_index", int64_t{1}}}),
       1,
       {kF32, kI32}},
      {"argmax_first",
       "Argmax",
       {act({2, 3, 40})},
       P({{"axis", int64_t{2}}, {"keep_dims", int64_t{0}}}),
       1,
       {kF32, kI32}},
      {"argmin_axis0", "Argmin", {act({40, 3})}, {}, 1, {kF32, kI32}},
      {"argmin_last",
       "Argmin",
       {act({2, 40})},
       P({{"axis", int64_t{1}}, {"select_last_index", int64_t{1}}, {"keep_dims", int64_t{0}}}),
       1,
       {kF32, kI32}},
      // Gathers move bits of any dtype; indices count from the end when negative.
      {"gather_elements_axis1",
       "GatherElements",
       {act({3, 4, 5}), indices({3, 6, 5}, -4, 3)},
       P({{"axis", int64_t{1}}}),
       1,
       with_f32()},
      {"gather_elements_axis0",
       "GatherElements",
       {act({5, 3}), indices({2, 2}, -5, 4)},
       {},
       1,
       with_f32()},
      {"gather_axis1",
       "Gather",
       {act({3, 5, 2}), indices({2, 3}, -5, 4)},
       P({{"axis", int64_t{1}}}),
       1,
       with_f32()},
      {"gather_scalar_rows", "Gather", {act({6, 4}), indices({4}, -6, 5)}, {}, 1, with_f32()},
      {"gather_nd_pairs", "GatherNd", {act({4, 3, 2}), indices({5, 2}, -3, 2)}, {}, 1, with_f32()},
      {"gather_nd_batch",
       "GatherNd",
       {act({2, 4, 3}), indices({2, 3, 1}, -4, 3)},
       P({{"batch_dims", int64_t{1}}}),
       1,
       with_f32()},
      // OneHot: int32 indices in and out of [-depth, depth), float output.
      {"one_hot",
       "OneHot",
       {indices({3, 4}, -6, 5)},
       P({{"depth", int64_t{5}}, {"on_value", 2.5}, {"off_value", -1.0}}),
       1,
       {kI32}},
      {"one_hot_axis1",
       "OneHot",
       {indices({2, 3}, -4, 3)},
       P({{"depth", int64_t{4}}, {"axis", int64_t{1}}}),
       1,
       {kI32}},
      // Scatters: float32 and int32, duplicate indices applied in order.
      {"scatter_elements_add",
       "ScatterElements",
       {act({4, 5}), indices({3, 5}, -4, 3), act({3, 5})},
       P({{"axis", int64_t{0}}, {"reduction", std::string("add")}}),
       1,
       {kF32, kI32}},
      {"scatter_elements_none",
       "ScatterElements",
       {act({3, 6}), indices({3, 4}, -6, 5), act({3, 4})},
       P({{"axis", int64_t{1}}}),
       1,
       {kF32, kI32}},
      {"scatter_elements_max",
       "ScatterElements",
       {act({3, 6}), indices({3, 4}, -6, 5), act({3, 4})},
       P({{"axis", int64_t{1}}, {"reduction", std::string("max")}}),
       1,
       {kF32, kI32}},
      {"scatter_nd_mul",
       "ScatterNd",
       {act({4, 3, 2}), indices({5, 2}, -3, 2), act({5, 2})},
       P({{"reduction", std::string("mul")}}),
       1,
       {kF32, kI32}},
      {"scatter_nd_min",
       "ScatterNd",
       {act({5, 3}), indices({4, 1}, -5, 4), act({4, 3})},
       P({{"reduction", std::string("min")}}),
       1,
       {kF32, kI32}},
      // TopK: 40 integers in [-100, 100] per line tie often (ties to the lower index).
      {"top_k_largest", "TopK", {act({3, 40})}, P({{"k", int64_t{7}}}), 2, {kF32, kI32}},
      {"top_k_smallest",
       "TopK",
       {act({2, 2, 40})},
       P({{"k", int64_t{40}}, {"largest", int64_t{0}}}),
       2,
       {kF32, kI32}},
      {"cumsum_int", "CumulativeSum", {act({3, 5, 2})}, P({{"axis", int64_t{1}}}), 1, {kI32}},
      {"cumsum_int_exclusive_reverse",
       "CumulativeSum",
       {act({4, 6})},
       P({{"axis", int64_t{1}}, {"exclusive", int64_t{1}}, {"reverse", int64_t{1}}}),
       1,
       {kI32}},
      // Dequantize: per tensor, per axis and blocked parameters (float32 output, exact).
      {"dequantize",
       "Dequantize",
       {act({2, 3, 5})},
       P({{"scale", Floats{0.125}}, {"zero_point", Ints{3}}}),
       1,
       kDequantizeTypes},
      {"dequantize_axis",
       "Dequantize",
       {act({2, 3, 5})},
       P({{"scale", Floats{0.5, 0.25, 0.1}}, {"zero_point", Ints{0, 1, 2}}, {"axis", int64_t{1}}}),
       1,
       kDequantizeTypes},
      {"dequantize_blocked",
       "Dequantize",
       {act({2, 5})},
       P({{"scale", Floats{0.5, 0.25, 0.1, 2.0, 3.0, 0.75}},
          {"zero_point", Ints{0, 1, 2, 3, 4, 5}},
          {"axis", int64_t{1}},
          {"block_size", int64_t{2}}}),
       1,
       kDequantizeTypes},
  };
}

const std::vector<ir::DataType>& typed_dtypes() {
  static const std::vector<ir::DataType> kTypes = {ir::DataType::kInt32,  ir::DataType::kInt16,
                                                   ir::DataType::kUInt16, ir::DataType::kInt8,
                                                   ir::DataType::kUInt8,  ir::DataType::kBool};
  return kTypes;
}

std::vector<TypedCase> typed_cases() {
  std::vector<TypedCase> out;
  for (const TypedCase& t : typed_templates())
    for (ir::DataType dt : t.only.empty() ? typed_dtypes() : t.only) {
      TypedCase c = t;
      c.name += "_" + std::string(ir::dtype_name(dt));
      for (InputSpec& in : c.inputs) {
        if (in.dtype == kI32) continue;  // indices
        in.dtype = dt;
        if (!in.is_static) in.lo = -100.0f, in.hi = 100.0f;
      }
      out.push_back(std::move(c));
    }
  return out;
}

void PrintTo(const TypedCase& c, std::ostream* os) {
  *os << c.name;
}

class GpuTypedOp : public ::testing::TestWithParam<TypedCase> {};

void check_typed(const TypedCase& c, const std::string& config) {
  std::string why;
  GpuBackend* backend = shared_backend(config, &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g = one_node_graph(c.op, c.inputs, c.params, 5, c.outputs);
  Status v = ir::verify(g);
  ASSERT_TRUE(v.is_ok()) << v.error().message;
  Bytes inputs = random_bytes(g, 13, c.inputs[0].lo, c.inputs[0].hi), want, got, again;
  auto plan = run_gpu_and_reference(*backend, g, inputs, &want, &got);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(got.size(), want.size());
  for (size_t j = 0; j < got.size(); ++j) EXPECT_EQ(got[j], want[j]) << c.op << " output " << j;
  // Integer statics survive a context binary unchanged.
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  auto loaded = backend->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(run_plan_bytes(**loaded, inputs, &again).is_ok());
  EXPECT_EQ(again, want);
}

TEST_P(GpuTypedOp, Fp16MatchesReferenceExactly) {
  check_typed(GetParam(), "{}");
}

TEST_P(GpuTypedOp, Fp32MatchesReferenceExactly) {
  check_typed(GetParam(), R"({"precision_mode": "fp32"})");
}

INSTANTIATE_TEST_SUITE_P(IntegerAndBool, GpuTypedOp, ::testing::ValuesIn(typed_cases()),
                         [](const ::testing::TestParamInfo<TypedCase>& i) { return i.param.name; });

// Every op of the GPU capability table has a case above (the others fall back to the CPU),
// and every integer or bool row has a typed case.
TEST(GpuOpCoverage, EveryDeclaredOpHasACase) {
  auto all = cases();
  auto typed = typed_cases();
  const std::vector<std::string> eltwise_rows = eltwise_case_rows();
  const std::vector<std::string> table_rows = table_case_rows();
  for (const OqnnOpCapability& cap : kGpuCapabilities) {
    ASSERT_NE(ir::find_op(cap.op), nullptr) << cap.op;
    bool tested = false;
    for (const OpCase& c : all) tested = tested || c.op == cap.op;
    for (const std::string& op : index_case_ops()) tested = tested || op == cap.op;
    // float16 rows are the float32 ones' statics of fp16 plans
    const std::string row =
        std::string(cap.op) + " " + (cap.dtype == std::string("float16") ? "float32" : cap.dtype);
    const bool eltwise =
        std::find(eltwise_rows.begin(), eltwise_rows.end(), row) != eltwise_rows.end() ||
        std::find(table_rows.begin(), table_rows.end(), row) != table_rows.end();
    tested = tested || eltwise;
    for (const TypedCase& c : typed) tested = tested || c.op == cap.op;
    EXPECT_TRUE(tested) << cap.op << " has no GPU test case";
    std::string dt = cap.dtype;
    if (dt == "float32" || dt == "float16") continue;
    bool typed_tested = eltwise;
    for (const TypedCase& c : typed)
      typed_tested = typed_tested || (c.op == cap.op && c.name.ends_with("_" + dt));
    EXPECT_TRUE(typed_tested) << cap.op << " " << dt << " has no typed GPU test case";
  }
}

// A run-time index out of range fails the run naming the node (as on the CPU), and the
// plan runs again afterwards.
TEST(GpuIndexError, GatherElementsIndexOutOfRangeFailsTheRun) {
  std::string why;
  GpuBackend* backend = shared_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  InputSpec idx = act({2, 3});
  idx.dtype = ir::DataType::kInt32;
  ir::Graph g = one_node_graph("GatherElements", {act({4, 3}), idx}, {}, 1);
  ASSERT_TRUE(ir::verify(g).is_ok());
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Bytes in = random_bytes(g, 3, 0.0f, 3.0f), got, want;
  for (int32_t bad : {4, -5}) {
    std::memcpy(in[1].data() + 2 * sizeof(int32_t), &bad, sizeof bad);
    Status s = run_plan_bytes(**plan, in, &got);
    ASSERT_FALSE(s.is_ok()) << bad;
    EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
    EXPECT_NE(s.error().message.find("node 'node'"), std::string::npos) << s.error().message;
  }
  int32_t good = -4;
  std::memcpy(in[1].data() + 2 * sizeof(int32_t), &good, sizeof good);
  ASSERT_TRUE(run_plan_bytes(**plan, in, &got).is_ok());
  ASSERT_TRUE(run_reference_bytes(g, in, &want).is_ok());
  EXPECT_EQ(got, want);
}

// A node whose input dtype has no row is refused, naming the node.
TEST(GpuOpCoverage, IntegerInputWithoutRowIsUnsupported) {
  std::string why;
  GpuBackend* backend = shared_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  InputSpec x = act({2, 3});
  x.dtype = ir::DataType::kInt32;
  ir::Graph g = one_node_graph("Softmax", {x}, {}, 1);
  auto plan = backend->finalize(g);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(plan.error().message.find("node"), std::string::npos) << plan.error().message;
}

}  // namespace
}  // namespace oqnn::gpu::testing
