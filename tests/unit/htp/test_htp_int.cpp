// Integer and bool tensors on the HTP, against the CPU reference: int32 and bool tensors are
// not quantized, so what a node writes to them must equal the CPU reference byte for byte
// (on the dequantized values of its quantized inputs), and what it writes to a quantized
// output must be the reference value quantized with the output's encoding — on uint8 and
// uint16, with the reference and fast kernel variants and 1 or 3 threads. Also the ops float
// inside that have no other HTP kernel, and the capability rows that describe them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/kernels.h"
#include "backends/htp/capabilities.h"
#include "backends/htp/htp_backend.h"
#include "backends/htp/ref/qtensor.h"
#include "htp_test_util.h"
#include "ir/int_values.h"
#include "ir/op_def.h"
#include "ir/serialize.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

using ir::DataType;

struct In {
  ir::Shape shape;
  DataType dtype = DataType::kFloat32;  // float32: a quantized activation
  int lo = -3, hi = 3;                  // value range (ints and reals alike)
  bool is_static = false;               // int32 only: static data drawn from [lo, hi]
};

struct Case {
  const char* op;
  std::vector<In> inputs;
  ir::Params params = {};
};

Bytes int_bytes(DataType dt, size_t n, int lo, int hi, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(dt == DataType::kBool ? 0 : lo,
                                       dt == DataType::kBool ? 1 : hi);
  Bytes b(n * ir::dtype_size(dt));
  for (size_t i = 0; i < n; ++i) ir::store_int(dt, d(rng), b.data() + i * ir::dtype_size(dt));
  return b;
}

// Runs the float graph on the CPU reference kernels; inputs in the graph's dtypes.
std::vector<Bytes> run_cpu(const ir::Graph& g, const std::vector<Bytes>& in) {
  auto plan = rt::HostPlan::create(g, cpu::make_ref_kernel, 1);
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  if (!plan) return {};
  auto out = run_plan(**plan, in);
  EXPECT_TRUE(out.has_value()) << out.error().message;
  return out ? std::move(*out) : std::vector<Bytes>{};
}

std::vector<float> as_floats(const Bytes& b) {
  std::vector<float> v(b.size() / sizeof(float));
  std::memcpy(v.data(), b.data(), b.size());
  return v;
}

// GraphBuilder::node gives a node its first output; ops with more (Lstm's Y, Y_h, Y_c) get
// the others from the shape rule, as graph outputs too.
void add_other_outputs(ir::Graph& g) {
  const size_t n = g.nodes.size() - 1;
  auto infos = ir::find_op(g.nodes[n].op)->infer(g, g.nodes[n]);
  ASSERT_TRUE(infos.has_value()) << infos.error().message;
  for (size_t j = 1; j < infos->size(); ++j) {
    const ir::TensorId t = g.add_intermediate(g.nodes[n].name + "_out" + std::to_string(j),
                                              (*infos)[j].dtype, (*infos)[j].shape);
    g.tensor(t).kind = ir::TensorKind::kOutput;
    g.outputs.push_back(t);
    g.nodes[n].outputs.push_back(t);
  }
}

