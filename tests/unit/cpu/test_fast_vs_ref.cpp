// Fast kernels against the reference kernels over a table of shapes, strides, pads,
// dilations, groups and fused activations, for every GEMM micro-kernel this CPU runs;
// and thread-count determinism (1 vs several threads, byte-identical).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <sstream>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernels.h"
#include "op_test_util.h"

namespace oqnn::cpu::testing {
namespace {

struct ConvSpec {
  int64_t n, h, w, cin, cout, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr, groups;
  std::string act;  // "", "relu", "clip"
  bool bias;
};

std::string describe(const ConvSpec& s) {
  std::ostringstream o;
  o << "in " << s.n << "x" << s.h << "x" << s.w << "x" << s.cin << " out " << s.cout << " k "
    << s.kh << "x" << s.kw << " s " << s.sh << "," << s.sw << " d " << s.dh << "," << s.dw
    << " pad " << s.pt << "," << s.pb << "," << s.pl << "," << s.pr << " g " << s.groups << " act '"
    << s.act << "' bias " << s.bias;
  return o.str();
}

OpCase conv_case(const ConvSpec& s, bool depthwise) {
  OpCase c;
  c.op = depthwise ? "DepthWiseConv2d" : "Conv2d";
  c.inputs.push_back({{s.n, s.h, s.w, s.cin}, false});
  c.inputs.push_back({{s.kh, s.kw, depthwise ? 1 : s.cin / s.groups, s.cout}, true});
  if (s.bias) c.inputs.push_back({{s.cout}, true});
  c.params.set("stride", std::vector<int64_t>{s.sh, s.sw});
  c.params.set("dilation", std::vector<int64_t>{s.dh, s.dw});
  c.params.set("pad_amount", std::vector<int64_t>{s.pt, s.pb, s.pl, s.pr});
  if (!depthwise && s.groups != 1) c.params.set("group", s.groups);
  if (!s.act.empty()) c.params.set("fused_activation", s.act);
  if (s.act == "clip") {
    c.params.set("clip_min", -0.25);
    c.params.set("clip_max", 0.5);
  }
  return c;
}

bool output_fits(const ConvSpec& s) {
  int64_t eh = s.dh * (s.kh - 1) + 1, ew = s.dw * (s.kw - 1) + 1;
  return s.h + s.pt + s.pb >= eh && s.w + s.pl + s.pr >= ew;
}

// Hand-picked edges (1x1, pointwise with large depth, rows past one block, columns past
// one panel, k past one depth block) plus seeded random combinations.
std::vector<ConvSpec> conv_table() {
  std::vector<ConvSpec> t = {
      {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, "", false},
      {1, 8, 8, 16, 32, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, "", true},
      {2, 7, 9, 64, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, "relu", true},   // k = 576
      {1, 20, 21, 8, 17, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, "clip", true},  // m = 420
      {1, 17, 13, 3, 24, 7, 7, 2, 2, 1, 1, 3, 3, 3, 3, 1, "relu", true},  // stem-like
      {1, 9, 9, 12, 12, 3, 3, 2, 1, 2, 2, 2, 0, 1, 3, 3, "", true},       // groups, dilation
      {1, 6, 6, 8, 8, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 8, "relu", false},    // group == channels
      {1, 5, 5, 300, 9, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, "", true},       // k = 300 (2 blocks)
      {1, 3, 4, 6, 40, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 2, "clip", true},    // tiny output
      {3, 4, 4, 5, 7, 2, 2, 2, 2, 1, 1, 0, 1, 0, 1, 1, "", true},         // batch 3
  };
  std::mt19937 rng(1234);
  auto pick = [&](std::initializer_list<int64_t> v) {
    return *(v.begin() + std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng));
  };
  while (t.size() < 120) {
    ConvSpec s;
    s.n = pick({1, 1, 2});
    s.h = pick({1, 3, 5, 8, 13});
    s.w = pick({1, 4, 6, 11});
    s.groups = pick({1, 1, 1, 2, 3});
    s.cin = s.groups * pick({1, 3, 4, 8, 17});
    s.cout = s.groups * pick({1, 5, 8, 16, 19});
    s.kh = pick({1, 2, 3, 5});
    s.kw = pick({1, 3, 4});
    s.sh = pick({1, 2, 3});
    s.sw = pick({1, 2});
    s.dh = pick({1, 1, 2});
    s.dw = pick({1, 2});
    s.pt = pick({0, 1, 2});
    s.pb = pick({0, 1});
    s.pl = pick({0, 1, 3});
    s.pr = pick({0, 2});
    s.act = pick({0, 1, 2}) == 0 ? "" : (pick({0, 1}) ? "relu" : "clip");
    s.bias = pick({0, 1}) == 1;
    if (output_fits(s)) t.push_back(s);
  }
  return t;
}

TEST(FastVsRef, Conv2dEveryMicroKernel) {
  uint32_t seed = 1;
  for (const ConvSpec& s : conv_table()) {
    SCOPED_TRACE(describe(s));
    auto og = build_random_op_graph(conv_case(s, false), seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    expect_fast_conv_matches_ref(*og);
  }
}

// Every output element is one chain of fused multiply-adds over k in order whichever
// FMA micro-kernel (AVX2 6x16, AVX-512 12x32) computes it: their results are bit-identical,
// so a context binary gives the same numbers on machines with and without AVX-512.
TEST(FastVsRef, FmaMicroKernelsAreBitIdentical) {
  std::vector<const fast::MicroKernel*> fma;
  for (const fast::MicroKernel& uk : fast::micro_kernels())
    if (std::string(uk.name).find("avx") != std::string::npos) fma.push_back(&uk);
  if (fma.size() < 2) GTEST_SKIP() << "this CPU runs fewer than two FMA micro-kernels";
  uint32_t seed = 900;
  for (const ConvSpec& s : conv_table()) {
    SCOPED_TRACE(describe(s));
    auto og = build_random_op_graph(conv_case(s, false), seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    std::vector<std::vector<float>> outs;
    for (const fast::MicroKernel* uk : fma) {
      auto k = fast::make_conv2d(og->graph, og->graph.nodes[0], uk);
      ASSERT_TRUE(k.has_value()) << k.error().message;
      auto got = run_kernel(**k, *og, 2);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      outs.push_back((*got)[0]);
    }
    for (size_t i = 1; i < outs.size(); ++i) EXPECT_EQ(outs[i], outs[0]) << fma[i]->name;
  }
}

TEST(FastVsRef, DepthwiseConv2dEveryRowKernel) {
  uint32_t seed = 500;
  std::vector<ConvSpec> table;
  for (const ConvSpec& s : conv_table()) {
    ConvSpec d = s;
    d.groups = 1;
    d.cout = d.cin * (seed++ % 3 == 0 ? 2 : 1);  // channel multiplier 1 or 2
    table.push_back(d);
  }
  for (const ConvSpec& s : table) {
    SCOPED_TRACE(describe(s));
    auto og = build_random_op_graph(conv_case(s, true), seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    auto want = run_op(make_ref_kernel, *og, 1);
    ASSERT_TRUE(want.has_value());
    // Every row kernel this CPU runs; all multiply then add in one order: bit-identical.
    std::vector<std::vector<float>> outs;
    for (const fast::DwKernel& dk : fast::dw_kernels()) {
      SCOPED_TRACE(dk.name);
      auto k = fast::make_depthwise_conv2d(og->graph, og->graph.nodes[0], &dk);
      ASSERT_TRUE(k.has_value()) << k.error().message;
      auto got = run_kernel(**k, *og, 2);
      ASSERT_TRUE(got.has_value());
      EXPECT_TRUE(all_close((*got)[0], (*want)[0], 1e-5));
      outs.push_back((*got)[0]);
    }
    for (size_t i = 1; i < outs.size(); ++i) EXPECT_EQ(outs[i], outs[0]) << i;
  }
}

OpCase fc_case(ir::Shape in, int64_t cout, bool bias, const std::string& act) {
  OpCase c;
  c.op = "FullyConnected";
  c.inputs.push_back({in, false});
  c.inputs.push_back({{cout, in.back()}, true});
  if (bias) c.inputs.push_back({{cout}, true});
  if (!act.empty()) c.params.set("fused_activation", act);
  if (act == "clip") {
    c.params.set("clip_min", 0.0);
    c.params.set("clip_max", 6.0);
  }
  return c;
}

TEST(FastVsRef, FullyConnected) {
  const std::vector<OpCase> table = {
      fc_case({1, 1}, 1, false, ""),         fc_case({1, 2048}, 1000, true, ""),
      fc_case({7, 33}, 17, true, "relu"),    fc_case({2, 3, 5, 40}, 9, false, "clip"),
      fc_case({130, 300}, 70, true, "relu"), fc_case({4, 16}, 16, true, ""),
  };
  uint32_t seed = 900;
  for (const OpCase& c : table) {
    auto og = build_random_op_graph(c, seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    SCOPED_TRACE(ir::shape_str(c.inputs[0].shape) + " x " + ir::shape_str(c.inputs[1].shape));
    auto want = run_op(make_ref_kernel, *og, 1);
    ASSERT_TRUE(want.has_value()) << want.error().message;
    for (const fast::MicroKernel& uk : fast::micro_kernels()) {
      SCOPED_TRACE(uk.name);
      auto k = fast::make_fully_connected(og->graph, og->graph.nodes[0], &uk);
      ASSERT_TRUE(k.has_value()) << k.error().message;
      auto got = run_kernel(**k, *og, 2);
      ASSERT_TRUE(got.has_value());
      EXPECT_TRUE(all_close((*got)[0], (*want)[0], 1e-5));
    }
  }
}

TEST(FastVsRef, DynamicWeightsFallBackToReference) {
  OpCase c = conv_case({1, 5, 5, 4, 6, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, "", true}, false);
  c.inputs[1].is_static = false;
  auto og = build_random_op_graph(c, 77);
  ASSERT_TRUE(og.has_value());
  auto want = run_op(make_ref_kernel, *og, 1);
  auto got = run_op(make_kernel, *og, 2);
  ASSERT_TRUE(want.has_value() && got.has_value());
  EXPECT_TRUE(all_close((*got)[0], (*want)[0], 1e-5));
}

// The bytes must not depend on how the work was split among threads.
TEST(Determinism, OneVersusManyThreadsByteIdentical) {
  const std::vector<OpCase> cases = {
      conv_case({1, 30, 29, 40, 72, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, "relu", true}, false),
      conv_case({1, 9, 9, 512, 48, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 2, "", true}, false),
      conv_case({2, 19, 17, 24, 48, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1, "clip", true}, true),
      fc_case({37, 700}, 130, true, "relu"),
  };
  uint32_t seed = 4000;
  for (const OpCase& c : cases) {
    SCOPED_TRACE(c.op);
    auto og = build_random_op_graph(c, seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    auto one = run_op(make_kernel, *og, 1);
    ASSERT_TRUE(one.has_value());
    for (int threads : {2, 3, 4}) {
      auto many = run_op(make_kernel, *og, threads);
      ASSERT_TRUE(many.has_value());
      ASSERT_EQ((*one)[0].size(), (*many)[0].size());
      EXPECT_EQ(std::memcmp((*one)[0].data(), (*many)[0].data(), (*one)[0].size() * 4), 0)
          << threads << " threads";
    }
  }
}

}  // namespace
}  // namespace oqnn::cpu::testing
