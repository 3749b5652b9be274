// HTP finalize, graph half: encodings checks, activation retyping, static operand
// quantization by role, and the capability table.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/cpu/kernel_registry.h"
#include "backends/htp/capabilities.h"
#include "backends/htp/quantize_graph.h"
#include "htp_test_util.h"
#include "ir/op_def.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

ir::Params conv_params() {
  ir::Params p;
  p.set("pad_amount", std::vector<int64_t>{1, 1, 1, 1});
  return p;
}

TEST(HtpFinalize, MissingEncodingsListTensorsAndBothFixes) {
  GraphBuilder b;
  ir::TensorId x = b.input("input", {1, 4, 4, 2}, std::nullopt);
  for (int i = 0; i < 6; ++i) {
    ir::Params p;
    x = b.node("Relu", {x}, std::nullopt, p, i == 5);
  }
  auto r = finalize_graph(b.g);
  ASSERT_FALSE(r.has_value());
  const Error& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kBadInput);
  EXPECT_NE(e.message.find("7 tensors"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("'input'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("'Relu_out'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("and 2 more"), std::string::npos) << e.message;
  ASSERT_EQ(e.hints.size(), 2u);
  EXPECT_NE(e.hints[0].find("--input_list"), std::string::npos);
  EXPECT_NE(e.hints[0].find("qnn-context-binary-generator"), std::string::npos);
  EXPECT_NE(e.hints[1].find("--quantization_overrides"), std::string::npos);
}

TEST(HtpFinalize, OneMissingEncodingIsNamed) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3}, u8(0, 1));
  b.node("Sigmoid", {x}, std::nullopt);
  auto r = finalize_graph(b.g);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("1 tensor has no quantization encoding: 'Sigmoid_out'"),
            std::string::npos)
      << r.error().message;
}

TEST(HtpFinalize, ValuePreservingOpsShareTheirInputEncoding) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3, 4}, u8(-1, 1));
  ir::Params p;
  p.set("shape", std::vector<int64_t>{6, 4});
  b.node("Reshape", {x}, std::nullopt, p);
  auto r = finalize_graph(b.g);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(*r->tensor(r->outputs[0]).encoding, *r->tensor(r->inputs[0]).encoding);
}

TEST(HtpFinalize, ActivationsBecomeUnsignedCodesOverTheSameRange) {
  GraphBuilder b;
  ir::Encoding signed_enc = quant::encoding_from_scale_offset(0.02, 10, 8, true);
  ir::TensorId x = b.input("x", {1, 8}, signed_enc);
  b.node("Relu", {x}, u16(0, 3));
  auto r = finalize_graph(b.g);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const ir::Tensor& in = r->tensor(r->inputs[0]);
  EXPECT_EQ(in.dtype, ir::DataType::kUInt8);
  EXPECT_FALSE(in.encoding->is_signed);
  EXPECT_DOUBLE_EQ(in.encoding->min(), signed_enc.min());
  EXPECT_DOUBLE_EQ(in.encoding->max(), signed_enc.max());
  EXPECT_EQ(r->tensor(r->outputs[0]).dtype, ir::DataType::kUInt16);
}

TEST(HtpFinalize, Int16PrecisionWidensEightBitActivations) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {1, 8}, u8(-1.8, 0.5));
  b.node("Relu", {x}, u8(0, 0.5));
  auto r = finalize_graph(b.g, /*widen16=*/true);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const ir::Tensor& in = r->tensor(r->inputs[0]);
  const ir::Encoding orig = u8(-1.8, 0.5);
  EXPECT_EQ(in.dtype, ir::DataType::kUInt16);
  EXPECT_EQ(in.encoding->bitwidth, 16);
  EXPECT_EQ(in.encoding->offset[0], orig.offset[0] * 257);
  EXPECT_NEAR(in.encoding->min(), orig.min(), 1e-12);
  EXPECT_NEAR(in.encoding->max(), orig.max(), 1e-12);
}

