#include "gpu_test_util.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <random>

#include "backends/cpu/kernels.h"
#include "ir/int_values.h"
#include "ir/op_def.h"
#include "ir/verifier.h"
#include "runtime/host_plan.h"

namespace oqnn::gpu::testing {

std::unique_ptr<GpuBackend> open_backend(const std::string& config_json, std::string* why) {
  auto b = GpuBackend::create(config_json);
  if (!b) {
    if (why) *why = b.error().message;
    return nullptr;
  }
  return std::move(*b);
}

GpuBackend* shared_backend(const std::string& config_json, std::string* why) {
  static std::map<std::string, std::unique_ptr<GpuBackend>> backends;
  auto& b = backends[config_json];
  if (!b) b = open_backend(config_json, why);
  return b.get();
}

namespace {

std::vector<float> uniform(size_t n, float lo, float hi, std::mt19937& rng) {
  std::uniform_real_distribution<float> d(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = d(rng);
  return v;
}

// Float values in `dt`: float32 as they are, integers rounded down and saturated (so a
// range lo..hi+1 gives lo..hi), bool v >= 0.5.
std::vector<std::byte> to_dtype(const std::vector<float>& v, ir::DataType dt) {
  const size_t es = ir::dtype_size(dt);
  std::vector<std::byte> out(v.size() * es);
  for (size_t i = 0; i < v.size(); ++i) {
    if (dt == ir::DataType::kFloat32)
      std::memcpy(out.data() + i * 4, &v[i], 4);
    else if (dt == ir::DataType::kBool)
      out[i] = std::byte{static_cast<unsigned char>(v[i] >= 0.5f ? 1 : 0)};
    else
      ir::store_int(dt, std::floor(static_cast<double>(v[i])), out.data() + i * es);
  }
  return out;
}

}  // namespace

ir::Graph one_node_graph(const std::string& op, const std::vector<InputSpec>& inputs,
                         const ir::Params& params, uint32_t seed) {
  std::mt19937 rng(seed);
  ir::Graph g;
  g.name = "one_" + op;
  ir::Node n{"node", op, {}, {}, params};
  for (size_t i = 0; i < inputs.size(); ++i) {
    const InputSpec& s = inputs[i];
    std::string name = "in" + std::to_string(i);
    if (s.is_static) {
      auto v = uniform(static_cast<size_t>(ir::num_elements(s.shape)), s.lo, s.hi, rng);
      std::vector<std::byte> bytes = to_dtype(v, s.dtype);
      n.inputs.push_back(g.add_static(name, s.dtype, s.shape, make_owned_blob(std::move(bytes))));
    } else {
      ir::TensorId t = g.add_tensor({name, s.dtype, s.shape, ir::TensorKind::kInput, {}, {}});
      n.inputs.push_back(t);
      g.inputs.push_back(t);
    }
  }
  ir::TensorId out =
      g.add_tensor({"out", ir::DataType::kFloat32, {}, ir::TensorKind::kOutput, {}, {}});
  n.outputs.push_back(out);
  g.outputs.push_back(out);
  g.nodes.push_back(std::move(n));
  Status s = ir::infer_shapes(g);
  if (!s) g.nodes.clear();  // the caller's verify reports the problem
  return g;
}

std::vector<std::vector<float>> random_inputs(const ir::Graph& g, uint32_t seed, float lo,
                                              float hi) {
  std::mt19937 rng(seed);
  std::vector<std::vector<float>> out;
  for (ir::TensorId t : g.inputs)
    out.push_back(uniform(static_cast<size_t>(ir::num_elements(g.tensor(t).shape)), lo, hi, rng));
  return out;
}

Bytes random_bytes(const ir::Graph& g, uint32_t seed, float lo, float hi) {
  std::mt19937 rng(seed);
  Bytes out;
  for (ir::TensorId t : g.inputs) {
    const ir::Tensor& ten = g.tensor(t);
    const bool integral = !ir::is_float(ten.dtype);
    const float top = integral && ten.dtype != ir::DataType::kBool ? hi + 1.0f : hi;
    const float bottom = ten.dtype == ir::DataType::kBool ? 0.0f : lo;
    const float upper = ten.dtype == ir::DataType::kBool ? 1.0f : top;
    out.push_back(to_dtype(
        uniform(static_cast<size_t>(ir::num_elements(ten.shape)), bottom, upper, rng), ten.dtype));
  }
  return out;
}

std::vector<float> as_floats(const std::vector<std::byte>& b) {
  std::vector<float> v(b.size() / sizeof(float));
  std::memcpy(v.data(), b.data(), v.size() * sizeof(float));
  return v;
}

namespace {

// Views of host tensors (float32 vectors or bytes), sized in bytes.
template <class V>
std::vector<OqnnTensorView> views(const std::vector<ir::Tensor>& ts, std::vector<V>& data) {
  std::vector<OqnnTensorView> v;
  for (size_t i = 0; i < ts.size(); ++i) {
    OqnnTensorView tv{};
    tv.name = ts[i].name.c_str();
    tv.dtype = static_cast<int32_t>(ts[i].dtype);
    tv.rank = static_cast<uint32_t>(ts[i].shape.size());
    tv.dims = ts[i].shape.data();
    tv.data = data[i].data();
    tv.size = data[i].size() * sizeof(typename V::value_type);
    v.push_back(tv);
  }
  return v;
}

}  // namespace

Status run_plan(rt::PlanImpl& plan, const Tensors& inputs, Tensors* outputs,
                const OqnnExecuteOptions* opts) {
  Tensors in = inputs;
  outputs->clear();
  for (const ir::Tensor& t : plan.outputs())
    outputs->emplace_back(static_cast<size_t>(ir::num_elements(t.shape)), std::nanf(""));
  auto iv = views(plan.inputs(), in);
  auto ov = views(plan.outputs(), *outputs);
  return plan.execute(iv, ov, opts);
}

Status run_reference(const ir::Graph& g, const Tensors& inputs, Tensors* outputs) {
  auto plan = rt::HostPlan::create(g, cpu::make_ref_kernel, 1);
  if (!plan) return plan.error();
  return run_plan(**plan, inputs, outputs);
}

Status run_plan_bytes(rt::PlanImpl& plan, const Bytes& inputs, Bytes* outputs) {
  Bytes in = inputs;
  outputs->clear();
  for (const ir::Tensor& t : plan.outputs())  // 0xAB: nothing a kernel would leave
    outputs->emplace_back(static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype),
                          std::byte{0xAB});
  auto iv = views(plan.inputs(), in);
  auto ov = views(plan.outputs(), *outputs);
  return plan.execute(iv, ov, nullptr);
}

Status run_reference_bytes(const ir::Graph& g, const Bytes& inputs, Bytes* outputs) {
  auto plan = rt::HostPlan::create(g, cpu::make_ref_kernel, 1);
  if (!plan) return plan.error();
  return run_plan_bytes(**plan, inputs, outputs);
}

Expected<std::unique_ptr<rt::PlanImpl>> run_gpu_and_reference(GpuBackend& backend,
                                                              const ir::Graph& g,
                                                              const Bytes& inputs, Bytes* want,
                                                              Bytes* got) {
  OQNN_RETURN_IF_ERROR(run_reference_bytes(g, inputs, want));
  OQNN_ASSIGN_OR_RETURN(auto plan, backend.finalize(g));
  OQNN_RETURN_IF_ERROR(run_plan_bytes(*plan, inputs, got));
  if (got->size() != want->size()) return internal_error("gpu and reference output counts differ");
  return plan;
}

double relative_error(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
  double max_ref = 0, max_diff = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    max_ref = std::max(max_ref, std::fabs(static_cast<double>(b[i])));
    double d = std::fabs(static_cast<double>(a[i]) - b[i]);
    if (std::isnan(d)) return std::numeric_limits<double>::infinity();
    max_diff = std::max(max_diff, d);
  }
  return max_ref > 0 ? max_diff / max_ref : max_diff;
}

}  // namespace oqnn::gpu::testing
