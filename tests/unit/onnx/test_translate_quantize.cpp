// QuantizeLinear / DequantizeLinear: a QDQ model's constant int8 weight and int32 bias,
// each behind a DequantizeLinear, fold at import into float weights the Conv sees as
// static (per channel and per tensor); activation Q/DQ become Quantize / Dequantize with
// their parameters; bad parameters are exit-1 errors naming the node.
#include <cstring>

#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

template <class T>
::onnx::TensorProto& init_raw(ModelBuilder& b, const std::string& name, int type,
                              const std::vector<int64_t>& shape, const std::vector<T>& v) {
  auto* t = b.model.mutable_graph()->add_initializer();
  t->set_name(name);
  t->set_data_type(type);
  for (int64_t d : shape) t->add_dims(d);
  std::string raw(v.size() * sizeof(T), '\0');
  std::memcpy(raw.data(), v.data(), raw.size());
  t->set_raw_data(raw);
  return *t;
}

using QuantizeImport = ImporterTest;

// x -> Q -> DQ -> Conv(DQ(w int8, per channel), DQ(b int32)) -> y
ModelBuilder qdq_conv(int64_t opset, bool per_channel) {
  ModelBuilder b(opset);
  b.input("x", {1, 2, 3, 3});
  b.init_f32("x_scale", {}, {0.05f});
  init_raw<uint8_t>(b, "x_zp", ::onnx::TensorProto::UINT8, {}, {128});
  b.node("QuantizeLinear", {"x", "x_scale", "x_zp"}, {"xq"}, "x_q");
  b.node("DequantizeLinear", {"xq", "x_scale", "x_zp"}, {"xd"}, "x_dq");
  std::vector<int8_t> w(2 * 2 * 1 * 1);
  for (size_t i = 0; i < w.size(); ++i) w[i] = static_cast<int8_t>(static_cast<int>(i) * 37 - 60);
  init_raw<int8_t>(b, "w_q", ::onnx::TensorProto::INT8, {2, 2, 1, 1}, w);
  if (per_channel) {
    b.init_f32("w_scale", {2}, {0.5f, 0.25f});
    init_raw<int8_t>(b, "w_zp", ::onnx::TensorProto::INT8, {2}, {0, 0});
  } else {
    b.init_f32("w_scale", {}, {0.5f});
    init_raw<int8_t>(b, "w_zp", ::onnx::TensorProto::INT8, {}, {0});
  }
  auto& wdq = b.node("DequantizeLinear", {"w_q", "w_scale", "w_zp"}, {"w"}, "w_dq");
  set_attr(wdq, "axis", int64_t{0});
  init_raw<int32_t>(b, "b_q", ::onnx::TensorProto::INT32, {2}, {1000, -7});
  b.init_f32("b_scale", {}, {0.001f});
  b.node("DequantizeLinear", {"b_q", "b_scale"}, {"bias"}, "b_dq");
  set_attr(b.node("Conv", {"xd", "w", "bias"}, {"y"}, "conv"), "kernel_shape",
           std::vector<int64_t>{1, 1});
  b.output("y");
  return b;
}

TEST_F(QuantizeImport, QdqWeightsFoldIntoStaticFloatWeights) {
  for (int64_t opset : {13, 19, 21})
    for (bool per_channel : {true, false}) {
      auto g = import(qdq_conv(opset, per_channel));
      ASSERT_TRUE(g.has_value()) << g.error().message;
      const ir::Node& conv = node_of(*g, "Conv2d");
      const ir::Tensor& w = g->tensor(conv.inputs[1]);
      ASSERT_TRUE(w.is_static());
      ASSERT_EQ(w.dtype, ir::DataType::kFloat32);
      // [kh, kw, cin, cout] = [1, 1, 2, 2]: element (ci, co) is q[co][ci] * scale[co].
      std::vector<float> got = static_floats(*g, conv.inputs[1]);
      for (int co = 0; co < 2; ++co)
        for (int ci = 0; ci < 2; ++ci) {
          float s = per_channel && co == 1 ? 0.25f : 0.5f;
          EXPECT_EQ(got[static_cast<size_t>(ci * 2 + co)],
                    static_cast<float>((co * 2 + ci) * 37 - 60) * s)
              << "opset " << opset << " co " << co << " ci " << ci;
        }
      EXPECT_EQ(static_floats(*g, conv.inputs[2]),
                (std::vector<float>{1000 * 0.001f, -7 * 0.001f}));
      const ir::Node& q = node_of(*g, "Quantize");
      EXPECT_EQ(q.params.get_string("dtype"), "uint8");
      EXPECT_EQ(q.params.get_ints("zero_point"), std::vector<int64_t>{128});
      EXPECT_FALSE(q.params.has("axis"));
      EXPECT_EQ(g->tensor(q.outputs[0]).dtype, ir::DataType::kUInt8);
      const ir::Node& dq = node_of(*g, "Dequantize");
      EXPECT_EQ(dq.params.get_floats("scale"), std::vector<double>{0.05f});
    }
}

