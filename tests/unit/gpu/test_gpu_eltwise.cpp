// Every (op, input dtype) of the GPU element-wise table (eltwise_ops.h) through one-node
// graphs against the CPU reference kernels, cases generated from the table itself: float
// results within the GPU bar (1e-2 fp16, 1e-5 fp32), integer, bool and Cast/Select results
// and comparisons bit-exact. Float inputs of exact cases carry NaN, infinities and signed
// zeros.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "backends/gpu/eltwise_ops.h"
#include "gpu_test_util.h"
#include "ir/verifier.h"

namespace oqnn::gpu::testing {
namespace {

struct Row {
  const char* op;
  EltwiseFamily family;
  uint8_t dtypes;
};
#define OQNN_TEST_ROW(op, family, code, dtypes, note) {op, EltwiseFamily::family, kEltwise##dtypes},
constexpr Row kRows[] = {OQNN_GPU_ELTWISE_OPS(OQNN_TEST_ROW)};
#undef OQNN_TEST_ROW

struct EltCase {
  std::string name;
  std::string op;
  std::vector<InputSpec> inputs;
  ir::Params params;
  float lo = -3.0f, hi = 3.0f;
  bool exact = false;
};

const std::pair<uint8_t, ir::DataType> kDtypes[] = {
    {kDtF, ir::DataType::kFloat32},  {kDtI32, ir::DataType::kInt32}, {kDtI16, ir::DataType::kInt16},
    {kDtU16, ir::DataType::kUInt16}, {kDtI8, ir::DataType::kInt8},   {kDtU8, ir::DataType::kUInt8},
    {kDtBool, ir::DataType::kBool}};

InputSpec in(ir::Shape s, ir::DataType dt) {
  InputSpec i{std::move(s)};
  i.dtype = dt;
  return i;
}

// Input ranges inside each float function's domain; integer shifts by small amounts.
void set_range(EltCase& c, bool is_float) {
  const std::string& op = c.op;
  if (!is_float) {
    c.lo = -100.0f, c.hi = 100.0f;
    if (op == "ElementWiseShiftLeft" || op == "ElementWiseShiftRight") c.lo = -2.0f, c.hi = 20.0f;
    return;
  }
  if (op == "ElementWiseLog" || op == "ElementWiseSquareRoot" || op == "ElementWisePower")
    c.lo = 0.25f, c.hi = 2.0f;
  if (op == "ElementWiseAcosh") c.lo = 1.0f, c.hi = 4.0f;
  if (op == "ElementWiseAsin" || op == "ElementWiseAcos" || op == "ElementWiseAtanh")
    c.lo = -0.95f, c.hi = 0.95f;
  if (op == "ElementWiseTan") c.lo = -1.2f, c.hi = 1.2f;
}

ir::Params params_of(const std::string& op) {
  ir::Params p;
  if (op == "ReluMinMax") p.set("min_value", -0.5), p.set("max_value", 1.5);
  if (op == "ElementWiseNeuron") p.set("operation", std::string("hard_sigmoid"));
  if (op == "Elu" || op == "Celu" || op == "ThresholdedRelu") p.set("alpha", 0.7);
  if (op == "Selu") p.set("alpha", 1.5), p.set("gamma", 0.9);
  return p;
}

std::vector<EltCase> eltwise_cases() {
  std::vector<EltCase> out;
  for (const Row& r : kRows)
    for (const auto& [bit, dt] : kDtypes) {
      if (!(r.dtypes & bit)) continue;
      const bool f = dt == ir::DataType::kFloat32;
      EltCase c{std::string(r.op) + "_" + std::string(ir::dtype_name(dt)), r.op};
      c.params = params_of(r.op);
      set_range(c, f);
      c.exact = !f || r.family == EltwiseFamily::kCompare || r.family == EltwiseFamily::kToBool ||
                r.family == EltwiseFamily::kSelect || r.family == EltwiseFamily::kCast;
      switch (r.family) {
        case EltwiseFamily::kBinary:
        case EltwiseFamily::kCompare:
          c.inputs = {in({2, 3, 4}, dt), in({3, 1}, dt)};
          if (r.op == std::string("Prelu")) c.inputs[1] = {{4}, true, -0.5f, 0.5f};
          out.push_back(c);
          c.name += "_left";
          c.inputs = {in({5}, dt), in({2, 1, 5}, dt)};
          if (r.op != std::string("Prelu")) out.push_back(c);
          break;
        case EltwiseFamily::kSelect:
          c.inputs = {in({2, 1, 4}, ir::DataType::kBool), in({3, 4}, dt), in({2, 3, 1}, dt)};
          out.push_back(c);
          break;
        case EltwiseFamily::kCast:
          for (const auto& [b2, to] : kDtypes) {
            EltCase k = c;
            k.name = std::string("Cast_") + std::string(ir::dtype_name(to)) + "_" +
                     std::string(ir::dtype_name(dt));
            k.params.set("to", std::string(ir::dtype_name(to)));
            k.inputs = {in({3, 7}, dt)};
            k.lo = -70000.5f, k.hi = 70000.5f;  // saturation and wrapping
            out.push_back(k);
          }
          break;
        case EltwiseFamily::kUnary:
        case EltwiseFamily::kToBool:
          c.inputs = {in({2, 3, 7}, dt)};
          out.push_back(c);
          if (c.op == "Gelu") {
            c.name += "_tanh";
            c.params.set("approximate", std::string("tanh"));
            out.push_back(c);
          }
          if (c.op == "ElementWiseIsInf") {
            c.name += "_positive_only";
            c.params.set("detect_negative", int64_t{0});
            out.push_back(c);
          }
          break;
      }
    }
  return out;
}

void PrintTo(const EltCase& c, std::ostream* os) {
  *os << c.name;
}

// NaN, +-inf and +-0 at the start of every float input.
void add_specials(const ir::Graph& g, Bytes& inputs) {
  const float s[] = {std::numeric_limits<float>::quiet_NaN(),
                     std::numeric_limits<float>::infinity(),
                     -std::numeric_limits<float>::infinity(), 0.0f, -0.0f};
  for (size_t i = 0; i < g.inputs.size(); ++i)
    if (g.tensor(g.inputs[i]).dtype == ir::DataType::kFloat32)
      std::memcpy(inputs[i].data(), s, std::min(sizeof(s), inputs[i].size()));
}

class GpuEltwise : public ::testing::TestWithParam<EltCase> {};

void check_eltwise(const EltCase& c, const std::string& config, double tolerance) {
  std::string why;
  GpuBackend* backend = shared_backend(config, &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g = one_node_graph(c.op, c.inputs, c.params, 3);
  Status v = ir::verify(g);
  ASSERT_TRUE(v.is_ok()) << v.error().message;
  Bytes inputs = random_bytes(g, 17, c.lo, c.hi), want, got, again;
  if (c.exact) add_specials(g, inputs);
  auto plan = run_gpu_and_reference(*backend, g, inputs, &want, &got);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(got.size(), 1u);
  if (c.exact)
    EXPECT_EQ(got[0], want[0]);
  else
    EXPECT_LE(relative_error(as_floats(got[0]), as_floats(want[0])), tolerance);
  // The same plan and inputs give the same bits.
  ASSERT_TRUE(run_plan_bytes(**plan, inputs, &again).is_ok());
  EXPECT_EQ(got[0], again[0]);
}

TEST_P(GpuEltwise, Fp16MatchesReference) {
  check_eltwise(GetParam(), "{}", 1e-2);
}

TEST_P(GpuEltwise, Fp32MatchesReference) {
  check_eltwise(GetParam(), R"({"precision_mode": "fp32"})", 1e-5);
}

INSTANTIATE_TEST_SUITE_P(Table, GpuEltwise, ::testing::ValuesIn(eltwise_cases()),
                         [](const ::testing::TestParamInfo<EltCase>& i) { return i.param.name; });

// In fp16 storage an intermediate feeds the node: x + 0 -> op -> + 0 (float results are
// within the fp16 bar; the comparison's inputs are exact in fp16).
TEST(GpuEltwiseFp16, IntermediateInputsAndOutputs) {
  std::string why;
  GpuBackend* backend = shared_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g;
  g.name = "chain";
  auto add = [&](const std::string& name, ir::DataType dt, ir::TensorKind k) {
    return g.add_tensor({name, dt, {2, 8}, k, {}, {}});
  };
  const auto f = ir::DataType::kFloat32;
  ir::TensorId x = add("x", f, ir::TensorKind::kInput),
               zero = add("zero", f, ir::TensorKind::kInput);
  ir::TensorId a = add("a", f, ir::TensorKind::kIntermediate),
               e = add("e", f, ir::TensorKind::kIntermediate),
               c = add("c", ir::DataType::kInt16, ir::TensorKind::kIntermediate),
               y = add("y", ir::DataType::kInt16, ir::TensorKind::kOutput),
               ye = add("ye", f, ir::TensorKind::kOutput);
  g.inputs = {x, zero};
  g.outputs = {y, ye};
  g.nodes.push_back({"a", "ElementWiseAdd", {x, zero}, {a}, {}});
  g.nodes.push_back({"e", "ElementWiseExp", {a}, {e}, {}});
  ir::Params to;
  to.set("to", std::string("int16"));
  g.nodes.push_back({"c", "Cast", {a}, {c}, to});
  g.nodes.push_back({"y", "ElementWiseNeg", {c}, {y}, {}});
  g.nodes.push_back({"ye", "ElementWiseAdd", {e, zero}, {ye}, {}});
  ASSERT_TRUE(ir::verify(g).is_ok());
  Bytes inputs = random_bytes(g, 5, -4.0f, 4.0f), want, got;
  for (size_t i = 0; i < inputs[0].size(); i += 4) {  // multiples of 1/4: exact in fp16
    float v;
    std::memcpy(&v, inputs[0].data() + i, 4);
    v = std::round(v * 4.0f) / 4.0f;
    std::memcpy(inputs[0].data() + i, &v, 4);
  }
  std::fill(inputs[1].begin(), inputs[1].end(), std::byte{0});
  auto plan = run_gpu_and_reference(*backend, g, inputs, &want, &got);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ(got[0], want[0]);
  EXPECT_LE(relative_error(as_floats(got[1]), as_floats(want[1])), 1e-2);
}

// A malformed parameter is an error naming the node, not a crash.
TEST(GpuEltwiseErrors, BadGeluApproximationNamesTheNode) {
  std::string why;
  GpuBackend* backend = shared_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g = one_node_graph("ElementWiseAbs", {in({2, 3}, ir::DataType::kFloat32)}, {}, 1);
  g.nodes[0].op = "Gelu";
  g.nodes[0].params.set("approximate", std::string("cubic"));
  auto plan = backend->finalize(g);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kBadInput);
  EXPECT_NE(plan.error().message.find("node 'node'"), std::string::npos) << plan.error().message;
}

}  // namespace

std::vector<std::string> eltwise_case_rows() {
  std::vector<std::string> rows;
  for (const EltCase& c : eltwise_cases())
    rows.push_back(c.op + " " +
                   std::string(ir::dtype_name(c.inputs[c.op == "ElementWiseSelect"].dtype)));
  return rows;
}

}  // namespace oqnn::gpu::testing
