// Fast kernels vs reference kernels, bit for bit, over a table of shapes and quantization
// choices, at several thread counts (outputs must not depend on the split).
#include <gtest/gtest.h>

#include "backends/htp/fast/dot.h"
#include "htp_test_util.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

struct FastCase {
  const char* name;
  const char* op;  // Conv2d, DepthWiseConv2d, FullyConnected
  ir::Shape x, w;
  std::vector<int64_t> stride, pad;
  int64_t group;
  bool per_channel;
  bool uint8_weights;
  int bits;
  const char* act;
};

const FastCase kCases[] = {
    {"conv_1x1",
     "Conv2d",
     {1, 8, 8, 16},
     {1, 1, 16, 24},
     {1, 1},
     {0, 0, 0, 0},
     1,
     false,
     false,
     8,
     ""},
    {"conv_3x3_relu",
     "Conv2d",
     {2, 11, 13, 3},
     {3, 3, 3, 32},
     {1, 1},
     {1, 1, 1, 1},
     1,
     true,
     false,
     8,
     "relu"},
    {"conv_5x5_s2",
     "Conv2d",
     {1, 17, 15, 8},
     {5, 5, 8, 12},
     {2, 2},
     {2, 1, 2, 1},
     1,
     true,
     true,
     8,
     "clip"},
    {"conv_grouped",
     "Conv2d",
     {1, 9, 9, 12},
     {3, 3, 4, 9},
     {1, 1},
     {1, 1, 1, 1},
     3,
     true,
     false,
     8,
     ""},
    {"conv_16bit",
     "Conv2d",
     {1, 6, 7, 5},
     {3, 3, 5, 7},
     {1, 2},
     {1, 1, 0, 0},
     1,
     true,
     false,
     16,
     "relu"},
    {"dw_3x3",
     "DepthWiseConv2d",
     {1, 12, 10, 32},
     {3, 3, 1, 32},
     {1, 1},
     {1, 1, 1, 1},
     1,
     true,
     false,
     8,
     "relu"},
    {"dw_mult3_s2",
     "DepthWiseConv2d",
     {2, 9, 9, 4},
     {3, 3, 1, 12},
     {2, 2},
     {0, 1, 1, 0},
     1,
     false,
     true,
     8,
     ""},
    {"dw_16bit",
     "DepthWiseConv2d",
     {1, 8, 8, 7},
     {5, 5, 1, 7},
     {1, 1},
     {2, 2, 2, 2},
     1,
     true,
     false,
     16,
     "clip"},
    {"fc_batch1", "FullyConnected", {1, 300}, {37, 300}, {}, {}, 1, true, false, 8, ""},
    {"fc_rows", "FullyConnected", {9, 64}, {10, 64}, {}, {}, 1, false, true, 8, "relu"},
    {"fc_16bit", "FullyConnected", {3, 50}, {11, 50}, {}, {}, 1, true, false, 16, ""},
    // Large enough that every variant splits its rows over several threads.
    {"conv_16bit_split",
     "Conv2d",
     {1, 32, 32, 16},
     {3, 3, 16, 16},
     {1, 1},
     {1, 1, 1, 1},
     1,
     true,
     false,
     16,
     ""},
    {"dw_split",
     "DepthWiseConv2d",
     {1, 64, 64, 32},
     {3, 3, 1, 32},
     {1, 1},
     {1, 1, 1, 1},
     1,
     true,
     false,
     8,
     "relu"},
    {"fc_batch1_split", "FullyConnected", {1, 1024}, {512, 1024}, {}, {}, 1, true, false, 8, ""},
    {"fc_rows_split", "FullyConnected", {64, 256}, {300, 256}, {}, {}, 1, false, false, 8, "relu"},
    // K * 128 * 127 > 2^31: an int32 accumulator could overflow, the wide path must take it.
    {"fc_huge_k", "FullyConnected", {1, 140000}, {3, 140000}, {}, {}, 1, false, true, 8, ""},
};

ir::Graph fast_graph(const FastCase& c) {
  GraphBuilder b;
  ir::TensorId x = b.input("x", c.x, c.bits == 8 ? u8(-1, 1) : u16(-1, 1));
  const bool fc = std::string(c.op) == "FullyConnected";
  auto wv = random_floats(static_cast<size_t>(ir::num_elements(c.w)), -0.5f, 0.5f, 31);
  std::optional<ir::Encoding> we;
  if (c.per_channel) we = per_channel_encoding(c.w, wv, fc ? 0 : 3);
  if (c.uint8_weights) we = quant::encoding_from_scale_offset(0.5 / 127, -127, 8, false);
  ir::TensorId w = b.constant("w", c.w, wv, we);
  const int64_t cout = fc ? c.w[0] : c.w[3];
  ir::TensorId bias = b.constant("b", {cout}, random_floats(cout, -0.2f, 0.2f, 32));
  ir::Params p;
  if (!fc) {
    p.set("stride", c.stride);
    p.set("pad_amount", c.pad);
  }
  if (std::string(c.op) == "Conv2d") p.set("group", c.group);
  if (std::string(c.act) != "") p.set("fused_activation", std::string(c.act));
  if (std::string(c.act) == "clip") {
    p.set("clip_min", -0.2);
    p.set("clip_max", 0.3);
  }
  b.node(c.op, {x, w, bias}, std::nullopt, p);
  calibrate(b.g, c.bits, 33, 1);
  return b.g;
}

// Names the case in failure messages instead of dumping its bytes.
void PrintTo(const FastCase& c, std::ostream* os) {
  *os << c.name;
}

class FastVsRef : public ::testing::TestWithParam<FastCase> {};

TEST_P(FastVsRef, BitIdenticalAtEveryThreadCount) {
  auto qg = finalize_graph(fast_graph(GetParam()));
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  auto ref = make_plan(*qg, KernelVariant::kReference, 1);
  ASSERT_TRUE(ref.has_value()) << ref.error().message;
  const std::vector<Bytes> inputs = random_inputs(**ref, 77);
  auto want = run_plan(**ref, inputs);
  ASSERT_TRUE(want.has_value());
  for (int threads : {1, 2, 3, 5}) {
    auto fast = make_plan(*qg, KernelVariant::kFast, threads);
    ASSERT_TRUE(fast.has_value()) << fast.error().message;
    auto got = run_plan(**fast, inputs);
    ASSERT_TRUE(got.has_value());
    EXPECT_TRUE(*got == *want) << threads << " threads";
  }
}

INSTANTIATE_TEST_SUITE_P(Htp, FastVsRef, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HtpFast, WidthChoiceFollowsTheOverflowBound) {
  for (const char* name : {"conv_3x3_relu", "conv_16bit", "fc_huge_k"}) {
    const FastCase* c = nullptr;
    for (const auto& k : kCases)
      if (std::string(k.name) == name) c = &k;
    auto qg = finalize_graph(fast_graph(*c));
    ASSERT_TRUE(qg.has_value());
    const ir::Node& n = qg->nodes[0];
    const bool fc = std::string(c->op) == "FullyConnected";
    auto q = linear_quant(*qg, n, fc ? 0 : 3);
    ASSERT_TRUE(q.has_value());
    const int64_t k = fc ? c->w[1] : c->w[0] * c->w[1] * c->w[2];
    const fast::Width want =
        std::string(name) == "conv_3x3_relu" ? fast::Width::kNarrow : fast::Width::kWide;
    EXPECT_EQ(fast::choose_width(*q, qg->tensor(n.inputs[0]).dtype, k), want) << name;
  }
}

}  // namespace
}  // namespace oqnn::htp::test
