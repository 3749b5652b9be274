// calibrate() against a direct evaluation of the same graph with the same CPU kernels.
#include <gtest/gtest.h>

#include <random>

#include "backends/cpu/kernels.h"
#include "quant/calibrate.h"
#include "quant/quantize.h"
#include "quant_test_util.h"

namespace oqnn::quant {
namespace {

using testing::conv_relu_fc_graph;

std::vector<std::vector<std::vector<float>>> samples(const ir::Graph& g, int n) {
  std::mt19937 rng(1234);
  std::normal_distribution<float> dist(0.2f, 1.5f);
  std::vector<std::vector<std::vector<float>>> sets(static_cast<size_t>(n));
  for (auto& s : sets)
    for (ir::TensorId id : g.inputs) {
      std::vector<float> v(static_cast<size_t>(ir::num_elements(g.tensor(id).shape)));
      for (float& x : v) x = dist(rng);
      s.push_back(std::move(v));
    }
  return sets;
}

// Runs every node's kernel by hand and records the range of each non-static tensor.
ActivationRanges direct_ranges(const ir::Graph& g,
                               const std::vector<std::vector<std::vector<float>>>& sets,
                               int threads) {
  rt::ThreadPool pool(threads);
  rt::KernelContext ctx{&pool};
  std::vector<std::unique_ptr<rt::HostKernel>> kernels;
  for (const ir::Node& n : g.nodes) {
    auto k = cpu::make_kernel(g, n);
    EXPECT_TRUE(k.has_value()) << k.error().message;
    kernels.push_back(std::move(*k));
  }
  ActivationRanges out;
  for (const auto& sample : sets) {
    std::vector<std::vector<float>> buf(g.tensors.size());
    for (size_t t = 0; t < g.tensors.size(); ++t) {
      const ir::Tensor& ten = g.tensors[t];
      if (ten.is_static()) {
        auto v = ten.values<float>();
        buf[t].assign(v.begin(), v.end());
      } else {
        buf[t].resize(static_cast<size_t>(ir::num_elements(ten.shape)));
      }
    }
    for (size_t j = 0; j < g.inputs.size(); ++j) buf[static_cast<size_t>(g.inputs[j])] = sample[j];
    auto host = [&](ir::TensorId t) {
      auto& b = buf[static_cast<size_t>(t)];
      return rt::HostTensor{&g.tensor(t), reinterpret_cast<std::byte*>(b.data()),
                            b.size() * sizeof(float)};
    };
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      std::vector<rt::HostTensor> in, o;
      for (ir::TensorId t : g.nodes[i].inputs) in.push_back(host(t));
      for (ir::TensorId t : g.nodes[i].outputs) o.push_back(host(t));
      Status s = kernels[i]->run(in, o, ctx);
      EXPECT_TRUE(s.is_ok()) << s.error().message;
    }
    for (size_t t = 0; t < g.tensors.size(); ++t)
      if (!g.tensors[t].is_static()) out[g.tensors[t].name].observe(buf[t].data(), buf[t].size());
  }
  return out;
}

TEST(Calibrate, RangesMatchDirectEvaluation) {
  ir::Graph g = conv_relu_fc_graph();
  g.nodes[0].params.set("fused_activation", std::string("clip"));
  g.nodes[0].params.set("clip_min", -0.5);
  g.nodes[0].params.set("clip_max", 0.75);
  auto sets = samples(g, 3);
  auto got = calibrate(g, sets, 2);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  ActivationRanges want = direct_ranges(g, sets, 2);
  ASSERT_EQ(got->size(), want.size());
  for (const auto& [name, r] : want) {
    ASSERT_EQ(got->count(name), 1u) << name;
    EXPECT_FALSE(r.empty()) << name;
    EXPECT_EQ(got->at(name).min, r.min) << name;
    EXPECT_EQ(got->at(name).max, r.max) << name;
  }
  // The ranges cover every activation, so quantize_graph needs nothing else.
  std::vector<std::string> warnings;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, nullptr, &*got, &warnings).is_ok());
  EXPECT_TRUE(warnings.empty()) << warnings[0];
}

TEST(Calibrate, SampleErrorsNameTheInput) {
  ir::Graph g = conv_relu_fc_graph();
  auto sets = samples(g, 2);
  sets[1][0].pop_back();
  auto bad = calibrate(g, sets, 1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadInput);
  EXPECT_NE(bad.error().message.find("'x'"), std::string::npos) << bad.error().message;
  EXPECT_NE(bad.error().message.find("sample 1"), std::string::npos) << bad.error().message;
  sets[1].clear();
  EXPECT_FALSE(calibrate(g, sets, 1).has_value());
  EXPECT_FALSE(calibrate(g, {}, 1).has_value());
}

}  // namespace
}  // namespace oqnn::quant
