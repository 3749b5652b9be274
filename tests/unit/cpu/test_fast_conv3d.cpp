// The fast (implicit im2col GEMM) Conv3d against the reference kernel over a table of
// volumes, strides, dilations, pads, groups (depthwise included) and fused activations,
// for every GEMM micro-kernel this CPU runs, and byte-identical across thread counts.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "backends/cpu/kernels.h"
#include "op_test_util.h"

namespace oqnn::cpu::testing {
namespace {

struct Conv3dSpec {
  int64_t n, cin, cout, groups;
  std::vector<int64_t> in, k, stride, dil, pad;  // [d, h, w]; pad [front, back, top, ...]
  std::string act;                               // "", "relu", "clip"
  bool bias;
};

std::string describe(const Conv3dSpec& s) {
  std::ostringstream o;
  auto list = [&](const std::vector<int64_t>& v) {
    for (int64_t x : v) o << x << ",";
    o << " ";
  };
  o << "n " << s.n << " cin " << s.cin << " cout " << s.cout << " g " << s.groups << " in ";
  list(s.in);
  o << "k ";
  list(s.k);
  o << "s ";
  list(s.stride);
  o << "d ";
  list(s.dil);
  o << "pad ";
  list(s.pad);
  o << "act '" << s.act << "' bias " << s.bias;
  return o.str();
}

OpCase conv3d_case(const Conv3dSpec& s) {
  OpCase c;
  c.op = "Conv3d";
  c.inputs.push_back({{s.n, s.in[0], s.in[1], s.in[2], s.cin}, false});
  c.inputs.push_back({{s.k[0], s.k[1], s.k[2], s.cin / s.groups, s.cout}, true});
  if (s.bias) c.inputs.push_back({{s.cout}, true});
  c.params.set("stride", s.stride);
  c.params.set("dilation", s.dil);
  c.params.set("pad_amount", s.pad);
  c.params.set("group", s.groups);
  if (!s.act.empty()) c.params.set("fused_activation", s.act);
  if (s.act == "clip") {
    c.params.set("clip_min", -0.25);
    c.params.set("clip_max", 0.5);
  }
  return c;
}

bool output_fits(const Conv3dSpec& s) {
  for (size_t i = 0; i < 3; ++i)
    if (s.in[i] + s.pad[2 * i] + s.pad[2 * i + 1] < s.dil[i] * (s.k[i] - 1) + 1) return false;
  return true;
}

// Hand-picked shapes of video nets (r3d stem, r2plus1d's spatial and temporal halves,
// depthwise, k past one depth block) plus seeded random combinations.
std::vector<Conv3dSpec> table() {
  std::vector<Conv3dSpec> t = {
      {1, 3, 16, 1, {4, 13, 13}, {3, 7, 7}, {1, 2, 2}, {1, 1, 1}, {1, 1, 3, 3, 3, 3}, "relu", true},
      {1, 8, 12, 1, {5, 6, 6}, {1, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 0, 1, 1, 1, 1}, "", true},
      {2, 12, 8, 1, {5, 4, 4}, {3, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 0, 0, 0, 0}, "clip", false},
      {1, 8, 16, 8, {3, 5, 5}, {3, 3, 3}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1, 1, 1, 1}, "relu", true},
      {1, 40, 9, 1, {2, 3, 3}, {2, 3, 3}, {1, 1, 1}, {1, 1, 1}, {0, 1, 1, 1, 1, 1}, "", true},
      {1, 6, 9, 3, {7, 6, 5}, {2, 2, 3}, {2, 1, 2}, {3, 2, 1}, {2, 0, 1, 0, 0, 2}, "", true},
  };
  std::mt19937 rng(77);
  auto pick = [&](std::initializer_list<int64_t> v) {
    return *(v.begin() + std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng));
  };
  while (t.size() < 40) {
    Conv3dSpec s;
    s.n = pick({1, 1, 2});
    s.groups = pick({1, 1, 2, 3});
    s.cin = s.groups * pick({1, 3, 4, 8});
    s.cout = s.groups * pick({1, 5, 8, 17});
    s.in = {pick({1, 2, 4, 5}), pick({1, 3, 6}), pick({1, 4, 7})};
    s.k = {pick({1, 2, 3}), pick({1, 3}), pick({1, 2, 3})};
    s.stride = {pick({1, 2}), pick({1, 2, 3}), pick({1, 2})};
    s.dil = {pick({1, 2}), pick({1, 1, 2}), pick({1, 2})};
    s.pad = {pick({0, 1}), pick({0, 2}), pick({0, 1}), pick({0, 1}), pick({0, 2}), pick({0, 1})};
    s.act = pick({0, 1, 2}) == 0 ? "" : (pick({0, 1}) ? "relu" : "clip");
    s.bias = pick({0, 1}) == 1;
    if (output_fits(s)) t.push_back(s);
  }
  return t;
}

TEST(FastVsRef, Conv3dEveryMicroKernel) {
  uint32_t seed = 100;
  for (const Conv3dSpec& s : table()) {
    SCOPED_TRACE(describe(s));
    auto og = build_random_op_graph(conv3d_case(s), seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    expect_fast_conv_matches_ref(*og);
  }
}

TEST(Determinism, Conv3dOneVersusManyThreadsByteIdentical) {
  auto og = build_random_op_graph(conv3d_case(table()[0]), 9);
  ASSERT_TRUE(og.has_value()) << og.error().message;
  auto one = run_op(make_kernel, *og, 1);
  auto many = run_op(make_kernel, *og, 4);
  ASSERT_TRUE(one.has_value() && many.has_value());
  EXPECT_EQ((*one)[0], (*many)[0]);
}

}  // namespace
}  // namespace oqnn::cpu::testing
