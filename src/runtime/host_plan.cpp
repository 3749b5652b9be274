#include "runtime/host_plan.h"

#include <algorithm>
#include <chrono>
#include <cstring>

#include "ir/serialize.h"
#include "runtime/memory_planner.h"

namespace oqnn::rt {
namespace {
constexpr size_t kAlign = 64;
size_t align_up(size_t v) {
  return (v + kAlign - 1) / kAlign * kAlign;
}
}  // namespace

MemoryPlan plan_memory(const ir::Graph& g) {
  size_t n = g.tensors.size();
  std::vector<int> first(n, -1), last(n, -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    for (ir::TensorId t : g.nodes[i].outputs)
      if (first[t] < 0) first[t] = static_cast<int>(i);
    for (ir::TensorId t : g.nodes[i].inputs)
      if (t >= 0) last[t] = static_cast<int>(i);
  }
  int end = static_cast<int>(g.nodes.size());
  for (ir::TensorId t : g.outputs) last[t] = end;  // graph outputs live to the end
  std::vector<BufferLifetime> items;
  for (size_t t = 0; t < n; ++t) {
    const auto& ten = g.tensors[t];
    if (ten.is_static() || ten.kind == ir::TensorKind::kInput || first[t] < 0) continue;
    size_t sz =
        align_up(static_cast<size_t>(ir::num_elements(ten.shape)) * ir::dtype_size(ten.dtype));
    items.push_back({t, sz, first[t], std::max(last[t], first[t])});
  }
  BufferPlacement placed = place_buffers(std::move(items), n);
  MemoryPlan plan;
  plan.offsets = std::move(placed.offsets);
  plan.arena_size = placed.arena_size;
  return plan;
}

Expected<std::unique_ptr<HostPlan>> HostPlan::create(ir::Graph finalized,
                                                     const KernelFactory& factory,
                                                     int num_threads) {
  auto plan = std::unique_ptr<HostPlan>(new HostPlan());
  plan->graph_ = std::move(finalized);
  const ir::Graph& g = plan->graph_;
  for (ir::TensorId t : g.inputs) plan->inputs_.push_back(g.tensor(t));
  for (ir::TensorId t : g.outputs) plan->outputs_.push_back(g.tensor(t));
  for (auto& t : plan->inputs_) t.data.reset();
  for (auto& t : plan->outputs_) t.data.reset();
  for (const auto& n : g.nodes) {
    auto k = factory(g, n);
    if (!k) return k.error();
    plan->kernels_.push_back(std::move(*k));
  }
  plan->memory_ = plan_memory(g);
  plan->arena_.resize(plan->memory_.arena_size);
  plan->pool_ = std::make_unique<ThreadPool>(std::max(1, num_threads));
  return plan;
}

Status HostPlan::execute(std::span<const OqnnTensorView> inputs, std::span<OqnnTensorView> outputs,
                         const OqnnExecuteOptions* opts) {
  OQNN_RETURN_IF_ERROR(check_io(inputs, inputs_, "inputs"));
  OQNN_RETURN_IF_ERROR(check_io(outputs, outputs_, "outputs"));
  const ir::Graph& g = graph_;
  std::vector<HostTensor> bind(g.tensors.size(), HostTensor{nullptr, nullptr, 0});
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const auto& ten = g.tensors[t];
    size_t sz = static_cast<size_t>(ir::num_elements(ten.shape)) * ir::dtype_size(ten.dtype);
    std::byte* p = nullptr;
    if (ten.is_static())
      p = const_cast<std::byte*>(ten.data->data());
    else if (memory_.offsets[t] >= 0)
      p = arena_.data() + memory_.offsets[t];
    bind[t] = {&ten, p, sz};
  }
  for (size_t i = 0; i < g.inputs.size(); ++i)
    bind[g.inputs[i]].data = static_cast<std::byte*>(const_cast<void*>(inputs[i].data));
  KernelContext ctx{pool_.get()};
  std::vector<HostTensor> in, out;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node& n = g.nodes[i];
    in.clear();
    out.clear();
    for (ir::TensorId t : n.inputs)
      in.push_back(t >= 0 ? bind[t] : HostTensor{nullptr, nullptr, 0});
    for (ir::TensorId t : n.outputs) out.push_back(bind[t]);
    auto t0 = std::chrono::steady_clock::now();
    // A node whose outputs all have no elements has nothing to compute (and its buffers may
    // be null): kernels never see such a node.
    bool empty = !out.empty() && std::all_of(out.begin(), out.end(),
                                             [](const HostTensor& h) { return h.elements() == 0; });
    Status s = empty ? Status::ok() : kernels_[i]->run(in, out, ctx);
    if (!s.is_ok()) return s;
    if (opts && opts->on_node_time) {
      auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::steady_clock::now() - t0)
                    .count();
      opts->on_node_time(opts->user, n.name.c_str(), n.op.c_str(), static_cast<uint64_t>(ns));
    }
    if (opts && opts->on_tensor) {
      for (ir::TensorId t : n.outputs) {
        const auto& ten = g.tensor(t);
        OqnnEncoding enc{};
        if (ten.encoding) enc = encoding_to_c(*ten.encoding);
        OqnnTensorView v{ten.name.c_str(),
                         static_cast<int32_t>(ten.dtype),
                         static_cast<uint32_t>(ten.shape.size()),
                         ten.shape.data(),
                         bind[t].data,
                         bind[t].size,
                         ten.encoding ? &enc : nullptr};
        opts->on_tensor(opts->user, &v);
      }
    }
  }
  for (size_t i = 0; i < g.outputs.size(); ++i) {
    const HostTensor& src = bind[g.outputs[i]];
    if (src.size != 0 && src.data != outputs[i].data)
      std::memcpy(outputs[i].data, src.data, src.size);
  }
  return Status::ok();
}

Expected<std::vector<std::byte>> HostPlan::serialize() const {
  return ir::serialize_graph(graph_);
}

}  // namespace oqnn::rt