void check_case(const Case& c, int bits, uint32_t seed) {
  SCOPED_TRACE(std::string(c.op) + " " + std::to_string(bits) + "-bit");
  GraphBuilder b;
  std::vector<ir::TensorId> ids;
  std::vector<Bytes> codes, reals;  // per run-time input: HTP bytes, CPU reference bytes
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const In& in = c.inputs[i];
    const std::string name = "x" + std::to_string(i);
    const auto n = static_cast<size_t>(ir::num_elements(in.shape));
    if (in.dtype != DataType::kFloat32) {
      Bytes v = int_bytes(in.dtype, n, in.lo, in.hi, seed + static_cast<uint32_t>(i));
      if (in.is_static) {
        ids.push_back(b.g.add_static(name, in.dtype, in.shape, make_owned_blob(std::move(v))));
        continue;
      }
      ids.push_back(b.g.add_tensor({name, in.dtype, in.shape, ir::TensorKind::kInput, {}, {}}));
      b.g.inputs.push_back(ids.back());
      codes.push_back(v);
      reals.push_back(std::move(v));
      continue;
    }
    ir::Encoding e = quant::tf_encoding(in.lo, in.hi, bits);
    ids.push_back(b.input(name, in.shape, e));
    Bytes q = int_bytes(bits == 8 ? DataType::kUInt8 : DataType::kUInt16, n, 0, (1 << bits) - 1,
                        seed + static_cast<uint32_t>(i));
    std::vector<float> r;
    for (int32_t v : codes_of({name,
                               bits == 8 ? DataType::kUInt8 : DataType::kUInt16,
                               in.shape,
                               ir::TensorKind::kInput,
                               {},
                               {}},
                              q))
      r.push_back(static_cast<float>(quant::dequantize_value(v, e)));
    codes.push_back(std::move(q));
    reals.push_back(Bytes(reinterpret_cast<const std::byte*>(r.data()),
                          reinterpret_cast<const std::byte*>(r.data() + r.size())));
  }
  b.node(c.op, ids, std::nullopt, c.params);
  add_other_outputs(b.g);
  const std::vector<Bytes> want = run_cpu(b.g, reals);
  ASSERT_EQ(want.size(), b.g.outputs.size());
  for (size_t j = 0; j < want.size(); ++j) {
    ir::Tensor& out = b.g.tensor(b.g.outputs[j]);
    if (out.dtype != DataType::kFloat32) continue;
    const std::vector<float> y = as_floats(want[j]);  // min-max calibration of the output
    const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
    out.encoding = quant::tf_encoding(std::min(0.0f, *mn), std::max(*mx, 1e-3f), bits);
  }
  auto qg = finalize_graph(b.g);
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  for (KernelVariant v : {KernelVariant::kReference, KernelVariant::kFast})
    for (int threads : {1, 3}) {
      auto plan = make_plan(*qg, v, threads);
      ASSERT_TRUE(plan.has_value()) << plan.error().message;
      auto got = run_plan(**plan, codes);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      for (size_t j = 0; j < want.size(); ++j) {
        SCOPED_TRACE("output " + std::to_string(j));
        const ir::Tensor& t = (*plan)->outputs()[j];
        if (is_unquantized(t)) {
          EXPECT_EQ((*got)[j], want[j]) << "exact " << ir::dtype_name(t.dtype) << " output";
          continue;
        }
        const std::vector<float> y = as_floats(want[j]);
        const std::vector<int32_t> q = codes_of(t, (*got)[j]);
        ASSERT_EQ(q.size(), y.size());
        for (size_t i = 0; i < q.size(); ++i)
          ASSERT_EQ(q[i], quant::quantize_value(y[i], *t.encoding)) << "element " << i;
      }
    }
}

// Runs each case at 8 and 16 bits (where the op has the row), or once when it has no
// quantized tensor at all.
void check_cases(const std::vector<Case>& cases) {
  uint32_t seed = 7;
  for (const Case& c : cases)
    for (int bits : {8, 16}) {
      if (supports_op(c.op, "uint8") && !supports_op(c.op, bits == 8 ? "uint8" : "uint16"))
        continue;
      check_case(c, bits, seed++);
    }
}

ir::Params with(const char* key, int64_t v) {
  ir::Params p;
  p.set(key, v);
  return p;
}
ir::Params with(const char* key, std::vector<int64_t> v) {
  ir::Params p;
  p.set(key, std::move(v));
  return p;
}
ir::Params with(const char* key, const char* v) {
  ir::Params p;
  p.set(key, std::string(v));
  return p;
}

constexpr DataType kI = DataType::kInt32, kB = DataType::kBool;

