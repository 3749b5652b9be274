// ResNet-50 end to end (at 64x64 to keep the reference fast): every layer type of a real
// network, 16 residual blocks of fp16 rounding, against the CPU reference kernels.
#include <gtest/gtest.h>

#include "backends/cpu/kernels.h"
#include "gpu_test_util.h"
#include "resnet50_graph.h"
#include "runtime/host_plan.h"

namespace oqnn::gpu::testing {
namespace {

TEST(GpuResNet50, MatchesReferenceAt64) {
  std::string why;
  auto backend = open_backend("{}", &why);
  if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  ir::Graph g = resnet50_graph(64, 1);
  auto inputs = random_inputs(g, 3, 0.0f, 1.0f);
  Tensors want, got, logits_want, logits_got;
  ASSERT_TRUE(run_reference(g, inputs, &want).is_ok());
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  // Compare the logits (FullyConnected output), not only the softmax: they carry the error.
  struct Capture {
    std::string name;
    std::vector<float> values;
  } cap{g.tensor(g.nodes[g.nodes.size() - 2].outputs[0]).name, {}};
  OqnnExecuteOptions opts{};
  opts.user = &cap;
  opts.on_tensor = [](void* u, const OqnnTensorView* t) {
    auto* c = static_cast<Capture*>(u);
    if (c->name == t->name) {
      const float* f = static_cast<const float*>(t->data);
      c->values.assign(f, f + t->size / sizeof(float));
    }
  };
  Status s = run_plan(**plan, inputs, &got, &opts);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  EXPECT_LE(relative_error(got[0], want[0]), 1e-2);

  Capture ref_cap{cap.name, {}};
  auto ref = rt::HostPlan::create(g, cpu::make_ref_kernel, 1);
  ASSERT_TRUE(ref.has_value());
  OqnnExecuteOptions ref_opts = opts;
  ref_opts.user = &ref_cap;
  ASSERT_TRUE(run_plan(**ref, inputs, &want, &ref_opts).is_ok());
  ASSERT_FALSE(cap.values.empty());
  EXPECT_LE(relative_error(cap.values, ref_cap.values), 1e-2);
}

}  // namespace
}  // namespace oqnn::gpu::testing