TEST(HtpFinalize, WeightsWithoutEncodingGetInt8SymmetricAndBiasInt32) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {1, 4, 4, 2}, u8(-1, 1));
  std::vector<float> wv = random_floats(3 * 3 * 2 * 4, -0.8f, 0.6f, 1);
  wv[5] = -0.9f;
  ir::TensorId w = b.constant("w", {3, 3, 2, 4}, wv);
  ir::TensorId bias = b.constant("b", {4}, {0.5f, -0.25f, 0.0f, 1.0f});
  b.node("Conv2d", {x, w, bias}, u8(-2, 2), conv_params());
  auto r = finalize_graph(b.g);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const ir::Tensor& wq = r->tensor(*r->find_tensor("w"));
  EXPECT_EQ(wq.dtype, ir::DataType::kInt8);
  ASSERT_TRUE(wq.encoding.has_value());
  EXPECT_TRUE(wq.encoding->symmetric);
  EXPECT_FALSE(wq.encoding->per_axis());
  const double ws = static_cast<double>(0.9f) / 127.0;  // absmax / 127
  EXPECT_DOUBLE_EQ(wq.encoding->scale[0], ws);
  auto codes = wq.values<int8_t>();
  for (size_t i = 0; i < wv.size(); ++i)
    EXPECT_EQ(codes[i], static_cast<int8_t>(std::round(wv[i] / ws))) << i;
  EXPECT_EQ(codes[5], -127);

  const ir::Tensor& bq = r->tensor(*r->find_tensor("b"));
  EXPECT_EQ(bq.dtype, ir::DataType::kInt32);
  const double s = r->tensor(r->inputs[0]).encoding->scale[0] * wq.encoding->scale[0];
  EXPECT_DOUBLE_EQ(bq.encoding->scale[0], s);
  EXPECT_EQ(bq.encoding->offset[0], 0);
  EXPECT_EQ(bq.values<int32_t>()[0], static_cast<int32_t>(std::round(0.5 / s)));
  EXPECT_EQ(bq.values<int32_t>()[1], static_cast<int32_t>(std::round(-0.25 / s)));
}

TEST(HtpFinalize, PerChannelWeightsGivePerChannelBias) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {3, 5}, u8(-1, 1));
  std::vector<float> wv = random_floats(4 * 5, -1.0f, 1.0f, 2);
  ir::TensorId w = b.constant("w", {4, 5}, wv, per_channel_encoding({4, 5}, wv, 0));
  ir::TensorId bias = b.constant("b", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
  b.node("FullyConnected", {x, w, bias}, u8(-3, 3));
  auto r = finalize_graph(b.g);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const ir::Tensor& wq = r->tensor(*r->find_tensor("w"));
  const ir::Tensor& bq = r->tensor(*r->find_tensor("b"));
  ASSERT_EQ(bq.encoding->axis, 0);
  ASSERT_EQ(bq.encoding->scale.size(), 4u);
  const double sx = r->tensor(r->inputs[0]).encoding->scale[0];
  for (size_t c = 0; c < 4; ++c)
    EXPECT_DOUBLE_EQ(bq.encoding->scale[c], sx * wq.encoding->scale[c]);
}

TEST(HtpFinalize, SharedStaticTensorIsCopiedWhenRolesNeedDifferentEncodings) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 4}, u8(-1, 1));
  ir::TensorId w = b.constant("w", {4, 4}, random_floats(16, -1.0f, 1.0f, 3));
  ir::TensorId bias = b.constant("shared_bias", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
  ir::TensorId y = b.node("FullyConnected", {x, w, bias}, u8(-5, 5), {}, false);
  b.node("FullyConnected", {y, w, bias}, u8(-9, 9));
  auto r = finalize_graph(b.g);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const ir::TensorId b0 = r->nodes[0].inputs[2], b1 = r->nodes[1].inputs[2];
  EXPECT_NE(b0, b1);
  EXPECT_EQ(r->nodes[0].inputs[1], r->nodes[1].inputs[1]);  // the weight is shared as is
  EXPECT_NE(r->tensor(b0).encoding->scale[0], r->tensor(b1).encoding->scale[0]);
}

