#include "pass_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "backends/cpu/kernels.h"
#include "ir/op_def.h"
#include "ir/verifier.h"
#include "passes/perm.h"
#include "runtime/host_plan.h"

namespace oqnn::passes::testing {

ir::Params params(std::initializer_list<std::pair<std::string, ir::ParamValue>> kv) {
  ir::Params p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return p;
}

std::vector<int64_t> ints(std::initializer_list<int64_t> v) {
  return v;
}

GraphBuilder::GraphBuilder(uint32_t seed) : rng_(seed) {
  g_.name = "test_graph";
}

ir::TensorId GraphBuilder::input(const std::string& name, ir::Shape shape) {
  ir::TensorId id = g_.add_tensor(
      {name, ir::DataType::kFloat32, std::move(shape), ir::TensorKind::kInput, {}, {}});
  g_.inputs.push_back(id);
  return id;
}

ir::TensorId GraphBuilder::weight(const std::string& name, ir::Shape shape, float lo, float hi) {
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(static_cast<size_t>(ir::num_elements(shape)));
  for (auto& x : v) x = dist(rng_);
  return constant(name, std::move(shape), std::move(v));
}

ir::TensorId GraphBuilder::constant(const std::string& name, ir::Shape shape,
                                    std::vector<float> values) {
  return g_.add_static(name, ir::DataType::kFloat32, std::move(shape),
                       make_owned_blob(values.data(), values.size() * sizeof(float)));
}

ir::TensorId GraphBuilder::node(const std::string& op, std::vector<ir::TensorId> inputs,
                                const std::string& out_name, ir::Params p) {
  ir::TensorId out = g_.add_intermediate(out_name, ir::DataType::kFloat32, {});
  ir::Node n{
      "node" + std::to_string(counter_++) + "_" + op, op, std::move(inputs), {out}, std::move(p)};
  const ir::OpDef* def = ir::find_op(op);
  EXPECT_NE(def, nullptr) << op;
  if (def) {
    auto outs = def->infer(g_, n);
    EXPECT_TRUE(outs.has_value()) << (outs ? "" : outs.error().message);
    if (outs) {
      g_.tensor(out).shape = (*outs)[0].shape;
      g_.tensor(out).dtype = (*outs)[0].dtype;
    }
  }
  g_.nodes.push_back(std::move(n));
  return out;
}

ir::TensorId GraphBuilder::transpose(ir::TensorId x, std::vector<int64_t> perm,
                                     const std::string& out_name) {
  return node("Transpose", {x}, out_name, params({{"perm", std::move(perm)}}));
}

ir::TensorId GraphBuilder::spatial(const std::string& op, ir::TensorId x_nchw,
                                   std::vector<ir::TensorId> extra_inputs,
                                   const std::string& out_name, ir::Params p) {
  ir::TensorId x = transpose(x_nchw, {0, 2, 3, 1}, out_name + "__in_nhwc");
  std::vector<ir::TensorId> ins = {x};
  ins.insert(ins.end(), extra_inputs.begin(), extra_inputs.end());
  ir::TensorId y = node(op, ins, out_name + "__nhwc", std::move(p));
  return transpose(y, {0, 3, 1, 2}, out_name);
}

ir::TensorId GraphBuilder::conv(ir::TensorId x_nchw, int64_t cout, int64_t k,
                                const std::string& out_name, bool bias, ir::Params p) {
  int64_t cin = g_.tensor(x_nchw).shape[1];
  std::vector<ir::TensorId> extra = {weight(out_name + ".weight", {k, k, cin, cout}, -0.5f, 0.5f)};
  if (bias) extra.push_back(weight(out_name + ".bias", {cout}));
  if (!p.has("pad_amount")) p.set("pad_amount", ints({k / 2, k / 2, k / 2, k / 2}));
  return spatial("Conv2d", x_nchw, extra, out_name, std::move(p));
}

void GraphBuilder::output(ir::TensorId t) {
  g_.tensor(t).kind = ir::TensorKind::kOutput;
  g_.outputs.push_back(t);
}

ir::Graph GraphBuilder::take() {
  Status s = ir::verify(g_);
  EXPECT_TRUE(s.is_ok()) << (s.is_ok() ? "" : s.error().message);
  return std::move(g_);
}

std::vector<std::vector<float>> random_inputs(const ir::Graph& g, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
  std::vector<std::vector<float>> out;
  for (ir::TensorId t : g.inputs) {
    std::vector<float> v(static_cast<size_t>(ir::num_elements(g.tensor(t).shape)));
    for (auto& x : v) x = dist(rng);
    out.push_back(std::move(v));
  }
  return out;
}

namespace {

OqnnTensorView view(const ir::Tensor& t, void* data) {
  return OqnnTensorView{t.name.c_str(),
                        static_cast<int32_t>(t.dtype),
                        static_cast<uint32_t>(t.shape.size()),
                        t.shape.data(),
                        data,
                        static_cast<uint64_t>(ir::num_elements(t.shape)) * sizeof(float),
                        nullptr};
}

std::vector<float> permuted(const std::vector<float>& v, const ir::Shape& shape, const Perm& perm) {
  OwnedBlob blob(std::vector<std::byte>(reinterpret_cast<const std::byte*>(v.data()),
                                        reinterpret_cast<const std::byte*>(v.data() + v.size())));
  auto out = permute_data(blob, shape, sizeof(float), perm);
  const float* f = reinterpret_cast<const float*>(out->data());
  return {f, f + v.size()};
}

bool is_nhwc_io(const ir::Graph& g, const ir::Tensor& t) {
  auto it = g.attributes.find("io_layout." + t.name);
  return it != g.attributes.end() && it->second == "NHWC";
}

}  // namespace

std::vector<std::vector<float>> run_graph(const ir::Graph& g,
                                          const std::vector<std::vector<float>>& inputs) {
  rt::KernelFactory factory = [](const ir::Graph& gg, const ir::Node& n) {
    return cpu::make_ref_kernel(gg, n);
  };
  auto plan = rt::HostPlan::create(g, factory, 1);
  EXPECT_TRUE(plan.has_value()) << (plan ? "" : plan.error().message);
  if (!plan) return {};
  std::vector<std::vector<float>> in = inputs, out;
  std::vector<OqnnTensorView> in_views, out_views;
  for (size_t i = 0; i < g.inputs.size(); ++i)
    in_views.push_back(view(g.tensor(g.inputs[i]), in[i].data()));
  for (ir::TensorId t : g.outputs)
    out.emplace_back(static_cast<size_t>(ir::num_elements(g.tensor(t).shape)));
  for (size_t i = 0; i < g.outputs.size(); ++i)
    out_views.push_back(view(g.tensor(g.outputs[i]), out[i].data()));
  Status s = (*plan)->execute(in_views, out_views, nullptr);
  EXPECT_TRUE(s.is_ok()) << (s.is_ok() ? "" : s.error().message);
  return out;
}

double max_rel_error(const ir::Graph& before, const ir::Graph& after, uint32_t seed) {
  auto inputs = random_inputs(before, seed);
  auto ref = run_graph(before, inputs);
  EXPECT_EQ(before.inputs.size(), after.inputs.size());
  EXPECT_EQ(before.outputs.size(), after.outputs.size());
  if (before.inputs.size() != after.inputs.size() || before.outputs.size() != after.outputs.size())
    return INFINITY;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const ir::Tensor& t = after.tensor(after.inputs[i]);
    if (is_nhwc_io(after, t))
      inputs[i] = permuted(inputs[i], before.tensor(before.inputs[i]).shape, to_channel_last(4));
  }
  auto got = run_graph(after, inputs);
  if (ref.size() != before.outputs.size() || got.size() != after.outputs.size()) return INFINITY;
  double worst = 0.0;
  for (size_t o = 0; o < ref.size(); ++o) {
    const ir::Tensor& t = after.tensor(after.outputs[o]);
    if (is_nhwc_io(after, t)) got[o] = permuted(got[o], t.shape, to_channel_first(4));
    if (got[o].size() != ref[o].size()) return INFINITY;
    double scale = 1e-30;
    for (float v : ref[o]) scale = std::max(scale, static_cast<double>(std::fabs(v)));
    for (size_t k = 0; k < ref[o].size(); ++k)
      worst = std::max(worst, std::fabs(static_cast<double>(got[o][k]) - ref[o][k]) / scale);
  }
  return worst;
}

