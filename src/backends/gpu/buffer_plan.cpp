#include "backends/gpu/buffer_plan.h"

#include <algorithm>
#include <string>

#include "backends/gpu/lowering.h"
#include "runtime/memory_planner.h"

namespace oqnn::gpu {

size_t device_elem_size(ir::DataType dtype, bool as_float, size_t elem_size) {
  if (!ir::is_float(dtype)) return ir::dtype_size(dtype);
  return as_float ? 4 : elem_size;
}

BufferPlan plan_buffers(const ir::Graph& g, size_t elem_size, size_t align) {
  const size_t n = g.tensors.size();
  BufferPlan plan;
  plan.root.resize(n);
  for (size_t t = 0; t < n; ++t) plan.root[t] = static_cast<ir::TensorId>(t);
  for (const ir::Node& node : g.nodes)
    if (node.op == "Reshape") plan.root[node.outputs[0]] = plan.root[node.inputs[0]];
  plan.is_float.assign(n, false);
  for (size_t t = 0; t < n; ++t)
    plan.is_float[t] = elem_size == 4 && ir::is_float(g.tensors[t].dtype);
  for (const auto* io : {&g.inputs, &g.outputs})
    for (ir::TensorId t : *io)
      if (ir::is_float(g.tensor(t).dtype)) plan.is_float[plan.root[t]] = true;
  // Values only moved from float32 tensors stay float32 (a layout Transpose of a graph
  // input, a Slice or Concat of them): storing them in fp16 would round what no
  // arithmetic has touched yet, the graph input itself.
  for (const ir::Node& node : g.nodes) {
    if (!moves_values_only(node.op) || plan.is_float[plan.root[node.outputs[0]]]) continue;
    bool all_f32 = true, any = false;
    for (ir::TensorId t : node.inputs) {
      if (t < 0 || g.tensor(t).is_static() || !ir::is_float(g.tensor(t).dtype)) continue;
      any = true;
      all_f32 = all_f32 && plan.is_float[plan.root[t]];
    }
    if (!any || !all_f32) continue;
    for (ir::TensorId t : node.outputs)
      if (ir::is_float(g.tensor(t).dtype)) plan.is_float[plan.root[t]] = true;
  }

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

  std::vector<rt::BufferLifetime> items;
  for (size_t t = 0; t < n; ++t) {
    const ir::Tensor& ten = g.tensors[t];
    if (plan.root[t] != static_cast<ir::TensorId>(t) || first[t] < 0 || ten.is_static() ||
        ten.kind == ir::TensorKind::kInput)
      continue;
    size_t bytes = static_cast<size_t>(ir::num_elements(ten.shape)) *
                   device_elem_size(ten.dtype, plan.is_float[t], elem_size);
    items.push_back({t, (bytes + align - 1) / align * align, first[t], last[t]});
  }
  rt::BufferPlacement placed = rt::place_buffers(std::move(items), n);
  plan.offset = std::move(placed.offsets);
  plan.arena_size = placed.arena_size;
  return plan;
}

}  // namespace oqnn::gpu