TEST(HtpInt, IntegerArithmeticIsExact) {
  check_cases({
      {"ElementWiseAdd", {{{2, 3}, kI, -50, 50}, {{3}, kI, -50, 50}}},
      {"ElementWiseSubtract", {{{2, 3}, kI, -50, 50}, {{2, 3}, kI, -50, 50}}},
      {"ElementWiseMultiply", {{{4, 3}, kI, -50, 50}, {{4, 3}, kI, -50, 50}}},
      {"ElementWiseDivide", {{{4, 3}, kI, -50, 50}, {{4, 3}, kI, 1, 7}}},
      {"ElementWiseMod", {{{4, 3}, kI, -50, 50}, {{4, 3}, kI, 1, 7}}},
      {"ElementWiseMaximum", {{{4, 3}, kI, -50, 50}, {{3}, kI, -50, 50}}},
      {"ElementWiseMinimum", {{{4, 3}, kI, -50, 50}, {{4, 3}, kI, -50, 50}}},
      {"ElementWiseNeg", {{{4, 3}, kI, -50, 50}}},
      {"ElementWiseAbs", {{{4, 3}, kI, -50, 50}}},
      {"ElementWiseSign", {{{4, 3}, kI, -5, 5}}},
      {"ElementWiseBitwiseXor", {{{4, 3}, kI, -50, 50}, {{4, 3}, kI, -50, 50}}},
      {"ElementWiseShiftLeft", {{{4, 3}, kI, 0, 50}, {{4, 3}, kI, 0, 5}}},
      {"ElementWiseAdd", {{{2, 3}, kI, -50, 50}, {{3}, kI, -5, 5, true}}},  // static operand
      {"CumulativeSum", {{{3, 4}, kI, -50, 50}}, with("axis", int64_t{1})},
      {"ReduceMax", {{{3, 4}, kI, -50, 50}}, with("axes", std::vector<int64_t>{1})},
      {"ReduceSum", {{{3, 4}, kI, -50, 50}}, with("axes", std::vector<int64_t>{0})},
  });
}

TEST(HtpInt, ComparisonsLogicAndSelect) {
  check_cases({
      {"ElementWiseEqual", {{{3, 4}, kI, -2, 2}, {{3, 4}, kI, -2, 2}}},
      {"ElementWiseLess", {{{3, 4}}, {{4}}}},  // quantized inputs, bool out
      {"ElementWiseGreaterEqual", {{{3, 4}}, {{3, 4}, DataType::kFloat32, -1, 1}}},
      {"ElementWiseAnd", {{{3, 4}, kB}, {{3, 4}, kB}}},
      {"ElementWiseXor", {{{3, 4}, kB}, {{4}, kB}}},
      {"ElementWiseNot", {{{3, 4}, kB}}},
      {"ElementWiseSelect", {{{3, 4}, kB}, {{3, 4}}, {{3, 4}, DataType::kFloat32, -1, 2}}},
      {"ElementWiseSelect", {{{3, 4}, kB}, {{3, 4}, kI, -9, 9}, {{4}, kI, -9, 9}}},
  });
}

