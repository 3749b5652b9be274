#include "op_test_util.h"

#include <cmath>
#include <random>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernels.h"
#include "ir/verifier.h"

namespace oqnn::cpu::testing {

std::vector<float> random_floats(size_t count, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(count);
  for (float& x : v) x = dist(rng);
  return v;
}

Expected<OpGraph> build_op_graph(const OpCase& c, std::vector<std::vector<float>> data) {
  OpGraph og;
  ir::Graph& g = og.graph;
  g.name = "op_test";
  ir::Node n{"node", c.op, {}, {}, c.params};
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const OpInput& in = c.inputs[i];
    std::string name = "in" + std::to_string(i);
    if (data[i].size() != static_cast<size_t>(ir::num_elements(in.shape)))
      return bad_input("test input " + name + " has the wrong number of values");
    ir::TensorId t;
    if (in.is_static) {
      t = g.add_static(name, ir::DataType::kFloat32, in.shape,
                       make_owned_blob(data[i].data(), data[i].size() * sizeof(float)));
    } else {
      t = g.add_tensor({name, ir::DataType::kFloat32, in.shape, ir::TensorKind::kInput, {}, {}});
      g.inputs.push_back(t);
    }
    n.inputs.push_back(t);
  }
  ir::TensorId y =
      g.add_tensor({"out0", ir::DataType::kFloat32, {}, ir::TensorKind::kOutput, {}, {}});
  n.outputs.push_back(y);
  g.outputs.push_back(y);
  g.nodes.push_back(std::move(n));
  OQNN_RETURN_IF_ERROR(ir::infer_shapes(g));
  OQNN_RETURN_IF_ERROR(ir::verify(g));
  og.data = std::move(data);
  return og;
}

Expected<OpGraph> build_random_op_graph(const OpCase& c, uint32_t seed) {
  std::vector<std::vector<float>> data;
  for (size_t i = 0; i < c.inputs.size(); ++i)
    data.push_back(random_floats(static_cast<size_t>(ir::num_elements(c.inputs[i].shape)),
                                 seed * 977u + static_cast<uint32_t>(i)));
  return build_op_graph(c, std::move(data));
}

Expected<std::vector<std::vector<float>>> run_kernel(rt::HostKernel& kernel, const OpGraph& og,
                                                     int threads) {
  const ir::Graph& g = og.graph;
  const ir::Node& n = g.nodes.front();
  std::vector<rt::HostTensor> in, out;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const ir::Tensor& t = g.tensor(n.inputs[i]);
    // Static inputs are read from the graph, as the plan does; the others from `data`.
    auto* p = t.is_static() ? const_cast<std::byte*>(t.data->data())
                            : reinterpret_cast<std::byte*>(const_cast<float*>(og.data[i].data()));
    in.push_back({&t, p, og.data[i].size() * sizeof(float)});
  }
  std::vector<std::vector<float>> results;
  for (ir::TensorId t : n.outputs)
    results.emplace_back(static_cast<size_t>(ir::num_elements(g.tensor(t).shape)), NAN);
  for (size_t i = 0; i < n.outputs.size(); ++i)
    out.push_back({&g.tensor(n.outputs[i]), reinterpret_cast<std::byte*>(results[i].data()),
                   results[i].size() * sizeof(float)});
  rt::ThreadPool pool(threads);
  rt::KernelContext ctx{&pool};
  OQNN_RETURN_IF_ERROR(kernel.run(in, out, ctx));
  return results;
}

Expected<std::vector<std::vector<float>>> run_op(Factory factory, const OpGraph& og, int threads) {
  auto k = factory(og.graph, og.graph.nodes.front());
  if (!k) return k.error();
  return run_kernel(**k, og, threads);
}

::testing::AssertionResult all_close(const std::vector<float>& got, const std::vector<float>& want,
                                     double rel) {
  if (got.size() != want.size())
    return ::testing::AssertionFailure() << "sizes differ: " << got.size() << " vs " << want.size();
  double mean_abs = 0.0;
  for (float w : want) mean_abs += std::fabs(w);
  mean_abs /= std::max<size_t>(1, want.size());
  size_t bad = 0, worst = 0;
  double worst_excess = -1.0;
  for (size_t i = 0; i < got.size(); ++i) {
    double tol = rel * (std::fabs(want[i]) + mean_abs);
    double err = std::fabs(static_cast<double>(got[i]) - want[i]);
    bool same_nonfinite = !std::isfinite(want[i]) &&
                          (got[i] == want[i] || (std::isnan(got[i]) && std::isnan(want[i])));
    if (same_nonfinite) continue;
    if (!(err <= tol)) {
      ++bad;
      double excess = std::isfinite(err) ? err - tol : 1e300;
      if (excess > worst_excess) worst_excess = excess, worst = i;
    }
  }
  if (bad == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << bad << " of " << got.size() << " values differ; worst at [" << worst << "]: got "
         << got[worst] << ", want " << want[worst] << " (rel tolerance " << rel << ")";
}

void expect_fast_conv_matches_ref(const OpGraph& og) {
  auto want = run_op(make_ref_kernel, og, 1);
  ASSERT_TRUE(want.has_value()) << want.error().message;
  for (const fast::MicroKernel& uk : fast::micro_kernels()) {
    SCOPED_TRACE(uk.name);
    auto k = fast::make_conv2d(og.graph, og.graph.nodes[0], &uk);
    ASSERT_TRUE(k.has_value()) << k.error().message;
    auto got = run_kernel(**k, og, 2);
    ASSERT_TRUE(got.has_value()) << got.error().message;
    EXPECT_TRUE(all_close((*got)[0], (*want)[0], 1e-5));
  }
}

}  // namespace oqnn::cpu::testing
