#include "resnet50_graph.h"

#include <cmath>
#include <random>
#include <string>

namespace oqnn::gpu::testing {
namespace {

using Ints = std::vector<int64_t>;

class Builder {
 public:
  Builder(ir::Graph& g, uint32_t seed) : g_(g), rng_(seed) {}

  ir::TensorId weight(ir::Shape shape, float bound) {
    std::uniform_real_distribution<float> d(-bound, bound);
    std::vector<float> v(static_cast<size_t>(ir::num_elements(shape)));
    for (float& x : v) x = d(rng_);
    return g_.add_static("w" + std::to_string(g_.tensors.size()), ir::DataType::kFloat32, shape,
                         make_owned_blob(v.data(), v.size() * sizeof(float)));
  }

  ir::TensorId node(const std::string& op, std::vector<ir::TensorId> in, ir::Shape out,
                    ir::Params p = {}) {
    std::string name = op + "_" + std::to_string(g_.nodes.size());
    ir::TensorId t = g_.add_tensor({name + "_out",
                                    ir::DataType::kFloat32,
                                    std::move(out),
                                    ir::TensorKind::kIntermediate,
                                    {},
                                    {}});
    g_.nodes.push_back({name, op, std::move(in), {t}, std::move(p)});
    return t;
  }

  // Conv2d with folded batch norm; `gain` scales the He bound (small for the last conv of
  // a residual branch, so activations stay in range over 16 blocks).
  ir::TensorId conv(ir::TensorId x, int64_t k, int64_t cout, int64_t stride, bool relu,
                    float gain = 1.0f) {
    const ir::Shape& s = g_.tensor(x).shape;
    int64_t cin = s[3], pad = k / 2;
    float bound = gain * std::sqrt(6.0f / static_cast<float>(k * k * cin));
    ir::Params p;
    p.set("stride", Ints{stride, stride});
    p.set("pad_amount", Ints{pad, pad, pad, pad});
    if (relu) p.set("fused_activation", std::string("relu"));
    int64_t ho = (s[1] + 2 * pad - k) / stride + 1, wo = (s[2] + 2 * pad - k) / stride + 1;
    return node("Conv2d", {x, weight({k, k, cin, cout}, bound), weight({cout}, 0.05f)},
                {s[0], ho, wo, cout}, p);
  }

  ir::TensorId bottleneck(ir::TensorId x, int64_t width, int64_t stride) {
    int64_t cin = g_.tensor(x).shape[3];
    ir::TensorId y = conv(x, 1, width, 1, true);
    y = conv(y, 3, width, stride, true);
    y = conv(y, 1, width * 4, 1, false, 0.3f);
    ir::TensorId shortcut = x;
    if (stride != 1 || cin != width * 4) shortcut = conv(x, 1, width * 4, stride, false, 0.5f);
    ir::TensorId sum = node("ElementWiseAdd", {y, shortcut}, g_.tensor(y).shape);
    return node("Relu", {sum}, g_.tensor(sum).shape);
  }

 private:
  ir::Graph& g_;
  std::mt19937 rng_;
};

}  // namespace

ir::Graph resnet50_graph(int64_t size, uint32_t seed) {
  ir::Graph g;
  g.name = "resnet50";
  Builder b(g, seed);
  ir::TensorId x = g.add_tensor(
      {"image", ir::DataType::kFloat32, {1, size, size, 3}, ir::TensorKind::kInput, {}, {}});
  g.inputs.push_back(x);
  ir::TensorId y = b.conv(x, 7, 64, 2, true);
  ir::Params pool;
  pool.set("filter_size", Ints{3, 3});
  pool.set("stride", Ints{2, 2});
  pool.set("pad_amount", Ints{1, 1, 1, 1});
  int64_t s = size / 4;
  y = b.node("PoolMax2d", {y}, {1, s, s, 64}, pool);
  const int64_t widths[] = {64, 128, 256, 512}, blocks[] = {3, 4, 6, 3};
  for (int stage = 0; stage < 4; ++stage)
    for (int64_t i = 0; i < blocks[stage]; ++i)
      y = b.bottleneck(y, widths[stage], stage > 0 && i == 0 ? 2 : 1);
  ir::Params mean;
  mean.set("axes", Ints{1, 2});
  mean.set("keep_dims", int64_t{0});
  y = b.node("ReduceMean", {y}, {1, 2048}, mean);
  y = b.node("FullyConnected",
             {y, b.weight({1000, 2048}, std::sqrt(6.0f / 2048)), b.weight({1000}, 0.05f)},
             {1, 1000});
  ir::TensorId probs = b.node("Softmax", {y}, {1, 1000});
  g.tensor(probs).name = "probs";
  g.tensor(probs).kind = ir::TensorKind::kOutput;
  g.outputs.push_back(probs);
  return g;
}

}  // namespace oqnn::gpu::testing