TEST(HtpInt, CastsDataMovementAndIndices) {
  check_cases({
      {"Cast", {{{3, 4}, DataType::kFloat32, -9, 9}}, with("to", "int32")},
      {"Cast", {{{3, 4}}}, with("to", "bool")},
      {"Cast", {{{3, 4}, kI, -9, 9}}, with("to", "float32")},
      {"Cast", {{{3, 4}, kB}}, with("to", "float32")},
      {"Transpose", {{{2, 3, 4}, kI, -9, 9}}, with("perm", std::vector<int64_t>{2, 0, 1})},
      {"Reshape", {{{2, 3, 4}, kB}}, with("shape", std::vector<int64_t>{4, 6})},
      {"ChannelShuffle", {{{2, 3, 6}, kI, -9, 9}}, with("num_groups", int64_t{2})},
      {"ChannelShuffle", {{{2, 4}, kB}}, with("num_groups", int64_t{2})},
      {"Concat", {{{2, 3}, kI, -9, 9}, {{2, 2}, kI, -9, 9}}, with("axis", int64_t{1})},
      {"Argmax", {{{3, 5}}}, with("axis", int64_t{1})},
      {"Argmin", {{{3, 5}, kI, -9, 9}}, with("axis", int64_t{0})},
      {"Gather", {{{5, 3}}, {{4}, kI, -5, 4, true}}, with("axis", int64_t{0})},
      {"Gather", {{{5, 3}, kI, -9, 9}, {{2, 2}, kI, 0, 2}}, with("axis", int64_t{1})},
      {"GatherElements", {{{3, 4}}, {{3, 2}, kI, -4, 3}}, with("axis", int64_t{1})},
      {"Trilu", {{{4, 5}, kI, -9, 9}}, with("upper", int64_t{1})},
      {"GatherNd", {{{3, 4}}, {{2, 1}, kI, 0, 2}}},
      {"ScatterElements", {{{3, 4}}, {{2, 4}, kI, 0, 2}, {{2, 4}}}, with("axis", int64_t{0})},
      {"ScatterElements",
       {{{3, 4}, kI, -9, 9}, {{3, 2}, kI, -4, 3}, {{3, 2}, kI, -9, 9}},
       with("axis", int64_t{1})},
      {"ScatterNd", {{{4, 3}}, {{2, 1}, kI, 0, 3, true}, {{2, 3}}}},
  });
}

TEST(HtpInt, FloatInsideOpsWithoutAnotherKernel) {
  auto one_hot = [](int64_t axis) {
    ir::Params p = with("depth", int64_t{5});
    p.set("axis", axis);
    p.set("on_value", 2.5);
    p.set("off_value", -0.5);
    return p;
  };
  ir::Params l2pool = with("filter_size", std::vector<int64_t>{3, 2});
  l2pool.set("stride", std::vector<int64_t>{2, 1});
  l2pool.set("pad_amount", std::vector<int64_t>{1, 1, 0, 1});
  check_cases({
      {"Hardmax", {{{3, 5}}}, with("axis", int64_t{1})},
      {"Trilu", {{{4, 5}}}},
      {"ReduceL1", {{{3, 4}}}, with("axes", std::vector<int64_t>{1})},
      {"ReduceL2", {{{3, 4}}}, with("axes", std::vector<int64_t>{1})},
      {"ReduceLogSum", {{{3, 4}, DataType::kFloat32, 0, 3}}, with("axes", std::vector<int64_t>{1})},
      {"ReduceLogSumExp", {{{3, 4}}}, with("axes", std::vector<int64_t>{0})},
      {"CumulativeSum", {{{3, 4}}}, with("axis", int64_t{0})},
      {"ReduceProd", {{{3, 4}, DataType::kFloat32, -2, 2}}, with("axes", std::vector<int64_t>{1})},
      {"ReduceSumSquare", {{{3, 4}}}, with("axes", std::vector<int64_t>{0})},
      {"ReduceProd", {{{3, 4}, kI, -3, 3}}, with("axes", std::vector<int64_t>{1})},
      {"ReduceSumSquare", {{{3, 4}, kI, -9, 9}}, with("axes", std::vector<int64_t>{0, 1})},
      {"OneHot", {{{2, 3}, kI, -5, 4}}, one_hot(1)},
      {"OneHot", {{{4}, kI, 0, 4}}, one_hot(0)},
      {"L2Pool2d", {{{1, 5, 6, 3}}}, l2pool},
  });
}

