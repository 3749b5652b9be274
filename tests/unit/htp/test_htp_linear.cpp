// Conv2d, DepthWiseConv2d, FullyConnected and MatMul against the float simulation (within
// one output step), over a table of shapes and quantization choices.
#include <gtest/gtest.h>

#include "sim_check.h"

namespace oqnn::htp::test {
namespace {

enum class WeightQ { kNone, kPerTensor, kPerChannel, kUInt8Offset127 };

struct ConvCase {
  const char* name;
  ir::Shape x, w;  // NHWC, HWIO
  std::vector<int64_t> stride, dilation, pad;
  int64_t group;
  bool depthwise;
  WeightQ wq;
  const char* act;  // "", "relu", "clip"
  int bits;
};

ir::Encoding uint8_offset_127(const std::vector<float>& w) {
  // The seed override's form: uint8, zero point 127 (offset -127), symmetric range.
  double m = 1e-6;
  for (float v : w) m = std::max(m, static_cast<double>(std::fabs(v)));
  return quant::encoding_from_scale_offset(m / 127.0, -127, 8, false);
}

std::optional<ir::Encoding> weight_encoding(WeightQ q, const ir::Shape& s,
                                            const std::vector<float>& w, int axis) {
  switch (q) {
    case WeightQ::kNone:
      return std::nullopt;
    case WeightQ::kPerTensor: {
      auto [lo, hi] = std::minmax_element(w.begin(), w.end());
      return quant::symmetric_encoding(*lo, *hi, 8);
    }
    case WeightQ::kPerChannel:
      return per_channel_encoding(s, w, axis);
    case WeightQ::kUInt8Offset127:
      return uint8_offset_127(w);
  }
  return std::nullopt;
}

ir::Graph conv_graph(const ConvCase& c, uint32_t seed) {
  GraphBuilder b;
  auto enc = c.bits == 8 ? u8(-1.0, 2.0) : u16(-1.0, 2.0);
  ir::TensorId x = b.input("x", c.x, enc);
  auto wv = random_floats(static_cast<size_t>(ir::num_elements(c.w)), -0.5f, 0.5f, seed);
  ir::TensorId w = b.constant("w", c.w, wv, weight_encoding(c.wq, c.w, wv, 3));
  ir::TensorId bias = b.constant("b", {c.w[3]}, random_floats(c.w[3], -0.3f, 0.3f, seed + 1));
  ir::Params p;
  p.set("stride", c.stride);
  p.set("dilation", c.dilation);
  p.set("pad_amount", c.pad);
  if (!c.depthwise) p.set("group", c.group);
  if (std::string(c.act) != "") p.set("fused_activation", std::string(c.act));
  if (std::string(c.act) == "clip") {
    p.set("clip_min", -0.25);
    p.set("clip_max", 0.5);
  }
  b.node(c.depthwise ? "DepthWiseConv2d" : "Conv2d", {x, w, bias}, std::nullopt, p);
  calibrate(b.g, c.bits, seed);
  return b.g;
}

const ConvCase kConvCases[] = {
    {"3x3_pad1_relu",
     {1, 9, 9, 3},
     {3, 3, 3, 8},
     {1, 1},
     {1, 1},
     {1, 1, 1, 1},
     1,
     false,
     WeightQ::kNone,
     "relu",
     8},
    {"stride2_asym_pad",
     {2, 10, 7, 4},
     {3, 2, 4, 5},
     {2, 2},
     {1, 1},
     {1, 0, 0, 1},
     1,
     false,
     WeightQ::kPerTensor,
     "",
     8},
    {"dilated_per_channel",
     {1, 12, 12, 6},
     {3, 3, 6, 7},
     {1, 1},
     {2, 2},
     {2, 2, 2, 2},
     1,
     false,
     WeightQ::kPerChannel,
     "clip",
     8},
    {"grouped",
     {1, 6, 6, 8},
     {1, 3, 2, 8},
     {1, 2},
     {1, 1},
     {0, 0, 1, 1},
     4,
     false,
     WeightQ::kPerChannel,
     "",
     8},
    {"uint8_weights_offset_127",
     {1, 5, 5, 16},
     {1, 1, 16, 4},
     {1, 1},
     {1, 1},
     {0, 0, 0, 0},
     1,
     false,
     WeightQ::kUInt8Offset127,
     "relu",
     8},
    {"act16",
     {1, 7, 7, 5},
     {3, 3, 5, 6},
     {1, 1},
     {1, 1},
     {1, 1, 1, 1},
     1,
     false,
     WeightQ::kPerChannel,
     "",
     16},
    {"depthwise",
     {1, 9, 8, 6},
     {3, 3, 1, 6},
     {1, 1},
     {1, 1},
     {1, 1, 1, 1},
     1,
     true,
     WeightQ::kPerChannel,
     "relu",
     8},
    {"depthwise_mult2_stride2",
     {2, 8, 8, 3},
     {3, 3, 1, 6},
     {2, 2},
     {1, 1},
     {0, 1, 0, 1},
     1,
     true,
     WeightQ::kNone,
     "clip",
     8},
    {"depthwise16",
     {1, 6, 6, 4},
     {5, 5, 1, 4},
     {1, 1},
     {1, 1},
     {2, 2, 2, 2},
     1,
     true,
     WeightQ::kPerTensor,
     "",
     16},
};

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const ConvCase& c, std::ostream* os) {
  *os << c.name;
}

class ConvSim : public ::testing::TestWithParam<ConvCase> {};

TEST_P(ConvSim, MatchesFloatSimulation) {
  const ConvCase& c = GetParam();
  expect_matches_float_sim(conv_graph(c, 17), 100);
}

INSTANTIATE_TEST_SUITE_P(Htp, ConvSim, ::testing::ValuesIn(kConvCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HtpKernels, ConvWith8BitGraphWidenedTo16) {
  // precision_mode int16: the same graph on 16-bit activations still matches.
  expect_matches_float_sim(conv_graph(kConvCases[0], 5), 7, /*widen16=*/true);
}

ir::Graph fc_graph(ir::Shape x_shape, int64_t cout, WeightQ wq, const char* act, int bits) {
  GraphBuilder b;
  const int64_t k = x_shape.back();
  ir::TensorId x = b.input("x", x_shape, bits == 8 ? u8(-2.0, 1.0) : u16(-2.0, 1.0));
  auto wv = random_floats(static_cast<size_t>(cout * k), -0.4f, 0.4f, 3);
  ir::TensorId w = b.constant("w", {cout, k}, wv, weight_encoding(wq, {cout, k}, wv, 0));
  ir::TensorId bias = b.constant("b", {cout}, random_floats(cout, -1.0f, 1.0f, 4));
  ir::Params p;
  if (std::string(act) != "") p.set("fused_activation", std::string(act));
  b.node("FullyConnected", {x, w, bias}, std::nullopt, p);
  calibrate(b.g, bits, 9);
  return b.g;
}

TEST(HtpKernels, FullyConnectedMatchesFloatSimulation) {
  expect_matches_float_sim(fc_graph({1, 64}, 10, WeightQ::kNone, "", 8), 1);
  expect_matches_float_sim(fc_graph({5, 33}, 17, WeightQ::kPerChannel, "relu", 8), 2);
  expect_matches_float_sim(fc_graph({2, 3, 4, 12}, 7, WeightQ::kUInt8Offset127, "", 8), 3);
  expect_matches_float_sim(fc_graph({3, 40}, 9, WeightQ::kPerTensor, "", 16), 4);
}

TEST(HtpKernels, FullyConnectedWithoutBias) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", {2, 8}, u8(0.0, 1.0));
  ir::TensorId w = b.constant("w", {3, 8}, random_floats(24, -1.0f, 1.0f, 8));
  b.node("FullyConnected", {x, w}, std::nullopt);
  calibrate(b.g, 8, 1);
  expect_matches_float_sim(b.g, 5);
}

ir::Graph matmul_graph(ir::Shape a, ir::Shape bshape, bool static_b, bool ta, bool tb) {
  GraphBuilder b;
  ir::TensorId x = b.input("a", a, u8(-1.0, 1.0));
  ir::TensorId y =
      static_b
          ? b.constant("b", bshape,
                       random_floats(static_cast<size_t>(ir::num_elements(bshape)), -1.0f, 1.0f, 2))
          : b.input("b", bshape, u8(-0.5, 1.5));
  ir::Params p;
  p.set("transpose_in0", int64_t{ta});
  p.set("transpose_in1", int64_t{tb});
  b.node("MatMul", {x, y}, std::nullopt, p);
  calibrate(b.g, 8, 3);
  return b.g;
}

TEST(HtpKernels, MatMulMatchesFloatSimulation) {
  expect_matches_float_sim(matmul_graph({4, 6}, {6, 5}, false, false, false), 1);
  expect_matches_float_sim(matmul_graph({2, 3, 6, 4}, {1, 6, 5}, false, true, false), 2);
  expect_matches_float_sim(matmul_graph({3, 4, 6}, {5, 6}, true, false, true), 3);
}

}  // namespace
}  // namespace oqnn::htp::test
