// The fast MatMul against the reference: broadcast batches, transposed inputs, static and
// run-time right sides, odd sizes (edge tiles), depth past one pass, for every GEMM
// micro-kernel this CPU runs; FMA kernels bit-identical to each other; outputs
// byte-identical for any thread count and whether B is static or an input.
#include <gtest/gtest.h>

#include <cstring>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernels.h"
#include "op_test_util.h"

namespace oqnn::cpu::testing {
namespace {

struct MatMulSpec {
  ir::Shape a, b;
  bool ta, tb, static_b;
};

OpCase matmul_case(const MatMulSpec& s) {
  OpCase c;
  c.op = "MatMul";
  c.inputs.push_back({s.a, false});
  c.inputs.push_back({s.b, s.static_b});
  if (s.ta) c.params.set("transpose_in0", int64_t{1});
  if (s.tb) c.params.set("transpose_in1", int64_t{1});
  return c;
}

std::vector<MatMulSpec> matmul_table() {
  return {
      {{1, 1}, {1, 1}, false, false, false},
      {{5, 7}, {7, 3}, false, false, true},
      {{2, 3, 17, 33}, {33, 40}, false, false, true},  // B broadcast over batches
      {{2, 3, 17, 33}, {33, 40}, false, false, false},
      {{3, 1, 9, 20}, {4, 20, 13}, false, false, false},  // both broadcast
      {{4, 29, 16}, {4, 31, 16}, false, true, false},     // attention Q.K^T
      {{4, 29, 31}, {4, 31, 16}, false, false, false},    // attention A.V
      {{2, 30, 13}, {2, 30, 50}, true, false, false},     // A transposed
      {{2, 30, 13}, {2, 50, 30}, true, true, true},       // both transposed
      {{1, 300}, {300, 70}, false, false, true},          // depth past one pass
      {{130, 600}, {70, 600}, false, true, false},        // rows past one block
      {{3, 1, 64}, {3, 64, 33}, false, false, false},     // one row
      {{2, 7, 0}, {2, 0, 5}, false, false, false},        // no depth: zeros
  };
}

std::string describe(const MatMulSpec& s) {
  return ir::shape_str(s.a) + (s.ta ? "^T" : "") + " x " + ir::shape_str(s.b) + (s.tb ? "^T" : "") +
         (s.static_b ? " static" : "");
}

TEST(FastMatMul, MatchesReferenceEveryMicroKernel) {
  uint32_t seed = 7000;
  for (const MatMulSpec& s : matmul_table()) {
    SCOPED_TRACE(describe(s));
    auto og = build_random_op_graph(matmul_case(s), seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    auto want = run_op(make_ref_kernel, *og, 1);
    ASSERT_TRUE(want.has_value()) << want.error().message;
    std::vector<std::vector<float>> fma;
    for (const fast::MicroKernel& uk : fast::micro_kernels()) {
      SCOPED_TRACE(uk.name);
      auto k = fast::make_matmul(og->graph, og->graph.nodes[0], &uk);
      ASSERT_TRUE(k.has_value()) << k.error().message;
      auto got = run_kernel(**k, *og, 2);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      EXPECT_TRUE(all_close((*got)[0], (*want)[0], 1e-5));
      if (std::string(uk.name).find("avx") != std::string::npos) fma.push_back((*got)[0]);
    }
    for (size_t i = 1; i < fma.size(); ++i) EXPECT_EQ(fma[i], fma[0]);
  }
}

TEST(FastMatMul, ByteIdenticalForAnyThreadCountAndStaticOrInputB) {
  uint32_t seed = 7100;
  for (MatMulSpec s : matmul_table()) {
    SCOPED_TRACE(describe(s));
    s.static_b = false;
    auto og = build_random_op_graph(matmul_case(s), seed);
    s.static_b = true;
    auto og_static = build_op_graph(matmul_case(s), og->data);
    ++seed;
    ASSERT_TRUE(og.has_value() && og_static.has_value());
    auto one = run_op(make_kernel, *og, 1);
    ASSERT_TRUE(one.has_value()) << one.error().message;
    const size_t bytes = (*one)[0].size() * sizeof(float);
    for (int threads : {2, 3}) {
      auto many = run_op(make_kernel, *og, threads);
      auto stat = run_op(make_kernel, *og_static, threads);
      ASSERT_TRUE(many.has_value() && stat.has_value());
      EXPECT_EQ(std::memcmp((*one)[0].data(), (*many)[0].data(), bytes), 0) << threads;
      EXPECT_EQ(std::memcmp((*one)[0].data(), (*stat)[0].data(), bytes), 0) << threads;
    }
  }
}

}  // namespace
}  // namespace oqnn::cpu::testing