// The ops with a quantized coordinate operand (GridSample's grid, RoiAlign's boxes) and an
// int32 one (RoiAlign's batch indices, Lstm's and Gru's sequence_lens), float inside: the
// coordinates are dequantized inside, the integers pass through exactly.
TEST(HtpInt, CoordinatesAndIndicesFloatInside) {
  auto grid = [](const char* mode, const char* pad, int64_t align) {
    ir::Params p;
    p.set("mode", std::string(mode));
    p.set("padding_mode", std::string(pad));
    p.set("align_corners", align);
    return p;
  };
  ir::Params roi;
  roi.set("output_height", int64_t{2});
  roi.set("output_width", int64_t{3});
  roi.set("sampling_ratio", int64_t{2});
  ir::Params roi_max = roi;
  roi_max.set("mode", std::string("max"));
  roi_max.set("aligned", int64_t{1});
  ir::Params lstm;
  lstm.set("hidden_size", int64_t{3});
  lstm.set("activations", std::string("Sigmoid,Tanh,Tanh"));
  lstm.set("activation_alpha", std::vector<double>{0, 0, 0});
  lstm.set("activation_beta", std::vector<double>{0, 0, 0});
  ir::Params gru = lstm;
  gru.set("activations", std::string("Sigmoid,Tanh"));
  gru.set("activation_alpha", std::vector<double>{0, 0});
  gru.set("activation_beta", std::vector<double>{0, 0});
  const In image{{2, 5, 6, 3}}, points{{2, 4, 3, 2}, DataType::kFloat32, -1, 1};
  const In boxes{{4, 4}, DataType::kFloat32, 0, 6}, batch{{4}, kI, 0, 1};
  check_cases({
      {"GridSample", {image, points}, grid("bilinear", "zeros", 0)},
      {"GridSample", {image, points}, grid("nearest", "border", 1)},
      {"GridSample",
       {image, {{2, 2, 5, 2}, DataType::kFloat32, -2, 2}},
       grid("bilinear", "reflection", 0)},
      {"RoiAlign", {image, boxes, batch}, roi},
      {"RoiAlign", {image, boxes, batch}, roi_max},
      {"Lstm", {{{4, 2, 5}}, {{1, 12, 5}}, {{1, 12, 3}}, {{1, 24}}, {{2}, kI, 1, 4}}, lstm},
      {"Gru", {{{4, 2, 5}}, {{1, 9, 5}}, {{1, 9, 3}}, {{1, 18}}, {{2}, kI, 1, 4}}, gru},
  });
}

// An integer dtype the HTP does not run as plain values (uint8 here, int8/int16/uint16
// alike) is refused as unsupported: the CPU takes the node by fallback.
TEST(HtpInt, OtherIntegerDtypesAreUnsupported) {
  GraphBuilder b;
  ir::TensorId x = b.g.add_tensor({"x", DataType::kUInt8, {2, 3}, ir::TensorKind::kInput, {}, {}});
  b.g.inputs.push_back(x);
  b.node("ElementWiseNeg", {x}, std::nullopt);
  auto r = finalize_graph(b.g);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("'x'"), std::string::npos) << r.error().message;
}

// An int32 tensor on an op without an int32 row is refused as unsupported, naming the node.
TEST(HtpInt, IntegerTensorOnAnOpWithoutTheRowIsUnsupported) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3}, u8(-1, 1));
  ir::TensorId y = b.g.add_tensor({"y", kI, {2, 3}, ir::TensorKind::kInput, {}, {}});
  b.g.inputs.push_back(y);
  ASSERT_FALSE(supports_op("ElementWisePower", "int32"));
  b.node("ElementWisePower", {x, y}, u8(-1, 1));
  auto qg = finalize_graph(b.g);
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  auto plan = make_plan(*qg, KernelVariant::kReference, 1);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(plan.error().message.find("ElementWisePower"), std::string::npos);
}

// A plan with int32 and bool graph inputs and outputs: serialize, deserialize, and the
// reloaded plan gives the same bytes (the plan loader takes unquantized int32 / bool).
TEST(HtpInt, PlanWithIntegerTensorsRoundTrips) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {4, 3}, u8(-2, 2));
  ir::TensorId idx = b.g.add_tensor({"idx", kI, {3}, ir::TensorKind::kInput, {}, {}});
  b.g.inputs.push_back(idx);
  ir::TensorId rows = b.node("Gather", {x, idx}, std::nullopt, with("axis", int64_t{0}), false);
  b.node("Argmax", {rows}, std::nullopt, with("axis", int64_t{1}));
  b.node("ElementWiseGreater", {rows, b.constant("zero", {1}, {0.0f})}, std::nullopt);
  auto backend = create_backend("");
  ASSERT_TRUE(backend.has_value());
  auto plan = (*backend)->finalize(b.g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  std::vector<Bytes> in = {int_bytes(DataType::kUInt8, 12, 0, 255, 3), int_bytes(kI, 3, -4, 3, 4)};
  auto want = run_plan(**plan, in);
  ASSERT_TRUE(want.has_value()) << want.error().message;
  ASSERT_EQ((*plan)->outputs().size(), 2u);
  EXPECT_EQ((*plan)->outputs()[0].dtype, kI);
  EXPECT_EQ((*plan)->outputs()[1].dtype, kB);
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value());
  auto back = (*backend)->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  auto got = run_plan(**back, in);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_TRUE(*got == *want);
}