TEST_F(QuantizeImport, OutputDtypeAndDefaultZeroPoint) {
  ModelBuilder b(21);
  b.input("x", {2, 3});
  b.init_f32("s", {3}, {1.0f, 2.0f, 4.0f});
  auto& q = b.node("QuantizeLinear", {"x", "s"}, {"y"}, "q");
  set_attr(q, "output_dtype", int64_t{::onnx::TensorProto::INT16});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& n = node_of(*g, "Quantize");
  EXPECT_EQ(n.params.get_string("dtype"), "int16");
  EXPECT_EQ(n.params.get_int("axis"), 1);
  EXPECT_EQ(n.params.get_ints("zero_point"), (std::vector<int64_t>{0, 0, 0}));
}

TEST_F(QuantizeImport, BadParametersAreErrorsNamingTheNode) {
  struct Case {
    std::vector<int64_t> scale_shape;
    std::vector<float> scale;
    int64_t axis;
    const char* fragment;
  };
  const Case cases[] = {
      {{}, {0.0f}, 1, "positive finite"},    {{}, {-0.5f}, 1, "positive finite"},
      {{4}, {1, 1, 1, 1}, 1, "needs 3"},     {{3}, {1, 1, 1}, 5, "out of range"},
      {{3, 1}, {1, 1, 1}, 1, "must be 1-D"},
  };
  for (const Case& c : cases) {
    ModelBuilder b(13);
    b.input("x", {2, 3});
    b.init_f32("s", c.scale_shape, c.scale);
    set_attr(b.node("QuantizeLinear", {"x", "s"}, {"y"}, "bad_q"), "axis", c.axis);
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value()) << c.fragment;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find("bad_q"), std::string::npos) << g.error().message;
    EXPECT_NE(g.error().message.find(c.fragment), std::string::npos) << g.error().message;
  }
  // A zero point outside its type, on a folded constant too.
  ModelBuilder b(13);
  init_raw<int32_t>(b, "q", ::onnx::TensorProto::INT32, {2}, {1, 2});
  b.init_f32("s", {}, {0.5f});
  init_raw<int8_t>(b, "zp", ::onnx::TensorProto::INT8, {}, {1});
  b.node("DequantizeLinear", {"q", "s", "zp"}, {"y"}, "bad_dq");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("bad_dq"), std::string::npos) << g.error().message;
}

TEST_F(QuantizeImport, RunTimeScaleIsUnsupported) {
  ModelBuilder b(13);
  b.input("x", {2, 3});
  b.input("s", {1});
  b.node("QuantizeLinear", {"x", "s"}, {"y"}, "dyn_q");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(g.error().message.find("dyn_q"), std::string::npos) << g.error().message;
}

TEST_F(QuantizeImport, Int4AndFloat8AreUnsupportedNamingTheNode) {
  for (int type : {22 /* INT4 */, 17 /* FLOAT8E4M3FN */}) {
    ModelBuilder b(21);
    init_raw<uint8_t>(b, "w4", type, {4}, {0x12, 0x34, 0x56, 0x78});
    b.init_f32("s", {}, {0.5f});
    b.node("DequantizeLinear", {"w4", "s"}, {"y"}, "w4_dq");
    b.output("y");
    auto g = import(b);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kUnsupported) << g.error().message;
    EXPECT_NE(g.error().message.find("'w4_dq' (DequantizeLinear)"), std::string::npos)
        << g.error().message;
    EXPECT_NE(g.error().message.find(type == 22 ? "INT4" : "FLOAT8E4M3FN"), std::string::npos)
        << g.error().message;
  }
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
