// Times the fast CPU kernels on ResNet-50's convolution shapes (224x224, batch 1) and a few
// transformer MatMuls: min over repetitions per layer, GFLOP/s, and the sum. A measuring
// tool, not a test: bench_cpu_fast [threads] [reps] [filter substring].
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "backends/cpu/kernels.h"
#include "op_test_util.h"

namespace oqnn::cpu::testing {
namespace {

struct Layer {
  std::string name;
  OpCase op;
  double flops;
  int count;  // occurrences in the model
};

Layer conv(const char* name, int64_t hw, int64_t cin, int64_t cout, int64_t k, int64_t s, int count,
           bool depthwise = false) {
  OpCase c;
  c.op = depthwise ? "DepthWiseConv2d" : "Conv2d";
  c.inputs.push_back({{1, hw, hw, cin}, false});
  c.inputs.push_back({{k, k, depthwise ? 1 : cin, cout}, true});
  c.inputs.push_back({{cout}, true});
  c.params.set("stride", std::vector<int64_t>{s, s});
  c.params.set("pad_amount", std::vector<int64_t>{k / 2, k / 2, k / 2, k / 2});
  c.params.set("fused_activation", std::string("relu"));
  const int64_t ho = (hw + 2 * (k / 2) - k) / s + 1;
  const double flops = 2.0 * ho * ho * cout * k * k * (depthwise ? 1 : cin);
  return {name, c, flops, count};
}

Layer matmul(const char* name, ir::Shape a, ir::Shape b, bool tb, int count) {
  OpCase c;
  c.op = "MatMul";
  c.inputs.push_back({a, false});
  c.inputs.push_back({b, false});
  if (tb) c.params.set("transpose_in1", int64_t{1});
  const int64_t k = a.back(), n = tb ? b[b.size() - 2] : b.back();
  return {name, c, 2.0 * static_cast<double>(ir::num_elements(a) / k) * n * k, count};
}

int run(int threads, int reps, const std::string& filter) {
  std::vector<Layer> layers = {
      conv("r50 stem 7x7 3-64 s2", 224, 3, 64, 7, 2, 1),
      conv("r50 l1 1x1 64-64", 56, 64, 64, 1, 1, 1),
      conv("r50 l1 3x3 64-64", 56, 64, 64, 3, 1, 3),
      conv("r50 l1 1x1 64-256", 56, 64, 256, 1, 1, 4),
      conv("r50 l1 1x1 256-64", 56, 256, 64, 1, 1, 2),
      conv("r50 l2 1x1 256-128", 56, 256, 128, 1, 1, 1),
      conv("r50 l2 3x3 128 s2", 56, 128, 128, 3, 2, 1),
      conv("r50 l2 1x1 256-512 s2", 56, 256, 512, 1, 2, 1),
      conv("r50 l2 3x3 128-128", 28, 128, 128, 3, 1, 3),
      conv("r50 l2 1x1 128-512", 28, 128, 512, 1, 1, 4),
      conv("r50 l2 1x1 512-128", 28, 512, 128, 1, 1, 3),
      conv("r50 l3 1x1 512-256", 28, 512, 256, 1, 1, 1),
      conv("r50 l3 3x3 256 s2", 28, 256, 256, 3, 2, 1),
      conv("r50 l3 1x1 512-1024 s2", 28, 512, 1024, 1, 2, 1),
      conv("r50 l3 3x3 256-256", 14, 256, 256, 3, 1, 5),
      conv("r50 l3 1x1 256-1024", 14, 256, 1024, 1, 1, 6),
      conv("r50 l3 1x1 1024-256", 14, 1024, 256, 1, 1, 5),
      conv("r50 l4 1x1 1024-512", 14, 1024, 512, 1, 1, 1),
      conv("r50 l4 3x3 512 s2", 14, 512, 512, 3, 2, 1),
      conv("r50 l4 1x1 1024-2048 s2", 14, 1024, 2048, 1, 2, 1),
      conv("r50 l4 3x3 512-512", 7, 512, 512, 3, 1, 2),
      conv("r50 l4 1x1 512-2048", 7, 512, 2048, 1, 1, 3),
      conv("r50 l4 1x1 2048-512", 7, 2048, 512, 1, 1, 2),
      conv("dw 3x3 112x112x32", 112, 32, 32, 3, 1, 1, true),
      conv("dw 3x3 56x56x144 s2", 56, 144, 144, 3, 2, 1, true),
      conv("dw 5x5 14x14x672", 14, 672, 672, 5, 1, 1, true),
      matmul("vit QK^T 12x197x64", {1, 12, 197, 64}, {1, 12, 197, 64}, true, 12),
      matmul("vit AV 12x197x197", {1, 12, 197, 197}, {1, 12, 197, 64}, false, 12),
      matmul("bert QK^T 12x128x64", {1, 12, 128, 64}, {1, 12, 128, 64}, true, 12),
  };
  double total = 0.0;
  uint32_t seed = 1;
  rt::ThreadPool pool(threads);
  rt::KernelContext ctx{&pool};
  for (const Layer& l : layers) {
    if (l.name.find(filter) == std::string::npos) continue;
    auto og = build_random_op_graph(l.op, seed++);
    if (!og) return std::fprintf(stderr, "%s: %s\n", l.name.c_str(), og.error().message.c_str()), 1;
    auto k = make_kernel(og->graph, og->graph.nodes[0]);
    if (!k) return std::fprintf(stderr, "%s: %s\n", l.name.c_str(), k.error().message.c_str()), 1;
    const ir::Graph& g = og->graph;
    const ir::Node& n = g.nodes.front();
    std::vector<rt::HostTensor> in, out;
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const ir::Tensor& t = g.tensor(n.inputs[i]);
      auto* p = t.is_static() ? const_cast<std::byte*>(t.data->data())
                              : reinterpret_cast<std::byte*>(og->data[i].data());
      in.push_back({&t, p, og->data[i].size() * sizeof(float)});
    }
    const ir::Tensor& y = g.tensor(n.outputs[0]);
    std::vector<float> result(static_cast<size_t>(ir::num_elements(y.shape)));
    out.push_back({&y, reinterpret_cast<std::byte*>(result.data()), result.size() * sizeof(float)});
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      Status st = (*k)->run(in, out, ctx);
      auto t1 = std::chrono::steady_clock::now();
      if (!st.is_ok())
        return std::fprintf(stderr, "%s: %s\n", l.name.c_str(), st.error().message.c_str()), 1;
      best = std::min(best, std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    total += best * l.count;
    std::printf("%-28s x%-2d %8.3f ms %7.1f GFLOP/s\n", l.name.c_str(), l.count, best,
                l.flops / best * 1e-6);
  }
  std::printf("total (x count) %.2f ms\n", total);
  return 0;
}

}  // namespace
}  // namespace oqnn::cpu::testing

int main(int argc, char** argv) {
  int threads = argc > 1 ? std::atoi(argv[1]) : 1, reps = argc > 2 ? std::atoi(argv[2]) : 10;
  return oqnn::cpu::testing::run(threads, reps, argc > 3 ? argv[3] : "");
}
