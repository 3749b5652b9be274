#include "backends/gpu/buffer_plan.h"

#include <algorithm>

namespace oqnn::gpu {

BufferPlan plan_buffers(const ir::Graph& g, size_t elem_size, size_t align) {
  const size_t n = g.tensors.size();
  BufferPlan plan;
  plan.root.resize(n);
  for (size_t t = 0; t < n; ++t) plan.root[t] = static_cast<ir::TensorId>(t);
  for (const ir::Node& node : g.nodes)
    if (node.op == "Reshape") plan.root[node.outputs[0]] = plan.root[node.inputs[0]];

  // Lifetime of each root over node indices: first write to last read of any alias.
  const int end = static_cast<int>(g.nodes.size());
  std::vector<int> first(n, -1), last(n, -1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const int at = static_cast<int>(i);
    for (ir::TensorId t : g.nodes[i].outputs) {
      ir::TensorId r = plan.root[t];
      if (first[r] < 0) first[r] = at;
      last[r] = std::max(last[r], at);
    }
    for (ir::TensorId t : g.nodes[i].inputs)
      if (t >= 0) last[plan.root[t]] = std::max(last[plan.root[t]], at);
  }
  for (ir::TensorId t : g.outputs) last[plan.root[t]] = end;

  struct Item {
    size_t id, size;
    int begin, end;
  };
  std::vector<Item> items;
  for (size_t t = 0; t < n; ++t) {
    const ir::Tensor& ten = g.tensors[t];
    if (plan.root[t] != static_cast<ir::TensorId>(t) || first[t] < 0 || ten.is_static() ||
        ten.kind == ir::TensorKind::kInput)
      continue;
    size_t bytes = static_cast<size_t>(ir::num_elements(ten.shape)) * elem_size;
    items.push_back({t, (bytes + align - 1) / align * align, first[t], last[t]});
  }
  // Largest first, ties by id: a deterministic greedy first-fit.
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return a.size != b.size ? a.size > b.size : a.id < b.id;
  });
  plan.offset.assign(n, -1);
  struct Placed {
    size_t begin_byte, end_byte;
    int begin, end;
  };
  std::vector<Placed> placed;
  for (const Item& it : items) {
    std::vector<std::pair<size_t, size_t>> busy;
    for (const Placed& p : placed)
      if (p.begin <= it.end && it.begin <= p.end) busy.push_back({p.begin_byte, p.end_byte});
    std::sort(busy.begin(), busy.end());
    size_t off = 0;
    for (const auto& [b, e] : busy) {
      if (off + it.size <= b) break;
      off = std::max(off, e);
    }
    placed.push_back({off, off + it.size, it.begin, it.end});
    plan.offset[it.id] = static_cast<int64_t>(off);
    plan.arena_size = std::max(plan.arena_size, off + it.size);
  }
  return plan;
}

}  // namespace oqnn::gpu
