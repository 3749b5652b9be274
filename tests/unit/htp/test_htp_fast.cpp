// Fast kernels vs reference kernels, bit for bit, over a table of shapes and quantization
// choices, at several thread counts (outputs must not depend on the split).
#include <gtest/gtest.h>

#include <random>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/qgemm.h"
#include "htp_test_util.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

struct FastCase {
  std::string name;
  const char* op;  // Conv2d, DepthWiseConv2d, FullyConnected
  ir::Shape x, w;
  std::vector<int64_t> stride, pad;
  int64_t group;
  bool per_channel;
  bool uint8_weights;
  int bits;
  const char* act;
  std::vector<int64_t> dilation = {};
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
    // 1x1 convs read their input in place: strided, and with trailing padding (whose taps
    // lie outside the input, so the im2col path must take them).
    {"conv_1x1_s2",
     "Conv2d",
     {1, 9, 9, 8},
     {1, 1, 8, 20},
     {2, 2},
     {0, 0, 0, 0},
     1,
     true,
     false,
     8,
     ""},
    {"conv_1x1_pad_after",
     "Conv2d",
     {1, 7, 6, 8},
     {1, 1, 8, 20},
     {1, 1},
     {0, 1, 0, 1},
     1,
     true,
     false,
     8,
     "relu"},
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

// Random Conv2d / FullyConnected cases: odd channel counts, strides, padding, dilation,
// groups, per-tensor and per-channel weights, 8- and 16-bit activations.
std::vector<FastCase> random_cases() {
  std::vector<FastCase> cases;
  std::mt19937 rng(2026);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int i = 0; i < 24; ++i) {
    const int64_t groups = pick(1, 3) == 3 ? pick(2, 3) : 1;
    const int64_t cin = groups * pick(1, 13), cout = groups * pick(1, 23);
    const int64_t kh = pick(1, 4), kw = pick(1, 4), dh = pick(1, 2), dw = pick(1, 2);
    const int64_t h = (kh - 1) * dh + pick(1, 9), w = (kw - 1) * dw + pick(1, 9);
    FastCase c{"random_conv_" + std::to_string(i),
               "Conv2d",
               {pick(1, 2), h, w, cin},
               {kh, kw, cin / groups, cout},
               {pick(1, 3), pick(1, 3)},
               {pick(0, 2), pick(0, 2), pick(0, 2), pick(0, 2)},
               groups,
               pick(0, 1) == 1,
               false,
               pick(0, 2) == 0 ? 16 : 8,
               pick(0, 1) == 1 ? "relu" : "",
               {dh, dw}};
    cases.push_back(c);
  }
  // Depthwise: odd channel counts (the per-ISA tap loop's tails), strides, padding, dilation.
  for (int i = 0; i < 12; ++i) {
    const int64_t c = pick(1, 70), kh = pick(1, 5), kw = pick(1, 5), dh = pick(1, 2),
                  dw = pick(1, 2);
    const int64_t h = (kh - 1) * dh + pick(1, 9), w = (kw - 1) * dw + pick(1, 9);
    cases.push_back(FastCase{"random_dw_" + std::to_string(i),
                             "DepthWiseConv2d",
                             {pick(1, 2), h, w, c},
                             {kh, kw, 1, c},
                             {pick(1, 2), pick(1, 2)},
                             {pick(0, 2), pick(0, 2), pick(0, 2), pick(0, 2)},
                             1,
                             pick(0, 1) == 1,
                             false,
                             pick(0, 2) == 0 ? 16 : 8,
                             pick(0, 1) == 1 ? "relu" : "",
                             {dh, dw}});
  }
  for (int i = 0; i < 8; ++i) {
    const int64_t k = pick(1, 700), cout = pick(1, 70);
    cases.push_back(FastCase{"random_fc_" + std::to_string(i),
                             "FullyConnected",
                             {pick(1, 40), k},
                             {cout, k},
                             {},
                             {},
                             1,
                             pick(0, 1) == 1,
                             false,
                             pick(0, 2) == 0 ? 16 : 8,
                             ""});
  }
  return cases;
}

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
    if (!c.dilation.empty()) p.set("dilation", c.dilation);
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
  // Every GEMM ISA path this CPU runs (kernels pick theirs when created).
  for (fast::Isa isa : {fast::Isa::kPortable, fast::Isa::kAvx2, fast::Isa::kAvx512Vnni}) {
    if (!fast::cpu_runs(isa)) continue;
    ASSERT_EQ(fast::force_isa(isa), isa);
    for (int threads : {1, 2, 3, 5}) {
      auto fast = make_plan(*qg, KernelVariant::kFast, threads);
      ASSERT_TRUE(fast.has_value()) << fast.error().message;
      auto got = run_plan(**fast, inputs);
      ASSERT_TRUE(got.has_value());
      EXPECT_TRUE(*got == *want) << threads << " threads, " << fast::isa_name(isa);
    }
  }
  fast::force_isa(std::nullopt);
}

