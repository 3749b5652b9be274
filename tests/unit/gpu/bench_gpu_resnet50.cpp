// Times ResNet-50 on the GPU backend (random weights) and checks its logits against the
// CPU backend's fast kernels. Usage: bench_gpu_resnet50 [size=224] [runs=3] [config_json]
#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "backends/cpu/kernels.h"
#include "gpu_test_util.h"
#include "resnet50_graph.h"
#include "runtime/host_plan.h"

using namespace oqnn;
using namespace oqnn::gpu::testing;

namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// CPU time of the whole process (PoCL's worker threads included): on a shared machine
// wall time says little, CPU time / cores is what an idle machine would show.
double process_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t size = argc > 1 ? std::atoll(argv[1]) : 224;
  int runs = argc > 2 ? std::atoi(argv[2]) : 3;
  std::string config = argc > 3 ? argv[3] : "{}";
  std::string why;
  auto backend = open_backend(config, &why);
  if (!backend) {
    std::fprintf(stderr, "no OpenCL device: %s\n", why.c_str());
    return 1;
  }
  std::printf("device: %s\n", backend->device().info().name.c_str());
  ir::Graph g = resnet50_graph(size, 1);
  auto t0 = std::chrono::steady_clock::now();
  auto plan = backend->finalize(g);
  if (!plan) {
    std::fprintf(stderr, "finalize: %s\n", plan.error().message.c_str());
    return 1;
  }
  std::printf("finalize: %.2f s\n", seconds_since(t0));
  auto inputs = random_inputs(g, 2, 0.0f, 1.0f);
  Tensors got;
  t0 = std::chrono::steady_clock::now();
  if (Status s = run_plan(**plan, inputs, &got); !s) {
    std::fprintf(stderr, "execute: %s\n", s.error().message.c_str());
    return 1;
  }
  std::printf("first run (kernel compile on PoCL): %.2f s\n", seconds_since(t0));
  double best = 1e30, best_cpu = 1e30;
  for (int i = 0; i < runs; ++i) {
    t0 = std::chrono::steady_clock::now();
    double c0 = process_cpu_seconds();
    if (!run_plan(**plan, inputs, &got)) return 1;
    best = std::min(best, seconds_since(t0));
    best_cpu = std::min(best_cpu, process_cpu_seconds() - c0);
  }
  std::printf("resnet50 %lldx%lld: best of %d runs %.3f s wall, %.3f s cpu\n",
              static_cast<long long>(size), static_cast<long long>(size), runs, best, best_cpu);

  // Time per op (convolutions per kernel size), from the per-node timing callback.
  struct Timing {
    const ir::Graph* g;
    std::map<std::string, double> seconds;
  } timing{&g, {}};
  OqnnExecuteOptions opts{};
  opts.user = &timing;
  opts.on_node_time = [](void* u, const char* node, const char* op, uint64_t ns) {
    auto* t = static_cast<Timing*>(u);
    std::string key = op;
    const ir::Node* n = t->g->find_node(node);
    if (key == "Conv2d" && n) {
      const ir::Shape& w = t->g->tensor(n->inputs[1]).shape;
      key += " " + std::to_string(w[0]) + "x" + std::to_string(w[1]) + " s" +
             std::to_string(n->params.get_ints("stride", {1, 1})[0]);
    }
    t->seconds[key] += static_cast<double>(ns) * 1e-9;
  };
  double c0 = process_cpu_seconds();
  if (!run_plan(**plan, inputs, &got, &opts)) return 1;
  std::printf("timed run: %.3f s cpu\n", process_cpu_seconds() - c0);
  for (const auto& [op, sec] : timing.seconds)
    std::printf("  %-16s %.3f s wall\n", op.c_str(), sec);

  auto cpu = rt::HostPlan::create(g, cpu::make_kernel, 2);
  Tensors want;
  if (!cpu || !run_plan(**cpu, inputs, &want)) return 1;
  double err = relative_error(got[0], want[0]);
  std::printf("max |gpu - cpu| / max |cpu| on the probabilities: %.2e\n", err);
  return err <= 1e-2 ? 0 : 2;
}
