// Quantize and Dequantize on the HTP (ONNX QuantizeLinear / DequantizeLinear, per tensor):
// over every input code, a Quantize writes the integer codes the CPU reference writes for
// the HTP's input (ties rounded to even, as onnxruntime; not the fixed-point requantizer's
// ties away from zero), and a Dequantize's output keeps its codes' encoding (the codes pass
// through; signed codes shift by 2^(bits-1)) or is requantized to an encoding given to it —
// on 8- and 16-bit inputs and codes of every dtype, reference and fast variants, 1 or 3
// threads. What the HTP cannot run exactly (per axis, no input encoding, codes read by other
// ops) is refused naming the node, so it falls back to the CPU.
#include <gtest/gtest.h>

#include "backends/htp/capabilities.h"
#include "backends/htp/htp_backend.h"
#include "backends/htp/quantize_graph.h"
#include "backends/htp/ref/qtensor.h"
#include "htp_test_util.h"
#include "ir/affine_quant.h"
#include "ir/int_values.h"
#include "ir/serialize.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

using ir::DataType;

ir::Params affine(double scale, int64_t zero_point, const char* dtype = nullptr) {
  ir::Params p;
  p.set("scale", std::vector<double>{scale});
  p.set("zero_point", std::vector<int64_t>{zero_point});
  if (dtype) p.set("dtype", std::string(dtype));
  return p;
}

// Every code of `dt` in order, from its lowest.
Bytes all_codes(DataType dt) {
  const int64_t lo = ir::dtype_min(dt), hi = ir::dtype_max(dt);
  Bytes b(static_cast<size_t>(hi - lo + 1) * ir::dtype_size(dt));
  for (int64_t q = lo; q <= hi; ++q) ir::store_int(dt, q, b.data() + (q - lo) * ir::dtype_size(dt));
  return b;
}

int64_t code_at(DataType dt, const Bytes& b, int64_t i) {
  return ir::load_int(dt, b.data() + i * ir::dtype_size(dt));
}

// Runs the finalized graph on `in` with both kernel variants and 1 and 3 threads; the four
// runs must agree byte for byte; returns the first output.
Bytes run_all_ways(const ir::Graph& q, const std::vector<Bytes>& in) {
  Bytes first;
  for (KernelVariant v : {KernelVariant::kReference, KernelVariant::kFast})
    for (int threads : {1, 3}) {
      auto plan = make_plan(q, v, threads);
      EXPECT_TRUE(plan.has_value()) << plan.error().message;
      if (!plan) return {};
      auto out = run_plan(**plan, in);
      EXPECT_TRUE(out.has_value()) << out.error().message;
      if (!out) return {};
      if (first.empty()) first = (*out)[0];
      EXPECT_EQ((*out)[0], first);
    }
  return first;
}

struct QuantizeCase {
  ir::Encoding in;
  double scale;
  int64_t zero_point;
  const char* dtype;
};

