// End-to-end accuracy on the seed model's shape (conv-relu, conv-relu, global average
// pool, flatten, linear) with PyTorch-default random weights: min-max calibration, weights
// int8 symmetric per tensor, HTP output vs the double-precision reference by SQNR.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "backends/htp/htp_backend.h"
#include "float_sim.h"
#include "htp_test_util.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

constexpr int64_t kSize = 48;

std::vector<float> kaiming_uniform(size_t n, int64_t fan_in, uint32_t seed) {
  const float bound = 1.0f / std::sqrt(static_cast<float>(fan_in));
  return random_floats(n, -bound, bound, seed);
}

ir::Graph seed_model() {
  GraphBuilder b("simple_model");
  ir::TensorId x = b.input("input", {1, kSize, kSize, 3}, std::nullopt);
  ir::Params conv;
  conv.set("pad_amount", std::vector<int64_t>{1, 1, 1, 1});
  conv.set("fused_activation", std::string("relu"));
  ir::TensorId c1 =
      b.node("Conv2d",
             {x, b.constant("conv1.weight", {3, 3, 3, 32}, kaiming_uniform(864, 27, 1)),
              b.constant("conv1.bias", {32}, kaiming_uniform(32, 27, 2))},
             std::nullopt, conv, false);
  ir::TensorId c2 =
      b.node("Conv2d",
             {c1, b.constant("conv2.weight", {3, 3, 32, 64}, kaiming_uniform(18432, 288, 3)),
              b.constant("conv2.bias", {64}, kaiming_uniform(64, 288, 4))},
             std::nullopt, conv, false);
  ir::Params pool;
  pool.set("filter_size", std::vector<int64_t>{kSize, kSize});
  ir::TensorId p = b.node("PoolAvg2d", {c2}, std::nullopt, pool, false);
  ir::Params flat;
  flat.set("shape", std::vector<int64_t>{1, 64});
  ir::TensorId f = b.node("Reshape", {p}, std::nullopt, flat, false);
  b.node("FullyConnected",
         {f, b.constant("fc.weight", {10, 64}, kaiming_uniform(640, 64, 5)),
          b.constant("fc.bias", {10}, kaiming_uniform(10, 64, 6))},
         std::nullopt);
  return b.g;
}

TEST(HtpAccuracy, SeedModelSqnrAbove40dB) {
  ir::Graph g = seed_model();
  // Calibration set = evaluation set (as with --input_list): standard normal images.
  std::vector<Reals> images;
  std::mt19937 rng(2024);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (int i = 0; i < 4; ++i) {
    Reals img(static_cast<size_t>(kSize * kSize * 3));
    for (double& v : img) v = normal(rng);
    images.push_back(std::move(img));
  }
  std::vector<double> lo(g.tensors.size(), INFINITY), hi(g.tensors.size(), -INFINITY);
  std::vector<Reals> reference;
  for (const Reals& img : images) {
    auto values = simulate_graph(g, {img});
    for (const auto& [id, v] : values)
      for (double d : v) {
        lo[id] = std::min(lo[id], d);
        hi[id] = std::max(hi[id], d);
      }
    reference.push_back(values.at(g.outputs[0]));
  }
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (!g.tensors[t].is_static()) g.tensors[t].encoding = quant::tf_encoding(lo[t], hi[t], 8);

  auto backend = create_backend(R"({"hvx_threads": 2})");
  ASSERT_TRUE(backend.has_value());
  auto plan = (*backend)->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const ir::Tensor& in = (*plan)->inputs()[0];
  const ir::Tensor& out = (*plan)->outputs()[0];
  double signal = 0, noise = 0;
  for (size_t i = 0; i < images.size(); ++i) {
    std::vector<float> f(images[i].begin(), images[i].end());
    Bytes q(f.size());
    quant::quantize_buffer(f, *in.encoding, q.data());
    auto o = run_plan(**plan, {q});
    ASSERT_TRUE(o.has_value()) << o.error().message;
    std::vector<float> y(10);
    quant::dequantize_buffer((*o)[0].data(), y.size(), *out.encoding, y.data());
    for (size_t k = 0; k < y.size(); ++k) {
      signal += reference[i][k] * reference[i][k];
      noise += (reference[i][k] - y[k]) * (reference[i][k] - y[k]);
    }
  }
  const double sqnr = 10.0 * std::log10(signal / std::max(noise, 1e-30));
  std::printf("seed model SQNR: %.2f dB\n", sqnr);
  EXPECT_GE(sqnr, 40.0);
}

}  // namespace
}  // namespace oqnn::htp::test
