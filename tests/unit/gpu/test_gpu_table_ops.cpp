// The ops of table_ops.h (TransposeConv2d, L2Pool2d, RoiAlign, Lstm, Gru, Rnn) on the GPU
// backend against the CPU reference kernels. Float activations are graph inputs behind a
// "+ 0" node and outputs leave through one, so that in fp16 precision the node reads and
// writes fp16 intermediates (a bare node would run the float kernels of graph I/O); their
// values are multiples of 1/64, exact in fp16. Weights are static, int32 inputs (RoiAlign
// batch_indices, sequence_lens) graph inputs with given values. Results must be within
// the GPU bar (1e-2 fp16, 1e-5 fp32) and the same on a second run and after the plan is
// saved and reloaded.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "gpu_test_util.h"
#include "ir/graph.h"
#include "ir/verifier.h"
#include "support/files.h"

namespace oqnn::gpu::testing {
namespace {

using Ints = std::vector<int64_t>;
using Floats = std::vector<double>;

struct Input {
  enum Kind { kAct, kWeight, kInt, kAbsent } kind = kAct;
  ir::Shape shape;
  std::vector<float> values;  // given values (kInt: as integers), else random
};

Input act(ir::Shape s, std::vector<float> v = {}) {
  return {Input::kAct, std::move(s), std::move(v)};
}
Input weight(ir::Shape s, std::vector<float> v = {}) {
  return {Input::kWeight, std::move(s), std::move(v)};
}
Input ints(std::vector<float> v) {
  ir::Shape s{static_cast<int64_t>(v.size())};
  return {Input::kInt, s, std::move(v)};
}
Input absent() {
  return {Input::kAbsent, {}, {}};
}

struct TableCase {
  std::string name;
  std::string op;
  std::vector<Input> inputs;
  ir::Params params;
  int outputs = 1;
};

ir::Params P(std::initializer_list<std::pair<const char*, ir::ParamValue>> kv) {
  ir::Params p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

// Recurrent params: hidden size, direction, activations (with alpha, beta lists).
ir::Params rnn(int64_t hidden, const char* dir, const char* acts, Floats alpha, Floats beta) {
  return P({{"hidden_size", hidden},
            {"direction", std::string(dir)},
            {"activations", std::string(acts)},
            {"activation_alpha", std::move(alpha)},
            {"activation_beta", std::move(beta)}});
}
ir::Params with(ir::Params p, std::initializer_list<std::pair<const char*, ir::ParamValue>> kv) {
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

std::vector<TableCase> transpose_conv_cases() {
  return {
      {"tconv_basic_bias",
       "TransposeConv2d",
       {act({1, 5, 6, 3}), weight({3, 3, 3, 4}), weight({4})},
       {}},
      {"tconv_stride_pad_output_padding",
       "TransposeConv2d",
       {act({2, 4, 5, 4}), weight({3, 2, 4, 5}), weight({5})},
       P({{"stride", Ints{2, 3}},
          {"pad_amount", Ints{1, 0, 0, 2}},
          {"output_padding", Ints{1, 2}}})},
      {"tconv_groups_dilation",
       "TransposeConv2d",
       {act({1, 6, 5, 6}), weight({2, 3, 6, 2})},
       P({{"group", int64_t{3}},
          {"dilation", Ints{2, 1}},
          {"stride", Ints{1, 2}},
          {"pad_amount", Ints{1, 1, 0, 1}}})},
      {"tconv_1d",
       "TransposeConv2d",
       {act({2, 1, 9, 3}), weight({1, 4, 3, 7})},
       P({{"stride", Ints{1, 2}}, {"pad_amount", Ints{0, 0, 1, 2}}})},
      {"tconv_depthwise_stride2",
       "TransposeConv2d",
       {act({1, 7, 7, 4}), weight({3, 3, 4, 1}), weight({4})},
       P({{"group", int64_t{4}},
          {"stride", Ints{2, 2}},
          {"pad_amount", Ints{1, 1, 1, 1}},
          {"output_padding", Ints{1, 1}}})},
      {"tconv_stride_larger_than_kernel",
       "TransposeConv2d",
       {act({1, 3, 4, 2}), weight({2, 2, 2, 3}), weight({3})},
       P({{"stride", Ints{3, 3}}, {"output_padding", Ints{2, 1}}})},
  };
}

std::vector<TableCase> pool_roi_cases() {
  // Boxes in image coordinates (multiples of 1/4, exact in fp16).
  const std::vector<float> boxes = {0,  0, 20,    16,    3.5f, 2.25f, 11, 9.75f,
                                    10, 4, 10.5f, 4.25f, -3,   -2,    26, 22};
  const std::vector<float> boxes1 = {0, 0, 9, 7, 1.5f, 2, 6.25f, 8.5f, 2, 3, 2, 3};
  return {
      {"l2pool_pad",
       "L2Pool2d",
       {act({1, 9, 8, 5})},
       P({{"filter_size", Ints{3, 3}}, {"stride", Ints{2, 2}}, {"pad_amount", Ints{1, 1, 1, 1}}})},
      {"l2pool_ceil",
       "L2Pool2d",
       {act({2, 10, 7, 3})},
       P({{"filter_size", Ints{2, 3}},
          {"stride", Ints{2, 2}},
          {"pad_amount", Ints{0, 1, 1, 0}},
          {"rounding_mode", int64_t{1}}})},
      {"l2pool_global", "L2Pool2d", {act({1, 5, 6, 4})}, P({{"filter_size", Ints{5, 6}}})},
      {"roi_avg_adaptive_output_half_pixel",
       "RoiAlign",
       {act({2, 10, 12, 3}), act({4, 4}, boxes), ints({0, 1, 1, 0})},
       P({{"output_height", int64_t{3}},
          {"output_width", int64_t{4}},
          {"img_size_ratio", Floats{0.5, 0.5}}})},
      {"roi_max_half_pixel_sampling2",
       "RoiAlign",
       {act({2, 10, 12, 3}), act({4, 4}, boxes), ints({1, 0, 1, 1})},
       P({{"output_height", int64_t{2}},
          {"output_width", int64_t{3}},
          {"sampling_ratio", int64_t{2}},
          {"aligned", int64_t{1}},
          {"mode", std::string("max")},
          {"img_size_ratio", Floats{0.5, 0.25}}})},
      {"roi_avg_half_pixel_adaptive",
       "RoiAlign",
       {act({1, 9, 8, 5}), act({3, 4}, boxes1), ints({0, 0, 0})},
       P({{"output_height", int64_t{5}}, {"output_width", int64_t{3}}, {"aligned", int64_t{1}}})},
      {"roi_static_rois",
       "RoiAlign",
       {act({2, 9, 8, 3}), weight({3, 4}, boxes1), ints({1, 0, 1})},
       P({{"output_height", int64_t{2}}, {"output_width", int64_t{3}}})},
      {"roi_max_adaptive",
       "RoiAlign",
       {act({1, 9, 8, 2}), act({3, 4}, boxes1), ints({0, 0, 0})},
       P({{"output_height", int64_t{2}},
          {"output_width", int64_t{2}},
          {"mode", std::string("max")}})},
  };
}

std::vector<TableCase> recurrent_cases() {
  const Floats z3 = {0, 0, 0}, z6 = {0, 0, 0, 0, 0, 0};
  return {
      {"lstm_forward",
       "Lstm",
       {act({5, 3, 4}), weight({1, 24, 4}), weight({1, 24, 6}), weight({1, 48})},
       rnn(6, "forward", "Sigmoid,Tanh,Tanh", z3, z3),
       3},
      {"lstm_bidir_lens_states_peepholes",
       "Lstm",
       {act({4, 3, 5}), weight({2, 16, 5}), weight({2, 16, 4}), weight({2, 32}), ints({4, 2, 3}),
        act({2, 3, 4}), act({2, 3, 4}), weight({2, 12})},
       rnn(4, "bidirectional", "Sigmoid,Tanh,Tanh,Sigmoid,Tanh,Tanh", z6, z6),
       3},
      {"lstm_reverse_layout1_clip_input_forget",
       "Lstm",
       {act({3, 5, 4}), weight({1, 20, 4}), weight({1, 20, 5}), absent(), ints({5, 0, 3})},
       with(rnn(5, "reverse", "Sigmoid,Tanh,Tanh", z3, z3),
            {{"layout", int64_t{1}}, {"clip", 0.7}, {"input_forget", int64_t{1}}}),
       3},
      {"lstm_other_activations",
       "Lstm",
       {act({3, 2, 3}), weight({1, 12, 3}), weight({1, 12, 3}), weight({1, 24})},
       rnn(3, "forward", "HardSigmoid,LeakyRelu,Softsign", {0.2, 0.1, 0}, {0.5, 0, 0}),
       3},
      {"lstm_static_initial_states",
       "Lstm",
       {act({3, 2, 3}), weight({1, 16, 3}), weight({1, 16, 4}), weight({1, 32}), absent(),
        weight({1, 2, 4}), weight({1, 2, 4})},
       rnn(4, "forward", "Sigmoid,Tanh,Tanh", z3, z3),
       3},
      {"gru_static_h0",
       "Gru",
       {act({3, 2, 3}), weight({1, 12, 3}), weight({1, 12, 4}), absent(), absent(),
        weight({1, 2, 4})},
       rnn(4, "forward", "Sigmoid,Tanh", {0, 0}, {0, 0}),
       2},
      {"gru_forward",
       "Gru",
       {act({4, 2, 3}), weight({1, 15, 3}), weight({1, 15, 5}), weight({1, 30})},
       rnn(5, "forward", "Sigmoid,Tanh", {0, 0}, {0, 0}),
       2},
      {"gru_bidir_linear_before_reset_lens_h0",
       "Gru",
       {act({5, 3, 4}), weight({2, 18, 4}), weight({2, 18, 6}), weight({2, 36}), ints({5, 1, 3}),
        act({2, 3, 6})},
       with(rnn(6, "bidirectional", "Sigmoid,Tanh,Sigmoid,Tanh", {0, 0, 0, 0}, {0, 0, 0, 0}),
            {{"linear_before_reset", int64_t{1}}}),
       2},
      {"gru_reverse_layout1_bidir_reset",
       "Gru",
       {act({2, 4, 3}), weight({2, 12, 3}), weight({2, 12, 4}), weight({2, 24}), ints({3, 4})},
       with(rnn(4, "bidirectional", "HardSigmoid,Elu,Sigmoid,Tanh", {0.3, 0.8, 0, 0},
                {0.4, 0, 0, 0}),
            {{"layout", int64_t{1}}, {"clip", 0.9}}),
       2},
      {"gru_reverse_no_bias",
       "Gru",
       {act({3, 2, 4}), weight({1, 9, 4}), weight({1, 9, 3})},
       rnn(3, "reverse", "Sigmoid,Tanh", {0, 0}, {0, 0}),
       2},
      {"rnn_bidir",
       "Rnn",
       {act({4, 2, 3}), weight({2, 5, 3}), weight({2, 5, 5}), weight({2, 10})},
       rnn(5, "bidirectional", "Tanh,Tanh", {0, 0}, {0, 0}),
       2},
      {"rnn_scaled_tanh_clip_lens_h0",
       "Rnn",
       {act({5, 3, 2}), weight({1, 4, 2}), weight({1, 4, 4}), absent(), ints({2, 5, 4}),
        act({1, 3, 4})},
       with(rnn(4, "forward", "ScaledTanh", {0.8}, {1.2}), {{"clip", 0.6}}),
       2},
      {"rnn_runtime_weights_layout1",
       "Rnn",
       {act({2, 3, 4}), act({2, 3, 4}), act({2, 3, 3}), act({2, 6})},
       with(rnn(3, "bidirectional", "Softplus,Affine", {0, 0.5}, {0, 0.25}),
            {{"layout", int64_t{1}}}),
       2},
      {"rnn_relu_thresholded",
       "Rnn",
       {act({3, 2, 3}), weight({2, 4, 3}), weight({2, 4, 4}), weight({2, 8})},
       rnn(4, "bidirectional", "Relu,ThresholdedRelu", {0, 0.1}, {0, 0}),
       2},
  };
}

std::vector<TableCase> table_cases() {
  std::vector<TableCase> all;
  for (auto part : {transpose_conv_cases(), pool_roi_cases(), recurrent_cases()})
    for (TableCase& c : part) all.push_back(std::move(c));
  return all;
}

std::vector<std::byte> float_bytes(const std::vector<float>& v) {
  std::vector<std::byte> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

// Random multiples of 1/64 in [-1, 1] (weights: [-0.5, 0.5]).
std::vector<float> sixty_fourths(size_t n, float range, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(-range, range);
  std::vector<float> v(n);
  for (float& x : v) x = std::round(d(rng) * 64.0f) / 64.0f;
  return v;
}

// in_i -> (+ 0) -> x_i -> op -> y_j -> (+ 0) -> out_j; weights static, ints graph inputs.
// *values gets the graph inputs' bytes.
ir::Graph table_graph(const TableCase& c, Bytes* values) {
  std::mt19937 rng(29);
  ir::Graph g;
  g.name = "table_" + c.op;
  float zero = 0.0f;
  ir::TensorId z =
      g.add_static("zero", ir::DataType::kFloat32, {1}, make_owned_blob(&zero, sizeof zero));
  auto add_zero = [&](ir::TensorId from, ir::TensorId to, const std::string& name) {
    g.nodes.push_back({name, "ElementWiseAdd", {from, z}, {to}, {}});
  };
  auto tensor = [&](const std::string& name, ir::DataType dt, ir::Shape s, ir::TensorKind k) {
    return g.add_tensor({name, dt, std::move(s), k, {}, {}});
  };
  ir::Node n{"node", c.op, {}, {}, c.params};
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const Input& in = c.inputs[i];
    const std::string name = "in" + std::to_string(i);
    const size_t count = static_cast<size_t>(ir::num_elements(in.shape));
    if (in.kind == Input::kAbsent) {
      n.inputs.push_back(-1);
    } else if (in.kind == Input::kWeight) {
      const std::vector<float> v = in.values.empty() ? sixty_fourths(count, 0.5f, rng) : in.values;
      n.inputs.push_back(
          g.add_static(name, ir::DataType::kFloat32, in.shape, make_owned_blob(float_bytes(v))));
    } else if (in.kind == Input::kInt) {
      std::vector<int32_t> v(in.values.begin(), in.values.end());
      values->emplace_back(v.size() * 4);
      std::memcpy(values->back().data(), v.data(), v.size() * 4);
      ir::TensorId t = tensor(name, ir::DataType::kInt32, in.shape, ir::TensorKind::kInput);
      g.inputs.push_back(t);
      n.inputs.push_back(t);
    } else {
      values->push_back(
          float_bytes(in.values.empty() ? sixty_fourths(count, 1.0f, rng) : in.values));
      ir::TensorId t = tensor(name, ir::DataType::kFloat32, in.shape, ir::TensorKind::kInput);
      g.inputs.push_back(t);
      ir::TensorId x = tensor("x" + std::to_string(i), ir::DataType::kFloat32, {},
                              ir::TensorKind::kIntermediate);
      add_zero(t, x, "wrap_" + name);
      n.inputs.push_back(x);
    }
  }
  while (!n.inputs.empty() && n.inputs.back() < 0) n.inputs.pop_back();
  std::vector<ir::TensorId> ys;
  for (int j = 0; j < c.outputs; ++j) {
    ys.push_back(
        tensor("y" + std::to_string(j), ir::DataType::kFloat32, {}, ir::TensorKind::kIntermediate));
    n.outputs.push_back(ys.back());
  }
  g.nodes.push_back(std::move(n));
  for (int j = 0; j < c.outputs; ++j) {
    ir::TensorId out =
        tensor("out" + std::to_string(j), ir::DataType::kFloat32, {}, ir::TensorKind::kOutput);
    add_zero(ys[static_cast<size_t>(j)], out, "unwrap_" + std::to_string(j));
    g.outputs.push_back(out);
  }
  if (!ir::infer_shapes(g)) g.nodes.clear();  // verify reports it
  return g;
}

void check_table_case(const TableCase& c, const std::string& config, double tolerance) {
  std::string why;
  GpuBackend* backend = shared_backend(config, &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  Bytes inputs, want, got, again;
  ir::Graph g = table_graph(c, &inputs);
  Status v = ir::verify(g);
  ASSERT_TRUE(v.is_ok()) << v.error().message;
  auto plan = run_gpu_and_reference(*backend, g, inputs, &want, &got);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  for (size_t j = 0; j < got.size(); ++j)
    EXPECT_LE(relative_error(as_floats(got[j]), as_floats(want[j])), tolerance) << "output " << j;
  ASSERT_TRUE(run_plan_bytes(**plan, inputs, &again).is_ok());
  EXPECT_EQ(got, again);  // same plan, same inputs: same bits
  // A saved and reloaded plan (fp16 statics apart from the float weights) gives the same.
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  auto loaded = backend->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_TRUE(run_plan_bytes(**loaded, inputs, &again).is_ok());
  EXPECT_EQ(got, again) << "after save and reload";
}

void PrintTo(const TableCase& c, std::ostream* os) {
  *os << c.name;
}

class GpuTableOp : public ::testing::TestWithParam<TableCase> {};

TEST_P(GpuTableOp, Fp16MatchesReference) {
  check_table_case(GetParam(), "{}", 1e-2);
}

TEST_P(GpuTableOp, Fp32MatchesReference) {
  check_table_case(GetParam(), R"({"precision_mode": "fp32"})", 1e-5);
}

INSTANTIATE_TEST_SUITE_P(AllOps, GpuTableOp, ::testing::ValuesIn(table_cases()),
                         [](const ::testing::TestParamInfo<TableCase>& i) { return i.param.name; });

// A batch index outside the input fails the run naming the node, as on the CPU.
TEST(GpuTableOpErrors, RoiAlignBatchIndexOutOfRangeFailsTheRun) {
  std::string why;
  GpuBackend* backend = shared_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  TableCase c = pool_roi_cases()[4];
  c.inputs[2] = ints({0, 1, 2, 0});
  Bytes inputs, got;
  ir::Graph g = table_graph(c, &inputs);
  ASSERT_TRUE(ir::verify(g).is_ok());
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Status s = run_plan_bytes(**plan, inputs, &got);
  ASSERT_FALSE(s.is_ok());
  EXPECT_NE(s.error().message.find("node 'node' (RoiAlign)"), std::string::npos)
      << s.error().message;
}

// Int32 in a float slot is refused at finalize (the capability row admits int32 for the
// index inputs only).
TEST(GpuTableOpErrors, RecurrentRefusesInt32Weights) {
  std::string why;
  GpuBackend* backend = shared_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  TableCase c = recurrent_cases()[0];
  Bytes inputs;
  ir::Graph g = table_graph(c, &inputs);
  ASSERT_TRUE(ir::verify(g).is_ok());
  for (ir::Tensor& t : g.tensors)
    if (t.name == "in1") t.dtype = ir::DataType::kInt32;  // same byte size as float32
  auto plan = backend->finalize(g);
  ASSERT_FALSE(plan.has_value());
  EXPECT_NE(plan.error().message.find("node 'node' (Lstm)"), std::string::npos)
      << plan.error().message;
}

}  // namespace

std::vector<std::string> table_case_rows() {
  std::vector<std::string> rows;
  for (const TableCase& c : table_cases()) {
    rows.push_back(c.op + " float32");
    for (const Input& in : c.inputs)
      if (in.kind == Input::kInt) rows.push_back(c.op + " int32");
  }
  return rows;
}

}  // namespace oqnn::gpu::testing