TEST(HtpQuantize, CodesAreTheCpuReferenceForEveryInputCode) {
  const QuantizeCase cases[] = {
      // x on a 0.125 grid, Quantize at 0.25: every odd code is a tie (x / scale on .5).
      {quant::encoding_from_scale_offset(0.125, -128, 8, false), 0.25, 128, "uint8"},
      {quant::encoding_from_scale_offset(0.125, -128, 8, false), 0.5, -3, "int8"},
      {u8(-1.0, 3.0), 0.01, 30000, "uint16"},
      {u8(-2.0, 2.0), 0.003, -100, "int16"},
      {u16(-1.0, 1.0), 0.01, 17, "uint8"},  // saturates at both ends
      {u16(-5.0, 7.0), 0.02, 5, "int8"},
      {u16(-0.5, 0.5), 1e-5, 0, "int16"},
  };
  int ties = 0;
  for (const QuantizeCase& c : cases) {
    GraphBuilder b;
    const DataType in_dt = c.in.bitwidth == 8 ? DataType::kUInt8 : DataType::kUInt16;
    const int64_t count = ir::dtype_max(in_dt) + 1;
    ir::TensorId x = b.input("x", {count}, c.in);
    b.node("Quantize", {x}, std::nullopt, affine(c.scale, c.zero_point, c.dtype));
    auto q = finalize_graph(b.g);
    ASSERT_TRUE(q.has_value()) << q.error().message;
    const ir::Tensor& y = q->tensor(q->outputs[0]);
    EXPECT_TRUE(is_integer_codes(y)) << c.dtype;
    EXPECT_EQ(ir::dtype_name(y.dtype), std::string(c.dtype));
    const Bytes out = run_all_ways(*q, {all_codes(in_dt)});
    ASSERT_EQ(out.size(), static_cast<size_t>(count) * ir::dtype_size(y.dtype));
    const auto scale = static_cast<float>(c.scale);
    for (int64_t code = 0; code < count; ++code) {
      // What the CPU is given at the boundary (the HTP's code, dequantized to float32) and
      // what its kernel writes for it.
      const auto real =
          static_cast<float>(quant::dequantize_value(static_cast<int32_t>(code), c.in));
      const int64_t want = ir::quantize_affine(real, scale, c.zero_point, ir::dtype_min(y.dtype),
                                               ir::dtype_max(y.dtype));
      ASSERT_EQ(code_at(y.dtype, out, code), want) << c.dtype << " code " << code;
      const float r = real / scale;
      ties += r - std::floor(r) == 0.5f ? 1 : 0;
    }
  }
  EXPECT_GE(ties, 100);  // ties to even, where a requantizer would round away from zero
}

TEST(HtpDequantize, OutputKeepsTheCodesEncodingAndPassesThemThrough) {
  for (auto [dt, zp] : std::vector<std::pair<DataType, int64_t>>{{DataType::kUInt8, 7},
                                                                 {DataType::kInt8, -4},
                                                                 {DataType::kUInt16, 40000},
                                                                 {DataType::kInt16, 123}}) {
    GraphBuilder b;
    const int64_t count = ir::dtype_max(dt) - ir::dtype_min(dt) + 1;
    ir::TensorId x = b.g.add_tensor({"codes", dt, {count}, ir::TensorKind::kInput, {}, {}});
    b.g.inputs.push_back(x);
    b.node("Dequantize", {x}, std::nullopt, affine(0.1, zp));
    auto q = finalize_graph(b.g);
    ASSERT_TRUE(q.has_value()) << q.error().message;
    const ir::Tensor& y = q->tensor(q->outputs[0]);
    ASSERT_TRUE(y.encoding.has_value());
    const int half = dt == DataType::kInt8 ? 128 : dt == DataType::kInt16 ? 32768 : 0;
    // The unsigned form of (0.1, -zp): signed codes move up by half, the offset down.
    EXPECT_EQ(y.encoding->scale, std::vector<double>{static_cast<double>(0.1f)});
    EXPECT_EQ(y.encoding->offset, std::vector<int32_t>{static_cast<int32_t>(-zp - half)});
    const Bytes in = all_codes(dt);
    const Bytes out = run_all_ways(*q, {in});
    for (int64_t i = 0; i < count; ++i) {
      const int64_t code = code_at(dt, in, i);
      ASSERT_EQ(code_at(y.dtype, out, i), code + half);
      // The float the runtime reads back is the CPU's (onnxruntime's) bit for bit.
      const auto got = static_cast<float>(
          quant::dequantize_value(static_cast<int32_t>(code + half), *y.encoding));
      ASSERT_EQ(got, ir::dequantize_affine(code, 0.1f, zp)) << code;
    }
  }
}