INSTANTIATE_TEST_SUITE_P(Htp, FastVsRef, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(HtpRandom, FastVsRef, ::testing::ValuesIn(random_cases()),
                         [](const auto& info) { return info.param.name; });

#if defined(__x86_64__)
// The AVX-512 requantization row against quant::requantize, over accumulators and
// multipliers at the ends of their ranges and every shift the multipliers take.
TEST(HtpQGemm, Avx512RequantizeMatchesReference) {
  if (!fast::cpu_runs(fast::Isa::kAvx512Vnni)) GTEST_SKIP() << "no AVX512-VNNI";
  std::mt19937 rng(11);
  const int n = 203;
  std::vector<int32_t> acc(n), bias(n), mult(n), shift(n), got(n);
  for (int rep = 0; rep < 50; ++rep) {
    for (int j = 0; j < n; ++j) {
      const int64_t a = std::uniform_int_distribution<int64_t>(-(1ll << 30), 1ll << 30)(rng);
      acc[j] = static_cast<int32_t>(j % 17 == 0 ? (j % 2 ? (1ll << 30) : -(1ll << 30)) : a);
      bias[j] = std::uniform_int_distribution<int32_t>(-(1 << 30), 1 << 30)(rng);
      mult[j] = std::uniform_int_distribution<int32_t>(1 << 30, INT32_MAX)(rng);
      shift[j] = std::uniform_int_distribution<int32_t>(-40, 31)(rng);
    }
    const int32_t zero = rep % 3 == 0 ? 0 : 128, lo = rep % 2 ? 0 : 10, hi = rep % 2 ? 65535 : 200;
    fast::requantize_row_i32_avx512(acc.data(), bias.data(), mult.data(), shift.data(), n, zero, lo,
                                    hi, got.data());
    for (int j = 0; j < n; ++j)
      ASSERT_EQ(got[j],
                quant::requantize(int64_t{acc[j]} + bias[j], mult[j], shift[j], zero, lo, hi))
          << j;
  }
}
#endif

// The engine itself against an int64 loop: random A and weights at the extremes of their
// ranges, odd m, k, n, every layout and ISA, whole K and chunks of steps.
TEST(HtpQGemm, MatchesInt64LoopOnEveryIsa) {
  std::mt19937 rng(7);
  for (fast::Isa isa : {fast::Isa::kPortable, fast::Isa::kAvx2, fast::Isa::kAvx512Vnni}) {
    if (!fast::cpu_runs(isa)) continue;
    for (bool wide : {false, true})
      for (auto [m, k, n] : {std::array<int64_t, 3>{1, 1, 1},
                             {7, 13, 17},
                             {13, 37, 70},
                             {6, 1030, 33},
                             {25, 8, 129}}) {
        std::vector<int32_t> w(static_cast<size_t>(k * n));
        for (auto& v : w) v = std::uniform_int_distribution<int>(-128, 127)(rng);
        w[0] = -128;
        const int64_t cols = n;  // clang 14 cannot capture a structured binding
        const fast::QGemm g(isa, wide, k, n,
                            [&](int64_t kk, int64_t j) { return w[kk * cols + j]; });
        const int64_t lda = g.row_elems(), ldc = g.padded_n();
        std::vector<int16_t> a16(static_cast<size_t>(m * lda), 0);
        std::vector<uint8_t> a8(a16.size(), 0);
        for (int64_t i = 0; i < m; ++i)
          for (int64_t kk = 0; kk < k; ++kk) {
            const int v = wide ? std::uniform_int_distribution<int>(-32768, 32767)(rng)
                               : std::uniform_int_distribution<int>(0, 255)(rng);
            a16[i * lda + kk] = static_cast<int16_t>(v);
            a8[i * lda + kk] = static_cast<uint8_t>(v);
          }
        const void* a = g.layout() == fast::Layout::kQuad ? static_cast<const void*>(a8.data())
                                                          : static_cast<const void*>(a16.data());
        std::vector<int64_t> got(static_cast<size_t>(m * ldc), 0);
        std::vector<int32_t> c(got.size());
        const int64_t chunk = std::min<int64_t>(g.max_steps(), 5);
        for (int64_t s0 = 0; s0 < g.steps(); s0 += chunk) {
          g.multiply(a, lda, m, s0, std::min(chunk, g.steps() - s0), c.data(), ldc);
          for (size_t i = 0; i < c.size(); ++i) got[i] += c[i];
        }
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j) {
            int64_t want = 0;
            for (int64_t kk = 0; kk < k; ++kk) want += int64_t{a16[i * lda + kk]} * w[kk * n + j];
            ASSERT_EQ(got[i * ldc + j], want) << fast::isa_name(isa) << " wide " << wide << " m "
                                              << m << " k " << k << " n " << n;
          }
      }
  }
}

TEST(HtpFast, WidthChoiceFollowsTheOverflowBound) {
  for (const char* name : {"conv_3x3_relu", "conv_16bit", "fc_huge_k"}) {
    const FastCase* c = nullptr;
    for (const auto& k : kCases)
      if (k.name == name) c = &k;
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
