// Conv3d (fixed point: int64 accumulation, one requantization, per-channel weights) and
// TransposeConv3d (float inside) against the float simulation (within one output step),
// over a table of shapes, windows, groups and quantization choices, on uint8 and uint16.
#include <gtest/gtest.h>

#include "sim_check.h"

namespace oqnn::htp::test {
namespace {

struct Volume {
  const char* name;
  const char* op;  // Conv3d or TransposeConv3d
  ir::Shape x, w;  // NDHWC; [kd, kh, kw, cin/group, cout] or [kd, kh, kw, cin, cout/group]
  std::vector<int64_t> stride, dilation, pad, output_padding;
  int64_t group;
  bool per_channel;
  const char* act;  // "", "relu"
  int bits;
};

ir::Graph volume_graph(const Volume& c, uint32_t seed) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", c.x, c.bits == 8 ? u8(-1.0, 2.0) : u16(-1.0, 2.0));
  auto wv = random_floats(static_cast<size_t>(ir::num_elements(c.w)), -0.5f, 0.5f, seed);
  std::optional<ir::Encoding> we;
  if (c.per_channel) we = per_channel_encoding(c.w, wv, 4);
  ir::TensorId w = b.constant("w", c.w, wv, we);
  const bool transposed = std::string(c.op) == "TransposeConv3d";
  const int64_t cout = transposed ? c.w[4] * c.group : c.w[4];
  ir::TensorId bias = b.constant("b", {cout}, random_floats(cout, -0.3f, 0.3f, seed + 1));
  ir::Params p;
  p.set("stride", c.stride);
  p.set("dilation", c.dilation);
  p.set("pad_amount", c.pad);
  p.set("group", c.group);
  if (transposed) p.set("output_padding", c.output_padding);
  if (std::string(c.act) != "") p.set("fused_activation", std::string(c.act));
  b.node(c.op, {x, w, bias}, std::nullopt, p);
  calibrate(b.g, c.bits, seed);
  return b.g;
}

const std::vector<int64_t> kOnes{1, 1, 1}, kZeros{0, 0, 0}, kNoPad{0, 0, 0, 0, 0, 0};

const Volume kCases[] = {
    {"k3_pad1_relu",
     "Conv3d",
     {1, 4, 5, 5, 3},
     {3, 3, 3, 3, 4},
     kOnes,
     kOnes,
     {1, 1, 1, 1, 1, 1},
     kZeros,
     1,
     false,
     "relu",
     8},
    {"stride_dilation_asym_pad_per_channel",
     "Conv3d",
     {2, 6, 7, 5, 2},
     {2, 3, 2, 2, 5},
     {2, 1, 2},
     {2, 1, 1},
     {1, 0, 0, 2, 1, 0},
     kZeros,
     1,
     true,
     "",
     8},
    {"grouped",
     "Conv3d",
     {1, 3, 4, 4, 6},
     {1, 3, 3, 2, 6},
     kOnes,
     kOnes,
     {0, 0, 1, 1, 1, 1},
     kZeros,
     3,
     true,
     "",
     8},
    {"depthwise_mult2",
     "Conv3d",
     {1, 4, 4, 4, 4},
     {3, 3, 3, 1, 8},
     kOnes,
     kOnes,
     {1, 1, 1, 1, 1, 1},
     kZeros,
     4,
     true,
     "relu",
     8},
    {"act16_r2plus1d_temporal",
     "Conv3d",
     {1, 5, 3, 3, 4},
     {3, 1, 1, 4, 6},
     kOnes,
     kOnes,
     {1, 1, 0, 0, 0, 0},
     kZeros,
     1,
     true,
     "",
     16},
    {"transposed_stride2",
     "TransposeConv3d",
     {1, 2, 3, 3, 4},
     {2, 2, 2, 4, 3},
     {2, 2, 2},
     kOnes,
     kNoPad,
     kZeros,
     1,
     false,
     "",
     8},
    {"transposed_pads_output_padding_grouped",
     "TransposeConv3d",
     {1, 3, 2, 3, 4},
     {3, 3, 2, 4, 2},
     {2, 1, 2},
     {1, 2, 1},
     {1, 0, 0, 1, 1, 0},
     {1, 0, 1},
     2,
     false,
     "",
     8},
    {"transposed16",
     "TransposeConv3d",
     {1, 2, 2, 2, 3},
     {3, 3, 3, 3, 2},
     kOnes,
     kOnes,
     {1, 1, 1, 1, 1, 1},
     kZeros,
     1,
     false,
     "",
     16},
};

void PrintTo(const Volume& c, std::ostream* os) {
  *os << c.name;
}

class VolumeSim : public ::testing::TestWithParam<Volume> {};

TEST_P(VolumeSim, MatchesFloatSimulation) {
  expect_matches_float_sim(volume_graph(GetParam(), 23), 101);
}

INSTANTIATE_TEST_SUITE_P(Htp, VolumeSim, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HtpKernels, Conv3dWith8BitGraphWidenedTo16) {
  expect_matches_float_sim(volume_graph(kCases[1], 5), 7, /*widen16=*/true);
}

TEST(HtpKernels, Conv3dWeightsArePerOutputChannelOnAxis4) {
  auto qg = finalize_graph(volume_graph(kCases[1], 3));
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  const ir::Tensor& w = qg->tensor(qg->nodes.at(0).inputs[1]);
  ASSERT_TRUE(w.encoding.has_value());
  EXPECT_EQ(w.encoding->axis, 4);
  EXPECT_EQ(w.encoding->scale.size(), 5u);
  EXPECT_EQ(w.dtype, ir::DataType::kInt8);
  const ir::Tensor& b = qg->tensor(qg->nodes.at(0).inputs[2]);
  EXPECT_EQ(b.dtype, ir::DataType::kInt32);
  EXPECT_EQ(b.encoding->scale.size(), 5u);  // s_in * s_w[c]
}

}  // namespace
}  // namespace oqnn::htp::test