TEST(HtpDequantize, RequantizesToAnEncodingGivenToItsOutput) {
  GraphBuilder b;
  ir::TensorId x =
      b.g.add_tensor({"codes", DataType::kUInt8, {256}, ir::TensorKind::kInput, {}, {}});
  b.g.inputs.push_back(x);
  const ir::Encoding out_enc = u8(-3.0, 10.0);
  b.node("Dequantize", {x}, out_enc, affine(0.05, 60));
  for (bool widen : {false, true}) {
    auto q = finalize_graph(b.g, widen);
    ASSERT_TRUE(q.has_value()) << q.error().message;
    const ir::Tensor& y = q->tensor(q->outputs[0]);
    const Bytes out = run_all_ways(*q, {all_codes(DataType::kUInt8)});
    for (int64_t code = 0; code < 256; ++code) {
      const float real = ir::dequantize_affine(code, 0.05f, 60);
      ASSERT_EQ(code_at(y.dtype, out, code), quant::quantize_value(real, *y.encoding)) << code;
    }
  }
}

TEST(HtpQuantize, WhatTheHtpCannotRunExactlyIsRefusedNamingTheNode) {
  {  // per axis
    GraphBuilder b;
    ir::TensorId x = b.input("x", {2, 3}, u8(-1, 1));
    ir::Params p;
    p.set("scale", std::vector<double>{0.1, 0.2, 0.3});
    p.set("zero_point", std::vector<int64_t>{0, 1, 2});
    p.set("axis", int64_t{1});
    p.set("dtype", std::string("uint8"));
    b.node("Quantize", {x}, std::nullopt, p);
    auto q = finalize_graph(b.g);
    ASSERT_FALSE(q.has_value());
    EXPECT_EQ(q.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(q.error().message.find("'Quantize"), std::string::npos) << q.error().message;
  }
  {  // no encoding on the input: the cpu quantizes the floats
    GraphBuilder b;
    ir::TensorId x = b.input("x", {4}, std::nullopt);
    b.node("Quantize", {x}, std::nullopt, affine(0.1, 0, "uint8"));
    auto q = finalize_graph(b.g);
    ASSERT_FALSE(q.has_value());
    EXPECT_EQ(q.error().code, ErrorCode::kUnsupported) << q.error().message;
    EXPECT_NE(q.error().message.find(b.g.nodes[0].name), std::string::npos);
  }
  {  // the codes read by another op, on the HTP and in a plan from a file
    GraphBuilder b;
    ir::TensorId x = b.input("x", {4}, u8(-1, 1));
    ir::TensorId c = b.node("Quantize", {x}, std::nullopt, affine(0.1, 0, "uint8"), false);
    ir::Params shape;
    shape.set("shape", std::vector<int64_t>{2, 2});
    b.node("Reshape", {c}, std::nullopt, shape);
    auto q = finalize_graph(b.g);
    ASSERT_FALSE(q.has_value());
    EXPECT_EQ(q.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(q.error().message.find(b.g.nodes[1].name), std::string::npos) << q.error().message;
    auto backend = create_backend("");
    ASSERT_TRUE(backend.has_value());
    auto r = (*backend)->deserialize(make_owned_blob(ir::serialize_graph(b.g)));
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput) << r.error().message;
  }
}

// A context binary's plan rebuilds the same tables: same bytes after a round trip.
TEST(HtpQuantize, SerializedPlanGivesTheSameCodes) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {256}, u8(-2, 2));
  ir::TensorId c = b.node("Quantize", {x}, std::nullopt, affine(0.02, -5, "int8"));
  b.node("Dequantize", {c}, std::nullopt, affine(0.02, -5));
  auto q = finalize_graph(b.g);
  ASSERT_TRUE(q.has_value()) << q.error().message;
  auto backend = create_backend("");
  ASSERT_TRUE(backend.has_value());
  auto plan = (*backend)->finalize(b.g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value());
  auto again = (*backend)->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  const std::vector<Bytes> in{all_codes(DataType::kUInt8)};
  auto a = run_plan(**plan, in), r = run_plan(**again, in);
  ASSERT_TRUE(a.has_value() && r.has_value());
  EXPECT_EQ(*a, *r);
  EXPECT_EQ((*a)[0], run_all_ways(*q, in));
}

}  // namespace
}  // namespace oqnn::htp::test
