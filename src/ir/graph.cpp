#include "ir/graph.h"

#include <algorithm>

#include <fmt/format.h>

namespace oqnn::ir {

std::string_view kind_name(TensorKind k) {
  switch (k) {
    case TensorKind::kInput:
      return "input";
    case TensorKind::kOutput:
      return "output";
    case TensorKind::kStatic:
      return "static";
    case TensorKind::kIntermediate:
      return "intermediate";
  }
  return "?";
}

std::string encoding_str(const Encoding& e) {
  std::string s = fmt::format("{}{}", e.is_signed ? "int" : "uint", e.bitwidth);
  if (e.symmetric) s += " sym";
  if (e.per_axis()) return s + fmt::format(" axis={} ({} channels)", e.axis, e.scale.size());
  if (e.scale.empty()) return s;
  return s + fmt::format(" scale={:.9g} offset={} [{:.6g},{:.6g}]", e.scale[0], e.offset[0],
                         e.min(), e.max());
}

TensorId Graph::add_tensor(Tensor t) {
  auto id = static_cast<TensorId>(tensors.size());
  name_index_[t.name] = id;
  tensors.push_back(std::move(t));
  return id;
}

TensorId Graph::add_static(const std::string& n, DataType dt, Shape shape,
                           std::shared_ptr<const Blob> data) {
  Tensor t;
  t.name = unique_tensor_name(n);
  t.dtype = dt;
  t.shape = std::move(shape);
  t.kind = TensorKind::kStatic;
  t.data = std::move(data);
  return add_tensor(std::move(t));
}

TensorId Graph::add_intermediate(const std::string& base, DataType dt, Shape shape) {
  Tensor t;
  t.name = unique_tensor_name(base);
  t.dtype = dt;
  t.shape = std::move(shape);
  return add_tensor(std::move(t));
}

std::string Graph::unique_tensor_name(const std::string& base) const {
  if (!name_index_.count(base)) return base;
  for (int i = 1;; ++i) {
    std::string n = fmt::format("{}_{}", base, i);
    if (!name_index_.count(n)) return n;
  }
}

std::string Graph::unique_node_name(const std::string& base) const {
  auto taken = [&](const std::string& n) {
    return std::any_of(nodes.begin(), nodes.end(), [&](const Node& x) { return x.name == n; });
  };
  if (!taken(base)) return base;
  for (int i = 1;; ++i) {
    std::string n = fmt::format("{}_{}", base, i);
    if (!taken(n)) return n;
  }
}

std::optional<TensorId> Graph::find_tensor(const std::string& n) const {
  auto it = name_index_.find(n);
  if (it == name_index_.end()) return std::nullopt;
  return it->second;
}

const Node* Graph::find_node(const std::string& n) const {
  for (const auto& node : nodes)
    if (node.name == n) return &node;
  return nullptr;
}

std::vector<int> Graph::producers() const {
  std::vector<int> p(tensors.size(), -1);
  for (size_t i = 0; i < nodes.size(); ++i)
    for (TensorId o : nodes[i].outputs)
      if (o >= 0) p[static_cast<size_t>(o)] = static_cast<int>(i);
  return p;
}

std::vector<std::vector<int>> Graph::consumers() const {
  std::vector<std::vector<int>> c(tensors.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    for (TensorId in : nodes[i].inputs)
      if (in >= 0) {
        auto& v = c[static_cast<size_t>(in)];
        if (v.empty() || v.back() != static_cast<int>(i)) v.push_back(static_cast<int>(i));
      }
  return c;
}

bool Graph::is_graph_output(TensorId id) const {
  return std::find(outputs.begin(), outputs.end(), id) != outputs.end();
}

int Graph::remove_unused_tensors() {
  std::vector<bool> used(tensors.size(), false);
  for (const auto& n : nodes) {
    for (TensorId t : n.inputs)
      if (t >= 0) used[static_cast<size_t>(t)] = true;
    for (TensorId t : n.outputs)
      if (t >= 0) used[static_cast<size_t>(t)] = true;
  }
  for (TensorId t : inputs) used[static_cast<size_t>(t)] = true;
  for (TensorId t : outputs) used[static_cast<size_t>(t)] = true;
  std::vector<TensorId> remap(tensors.size(), kNoTensor);
  std::vector<Tensor> kept;
  for (size_t i = 0; i < tensors.size(); ++i) {
    if (!used[i]) continue;
    remap[i] = static_cast<TensorId>(kept.size());
    kept.push_back(std::move(tensors[i]));
  }
  int removed = static_cast<int>(tensors.size() - kept.size());
  tensors = std::move(kept);
  auto fix = [&](std::vector<TensorId>& ids) {
    for (auto& t : ids)
      if (t >= 0) t = remap[static_cast<size_t>(t)];
  };
  for (auto& n : nodes) {
    fix(n.inputs);
    fix(n.outputs);
  }
  fix(inputs);
  fix(outputs);
  rebuild_name_index();
  return removed;
}

void Graph::rebuild_name_index() {
  name_index_.clear();
  for (size_t i = 0; i < tensors.size(); ++i)
    name_index_[tensors[i].name] = static_cast<TensorId>(i);
}

}  // namespace oqnn::ir
