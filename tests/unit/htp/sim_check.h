// The float-simulation check shared by the kernel tests: finalize a one-node graph, run it
// with the reference kernels (and the fast ones, which must agree byte for byte) on random
// codes, and compare every output code with dequantize -> double -> quantize.
#pragma once

#include <gtest/gtest.h>

#include "float_sim.h"
#include "htp_test_util.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {

inline void expect_matches_float_sim(const ir::Graph& g, uint32_t seed, bool widen16 = false,
                                     double max_off_by_one = 0.03) {
  auto qg = finalize_graph(g, widen16);
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  auto ref = make_plan(*qg, KernelVariant::kReference, 1);
  auto fast = make_plan(*qg, KernelVariant::kFast, 3);
  ASSERT_TRUE(ref.has_value()) << ref.error().message;
  ASSERT_TRUE(fast.has_value()) << fast.error().message;
  const std::vector<Bytes> inputs = random_inputs(**ref, seed);
  auto got = run_plan(**ref, inputs);
  auto got_fast = run_plan(**fast, inputs);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  ASSERT_TRUE(got_fast.has_value()) << got_fast.error().message;
  EXPECT_TRUE(*got == *got_fast) << "fast and reference kernels differ";

  const ir::Node& n = qg->nodes.at(0);
  std::vector<Reals> in;
  for (ir::TensorId t : n.inputs) {
    if (t < 0) {
      in.emplace_back();
      continue;
    }
    const ir::Tensor& ten = qg->tensor(t);
    if (ten.is_static()) {
      in.push_back(static_reals(ten));
      continue;
    }
    size_t k = 0;
    while (qg->inputs[k] != t) ++k;
    in.push_back(dequantize(ten, codes_of(ten, inputs[k])));
  }
  const Reals want = simulate(*qg, n, in);
  const ir::Tensor& out = qg->tensor(qg->outputs[0]);
  const std::vector<int32_t> codes = codes_of(out, (*got)[0]);
  ASSERT_EQ(codes.size(), want.size());
  int max_diff = 0;
  size_t off = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    const int d = std::abs(codes[i] - quant::quantize_value(want[i], *out.encoding));
    if (d > max_diff) {
      max_diff = d;
      EXPECT_LE(d, 1) << "element " << i << ": kernel " << codes[i] << ", float simulation "
                      << want[i] << " -> " << quant::quantize_value(want[i], *out.encoding);
    }
    off += d != 0;
  }
  EXPECT_LE(max_diff, 1);
  // Rounding that is biased (truncation) would be off by one on about half the elements.
  EXPECT_LE(static_cast<double>(off), max_off_by_one * static_cast<double>(codes.size()) + 1)
      << off << " of " << codes.size() << " codes differ by one";
}

}  // namespace oqnn::htp::test