int count_ops(const ir::Graph& g, const std::string& op) {
  return static_cast<int>(
      std::count_if(g.nodes.begin(), g.nodes.end(), [&](const ir::Node& n) { return n.op == op; }));
}

void make_graph_output(ir::Graph& g, const std::string& tensor_name) {
  const ir::TensorId t = *g.find_tensor(tensor_name);
  g.outputs.push_back(t);
  g.tensor(t).kind = ir::TensorKind::kOutput;
}

void add_reader(ir::Graph& g, const std::string& tensor_name) {
  const ir::TensorId t = *g.find_tensor(tensor_name);
  ir::Tensor out = g.tensor(t);
  out.name = tensor_name + "_also";
  out.kind = ir::TensorKind::kOutput;
  out.data = nullptr;
  ir::Node n;
  n.op = "Sigmoid";
  n.name = tensor_name + "_also_reader";
  n.inputs = {t};
  n.outputs = {g.add_tensor(out)};
  g.outputs.push_back(n.outputs[0]);
  g.nodes.push_back(n);
}

const ir::Node* producer_of(const ir::Graph& g, const std::string& tensor_name) {
  auto id = g.find_tensor(tensor_name);
  if (!id) return nullptr;
  for (const auto& n : g.nodes)
    for (ir::TensorId o : n.outputs)
      if (o == *id) return &n;
  return nullptr;
}

bool run_pass(Pass& pass, ir::Graph& g) {
  auto changed = pass.run(g);
  EXPECT_TRUE(changed.has_value())
      << pass.name() << ": " << (changed ? "" : changed.error().message);
  if (!changed) return false;
  Status s = ir::verify(g);
  EXPECT_TRUE(s.is_ok()) << pass.name() << " left: " << (s.is_ok() ? "" : s.error().message);
  return *changed;
}

}  // namespace oqnn::passes::testing