TEST(HtpFinalize, StaticOperandsGetTfEncodings) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 3}, u8(-1, 1));
  b.node("ElementWiseAdd", {x, b.constant("c", {3}, {-0.5f, 0.25f, 2.0f})}, u8(-2, 3));
  auto r = finalize_graph(b.g);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  const ir::Tensor& c = r->tensor(*r->find_tensor("c"));
  EXPECT_EQ(c.dtype, ir::DataType::kUInt8);
  EXPECT_EQ(*c.encoding, quant::tf_encoding(-0.5, 2.0, 8));
}

TEST(HtpFinalize, RejectsWhatHtpCannotRun) {
  {
    GraphBuilder b;  // per-axis activation encoding
    ir::Encoding e{8, false, false, 1, {0.1, 0.2, 0.3}, {0, 0, 0}};
    ir::TensorId x = b.input("x", {2, 3}, e);
    b.node("Relu", {x}, u8(0, 1));
    auto r = finalize_graph(b.g);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(r.error().message.find("'x'"), std::string::npos);
  }
  {
    GraphBuilder b;  // 4-bit activations
    ir::TensorId x = b.input("x", {2, 3}, quant::tf_encoding(0, 1, 4));
    b.node("Relu", {x}, u8(0, 1));
    auto r = finalize_graph(b.g);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  }
  {
    GraphBuilder b;  // per-channel weight on the wrong axis
    ir::TensorId x = b.input("x", {1, 3}, u8(0, 1));
    std::vector<float> wv = random_floats(6, -1, 1, 4);
    ir::TensorId w = b.constant("w", {2, 3}, wv, per_channel_encoding({2, 3}, wv, 1));
    b.node("FullyConnected", {x, w}, u8(-1, 1));
    auto r = finalize_graph(b.g);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(r.error().message.find("'w'"), std::string::npos) << r.error().message;
  }
  {
    GraphBuilder b;  // a zero scale
    ir::TensorId x = b.input("x", {1, 3}, quant::encoding_from_scale_offset(0.0, 0, 8, false));
    b.node("Relu", {x}, u8(0, 1));
    auto r = finalize_graph(b.g);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  }
}

// Ops the HTP does not run natively fall back to the CPU (DESIGN: heterogeneous plans); the
// ones it does run have a uint8 row, and a uint16 one except where QNN's HTP has no 16-bit
// kernel (float-inside ops marked 8-bit only in capabilities.h) — all but the ops that
// touch no float tensor at all (logic, bitwise, shifts: the CPU runs them on no float).
TEST(HtpCapabilities, EveryNativeOpInBothActivationTypes) {
  for (const auto& c : kCapabilities) {
    bool cpu_float = false;
    for (const auto& d : cpu::capabilities())
      cpu_float = cpu_float || (std::string(d.op) == c.op && std::string(d.dtype) == "float32");
    if (!cpu_float) continue;
    ASSERT_NE(ir::find_op(c.op), nullptr) << c.op;
    bool u8_row = false, u16_row = false;
    for (const auto& d : kCapabilities) {
      if (std::string(d.op) != c.op) continue;
      u8_row = u8_row || std::string(d.dtype) == "uint8";
      u16_row = u16_row || std::string(d.dtype) == "uint16";
    }
    // 8-bit only where QNN's HTP is (qnn-ops.tsv: htp_int16 NO).
    const std::string op = c.op;
    bool eight_bit_only = op == "Lrn" || op == "Lstm" || op == "ElementWiseAsin" || op == "NonZero";
    EXPECT_TRUE(u8_row && (u16_row || eight_bit_only)) << c.op;
  }
}

}  // namespace
}  // namespace oqnn::htp::test
