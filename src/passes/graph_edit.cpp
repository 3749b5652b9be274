#include "passes/graph_edit.h"

#include <algorithm>

#include "ir/op_def.h"

namespace oqnn::passes {

Uses::Uses(const ir::Graph& g) : producer(g.tensors.size(), -1), offsets_(g.tensors.size() + 1, 0) {
  // Counting pass, then fill: a node reading a tensor twice counts once.
  auto each_read = [&](auto&& fn) {
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const auto& ins = g.nodes[i].inputs;
      for (size_t k = 0; k < ins.size(); ++k) {
        if (ins[k] < 0 || std::find(ins.begin(), ins.begin() + static_cast<std::ptrdiff_t>(k),
                                    ins[k]) != ins.begin() + static_cast<std::ptrdiff_t>(k))
          continue;
        fn(static_cast<size_t>(ins[k]), static_cast<int>(i));
      }
      for (ir::TensorId o : g.nodes[i].outputs)
        if (o >= 0) producer[static_cast<size_t>(o)] = static_cast<int>(i);
    }
  };
  each_read([&](size_t t, int) { ++offsets_[t + 1]; });
  for (size_t t = 0; t < g.tensors.size(); ++t) offsets_[t + 1] += offsets_[t];
  readers_.resize(static_cast<size_t>(offsets_.back()));
  std::vector<int> fill(offsets_.begin(), offsets_.end() - 1);
  each_read([&](size_t t, int node) { readers_[static_cast<size_t>(fill[t]++)] = node; });
}

bool only_read_by(const ir::Graph& g, const Uses& u, ir::TensorId t, int node) {
  auto r = u.readers(t);
  return r.size() == 1 && r[0] == node && !g.is_graph_output(t);
}

bool can_rename(const ir::Graph& g, ir::TensorId t) {
  return g.tensor(t).kind == ir::TensorKind::kIntermediate;
}

void rename_tensor(ir::Graph& g, ir::TensorId t, ir::TensorId holder) {
  if (t == holder) return;
  g.tensor(t).name = std::move(g.tensor(holder).name);
  g.tensor(holder).name.clear();
}

void adopt_name(ir::Graph& g, ir::TensorId twin, ir::TensorId gone, const MadeNames* made) {
  if (twin == gone || !can_rename(g, twin) || g.tensor(gone).name.empty()) return;
  if (made && made->count(g.tensor(gone).name)) return;
  if (!g.tensor(twin).encoding && g.tensor(gone).encoding)
    g.tensor(twin).encoding = g.tensor(gone).encoding;
  rename_tensor(g, twin, gone);
}

void replace_uses(ir::Graph& g, ir::TensorId from, ir::TensorId to) {
  if (from == to) return;
  for (auto& n : g.nodes)
    for (auto& t : n.inputs)
      if (t == from) t = to;
  bool was_output = false;
  for (auto& t : g.outputs)
    if (t == from) {
      t = to;
      was_output = true;
    }
  if (!was_output) return;
  ir::Tensor& dst = g.tensor(to);
  if (dst.kind == ir::TensorKind::kIntermediate) dst.kind = ir::TensorKind::kOutput;
  if (!dst.encoding) dst.encoding = g.tensor(from).encoding;
  if (g.tensor(from).kind == ir::TensorKind::kOutput)
    g.tensor(from).kind = ir::TensorKind::kIntermediate;
}

bool merge_into(ir::Graph& g, ir::TensorId keep, ir::TensorId drop, ir::TensorId name_from,
                const MadeNames* made) {
  if (keep == drop) return true;
  if (g.is_graph_output(drop)) {
    if (!can_rename(g, keep)) return false;
    adopt_name(g, keep, drop);
    replace_uses(g, drop, keep);
    return true;
  }
  replace_uses(g, drop, keep);
  if (name_from != ir::kNoTensor) adopt_name(g, keep, name_from, made);
  return true;
}

void kill_node(ir::Graph& g, size_t i) {
  ir::Node& n = g.nodes[i];
  n.op.clear();
  n.inputs.clear();
  n.outputs.clear();
}

bool compact_nodes(ir::Graph& g) {
  auto it = std::remove_if(g.nodes.begin(), g.nodes.end(),
                           [](const ir::Node& n) { return n.op.empty(); });
  bool any = it != g.nodes.end();
  g.nodes.erase(it, g.nodes.end());
  return any;
}

Status reinfer(ir::Graph& g, size_t i) {
  const ir::Node& n = g.nodes[i];
  const ir::OpDef* def = ir::find_op(n.op);
  if (!def)
    return internal_error("node '" + n.name + "': op '" + n.op + "' is not in the op table");
  auto outs = def->infer(g, n);
  if (!outs) return internal_error("rewrite broke node '" + n.name + "': " + outs.error().message);
  if (outs->size() != n.outputs.size())
    return internal_error("node '" + n.name + "': wrong number of outputs after a rewrite");
  for (size_t k = 0; k < n.outputs.size(); ++k) {
    g.tensor(n.outputs[k]).shape = (*outs)[k].shape;
    g.tensor(n.outputs[k]).dtype = (*outs)[k].dtype;
  }
  return Status::ok();
}

ir::TensorId add_twin(ir::Graph& g, const std::string& base, const ir::Shape& shape,
                      ir::DataType dt) {
  return g.add_intermediate(base, dt, shape);
}

size_t insert_transpose(ir::Graph& g, size_t pos, ir::TensorId in, ir::TensorId out,
                        const std::vector<int64_t>& perm, const std::string& name_base) {
  ir::Node t;
  t.name = g.unique_node_name(name_base);
  t.op = "Transpose";
  t.inputs = {in};
  t.outputs = {out};
  t.params.set("perm", perm);
  g.nodes.insert(g.nodes.begin() + static_cast<std::ptrdiff_t>(pos), std::move(t));
  return pos;
}

ir::TensorId add_float_static(ir::Graph& g, const std::string& name, const ir::Shape& shape,
                              const std::vector<float>& values) {
  return g.add_static(name, ir::DataType::kFloat32, shape,
                      make_owned_blob(values.data(), values.size() * sizeof(float)));
}

std::vector<float> float_values(const ir::Tensor& t) {
  auto v = t.values<float>();
  return {v.begin(), v.end()};
}

ir::TensorId restage_static(ir::Graph& g, const Uses& u, ir::TensorId old, int reader,
                            const ir::Shape& shape, std::shared_ptr<const Blob> data,
                            const std::string& suffix) {
  bool reuse = only_read_by(g, u, old, reader);
  ir::TensorId id =
      g.add_static(g.tensor(old).name + suffix, g.tensor(old).dtype, shape, std::move(data));
  if (reuse) rename_tensor(g, id, old);
  return id;
}

}  // namespace oqnn::passes