// A plan whose run-time tensor is an integer dtype the HTP does not run is refused on load.
TEST(HtpInt, DeserializeRefusesOtherIntegerTensors) {
  GraphBuilder b;
  ir::TensorId x = b.g.add_tensor({"x8", DataType::kInt8, {2, 3}, ir::TensorKind::kInput, {}, {}});
  b.g.inputs.push_back(x);
  b.node("ElementWiseNeg", {x}, std::nullopt);
  auto backend = create_backend("");
  ASSERT_TRUE(backend.has_value());
  auto r = (*backend)->deserialize(make_owned_blob(ir::serialize_graph(b.g)));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().message.find("'x8'"), std::string::npos) << r.error().message;
}

// A malformed parameter of a float-inside op is a bad-input error naming the node.
TEST(HtpInt, BadParametersNameTheNode) {
  for (const auto& [op, params] : std::vector<std::pair<const char*, ir::Params>>{
           {"Argmax", with("axis", int64_t{5})},
           {"CumulativeSum", with("axis", int64_t{-3})},
           {"Cast", with("to", "complex64")},
       }) {
    GraphBuilder b;
    ir::TensorId x = b.input("x", {2, 3}, u8(-1, 1));
    b.node(op, {x}, u8(-1, 1), params);
    auto qg = finalize_graph(b.g);
    ASSERT_FALSE(qg.has_value()) << op;
    EXPECT_EQ(qg.error().code, ErrorCode::kBadInput) << qg.error().message;
    EXPECT_NE(qg.error().message.find(b.g.nodes[0].name), std::string::npos) << qg.error().message;
  }
}

// The int32 / bool rows stay in step with the kernels that run them: float inside runs the
// CPU reference, so each such row needs the CPU row of the same dtype, or a CPU row whose
// constraints name the dtype for an operand of its own (RoiAlign's int32 batch_indices,
// Lstm's int32 sequence_lens). A "<dtype> codes" row (a Quantize's or Dequantize's integer
// codes, passed to the CPU reference as they are) needs the CPU row of that dtype.
TEST(HtpCapabilities, IntegerAndBoolRowsAreBackedByTheCpuReference) {
  int rows = 0;
  for (const auto& c : kCapabilities) {
    std::string dt = c.dtype;
    if (dt == "uint8" || dt == "uint16") continue;
    if (dt.ends_with(" codes")) {
      dt.resize(dt.size() - 6);
      ASSERT_TRUE(is_code_dtype(*ir::dtype_from_name(dt))) << c.op << " " << c.dtype;
      ASSERT_TRUE(std::string(c.op) == "Quantize" || std::string(c.op) == "Dequantize") << c.op;
    } else {
      ASSERT_TRUE(dt == "int32" || dt == "bool") << c.op << " " << dt;
    }
    bool cpu_row = false;
    for (const auto& d : cpu::capabilities())
      cpu_row =
          cpu_row || (std::string(d.op) == c.op &&
                      (dt == d.dtype || std::string(d.constraints).find(dt) != std::string::npos));
    EXPECT_TRUE(cpu_row) << c.op << " " << dt;
    ++rows;
  }
  EXPECT_GE(rows, 60);
}

}  // namespace
}  // namespace oqnn::htp::test
