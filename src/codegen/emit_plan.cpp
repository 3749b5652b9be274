#include "codegen/emit_plan.h"

#include <set>

#include "support/names.h"

namespace oqnn::codegen {
namespace {

// `base`, or `base_1`, `base_2`, ... — the first not yet taken (deterministic).
std::string take_unique(std::set<std::string>& taken, const std::string& base) {
  if (taken.insert(base).second) return base;
  for (int i = 1;; ++i) {
    std::string n = base + "_" + std::to_string(i);
    if (taken.insert(n).second) return n;
  }
}

Status check_tensor(const ir::Graph& g, ir::TensorId id) {
  const ir::Tensor& t = g.tensor(id);
  for (int64_t d : t.shape)
    if (d < 0) return internal_error("tensor '" + t.name + "': negative dimension");
  if (t.encoding) {
    const ir::Encoding& e = *t.encoding;
    if (e.scale.empty() || e.scale.size() != e.offset.size())
      return internal_error("tensor '" + t.name +
                            "': encoding needs one scale and offset per channel");
    if (!e.per_axis() && e.scale.size() != 1)
      return internal_error("tensor '" + t.name + "': per-tensor encoding with several scales");
  }
  if (!t.is_static()) return Status::ok();
  size_t want = static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype);
  if (!t.data || t.data->size() != want)
    return internal_error("static tensor '" + t.name + "': data size " +
                          std::to_string(t.data ? t.data->size() : 0) + " does not match " +
                          std::string(ir::dtype_name(t.dtype)) + ir::shape_str(t.shape));
  return Status::ok();
}

Status check_ids(const ir::Graph& g) {
  auto valid = [&](ir::TensorId id) {
    return id >= 0 && static_cast<size_t>(id) < g.tensors.size();
  };
  auto label = [&](ir::TensorId t) {
    return valid(t) ? "'" + g.tensor(t).name + "'" : "#" + std::to_string(t);
  };
  std::set<ir::TensorId> io;
  for (ir::TensorId t : g.inputs)
    if (!valid(t) || g.tensor(t).kind != ir::TensorKind::kInput || !io.insert(t).second)
      return internal_error("graph input " + label(t) + " is not a distinct input tensor");
  for (ir::TensorId t : g.outputs)
    if (!valid(t) || g.tensor(t).kind != ir::TensorKind::kOutput || !io.insert(t).second)
      return internal_error("graph output " + label(t) + " is not a distinct output tensor");
  std::vector<bool> defined(g.tensors.size(), false);
  for (size_t i = 0; i < g.tensors.size(); ++i)
    defined[i] = g.tensors[i].is_static() || io.count(static_cast<ir::TensorId>(i)) != 0;
  std::set<std::string> node_names;
  for (const ir::Node& n : g.nodes) {
    if (!node_names.insert(n.name).second)
      return internal_error("node name '" + n.name + "' is used twice");
    for (ir::TensorId t : n.inputs)
      if (t != ir::kNoTensor && !valid(t))
        return internal_error("node '" + n.name + "': input id out of range");
    for (ir::TensorId t : n.outputs) {
      if (!valid(t)) return internal_error("node '" + n.name + "': output id out of range");
      auto k = g.tensor(t).kind;
      bool produced_io = k == ir::TensorKind::kOutput && io.count(t);
      if (k == ir::TensorKind::kOutput ? !produced_io : k != ir::TensorKind::kIntermediate)
        return internal_error("node '" + n.name + "': output " + label(t) + " is a " +
                              std::string(ir::kind_name(k)) + " tensor outside the graph I/O");
    }
  }
  for (const ir::Node& n : g.nodes) {
    for (ir::TensorId t : n.outputs) defined[static_cast<size_t>(t)] = true;
  }
  for (const ir::Node& n : g.nodes)
    for (ir::TensorId t : n.inputs)
      if (t != ir::kNoTensor && !defined[static_cast<size_t>(t)])
        return internal_error("node '" + n.name + "': input " + label(t) +
                              " is not a graph input, a static tensor or a node output");
  return Status::ok();
}

}  // namespace

Expected<EmitPlan> plan_emit(const ir::Graph& g, bool exclude_named_tensors) {
  OQNN_RETURN_IF_ERROR(check_ids(g));
  const size_t nt = g.tensors.size();
  EmitPlan p;
  p.name.assign(nt, "");
  p.member.assign(nt, "");
  p.fn.assign(nt, "");
  std::vector<bool> emitted(nt, false);
  for (ir::TensorId t : g.inputs) emitted[static_cast<size_t>(t)] = true;
  for (ir::TensorId t : g.outputs) emitted[static_cast<size_t>(t)] = true;
  for (size_t i = 0; i < nt; ++i)
    if (g.tensors[i].is_static()) emitted[i] = true;
  for (const ir::Node& n : g.nodes)
    for (ir::TensorId t : n.outputs) emitted[static_cast<size_t>(t)] = true;

  // Graph I/O keeps its names even under --exclude_named_tensors: input lists and
  // Result_<i>/<name>.raw files refer to them.
  std::set<std::string> names;
  auto is_io = [&](size_t i) {
    auto k = g.tensors[i].kind;
    return k == ir::TensorKind::kInput || k == ir::TensorKind::kOutput;
  };
  for (size_t i = 0; i < nt; ++i) {
    if (!emitted[i] || (exclude_named_tensors && !is_io(i))) continue;
    if (!names.insert(g.tensors[i].name).second)
      return internal_error("tensor name '" + g.tensors[i].name + "' is used twice");
    p.name[i] = g.tensors[i].name;
  }
  int counter = 0;
  for (size_t i = 0; i < nt && exclude_named_tensors; ++i) {
    if (!emitted[i] || is_io(i)) continue;
    std::string n;
    do n = "_" + std::to_string(counter++);
    while (names.count(n));
    names.insert(n);
    p.name[i] = n;
  }

  std::set<std::string> members, fns, node_fns;
  for (size_t i = 0; i < nt; ++i) {
    if (!emitted[i]) continue;
    OQNN_RETURN_IF_ERROR(check_tensor(g, static_cast<ir::TensorId>(i)));
    std::string clean = sanitize_name(p.name[i]);
    if (g.tensors[i].is_static()) {
      p.member[i] = take_unique(members, clean) + ".raw";
      p.statics.push_back(static_cast<ir::TensorId>(i));
    }
    if (is_io(i) || g.tensors[i].is_static()) p.fn[i] = take_unique(fns, "addTensor_" + clean);
  }
  for (const ir::Node& n : g.nodes)
    p.node_fn.push_back(take_unique(node_fns, "addNode_" + sanitize_name(n.name)));
  return p;
}

}  // namespace oqnn::codegen
