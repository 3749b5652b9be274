#include "runtime/graph_partition.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace oqnn::rt {

std::vector<bool> nodes_supported(const ir::Graph& g, const std::vector<Capability>& caps,
                                  std::string_view backend) {
  const bool quantized = backend == "htp";
  auto float_row = [&](std::string_view d) {
    return quantized ? d == "uint8" || d == "uint16" : d == "float32" || d == "float16";
  };
  std::map<std::string, std::set<std::string>, std::less<>> rows;  // op -> dtypes
  for (const Capability& c : caps) rows[c.op].insert(c.dtype);
  std::vector<bool> ok(g.nodes.size(), false);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node& n = g.nodes[i];
    auto it = rows.find(n.op);
    if (it == rows.end()) continue;
    const std::set<std::string>& dtypes = it->second;
    bool native = true;
    std::vector<ir::TensorId> touched = n.inputs;
    touched.insert(touched.end(), n.outputs.begin(), n.outputs.end());
    for (ir::TensorId t : touched) {
      if (t < 0 || g.tensor(t).is_static()) continue;
      ir::DataType dt = g.tensor(t).dtype;
      std::string_view name = ir::dtype_name(dt);
      if (dt == ir::DataType::kFloat16)  // float16 graph I/O (its boundary Casts): the cpu's
        native = native && backend == "cpu";
      else if (ir::is_float(dt))
        native = native && std::any_of(dtypes.begin(), dtypes.end(), float_row);
      else  // a quantized backend's "D codes" row: a Quantize's or Dequantize's integer codes
        native = native && ((!float_row(name) && dtypes.count(std::string(name)) != 0) ||
                            (quantized && dtypes.count(std::string(name) + " codes") != 0));
    }
    ok[i] = native;
  }
  return ok;
}

namespace {

// Copies the tensors `part` touches into a new graph, remapping ids.
GraphPart make_part(const ir::Graph& g, const std::vector<size_t>& nodes, bool primary,
                    const std::vector<int>& part_of_node, int index,
                    const std::vector<std::vector<int>>& consumers) {
  GraphPart part;
  part.primary = primary;
  part.nodes = nodes;
  ir::Graph& pg = part.graph;
  pg.name = g.name + "_part" + std::to_string(index);
  pg.attributes = g.attributes;
  std::map<ir::TensorId, ir::TensorId> remap;
  std::set<ir::TensorId> produced;
  for (size_t ni : nodes)
    for (ir::TensorId t : g.nodes[ni].outputs) produced.insert(t);
  auto map_tensor = [&](ir::TensorId t) -> ir::TensorId {
    if (t < 0) return t;
    auto it = remap.find(t);
    if (it != remap.end()) return it->second;
    ir::Tensor copy = g.tensor(t);
    if (!copy.is_static()) copy.kind = ir::TensorKind::kIntermediate;
    if (!copy.is_static() && !produced.count(t)) {
      copy.kind = ir::TensorKind::kInput;
    } else if (produced.count(t)) {
      bool read_later = g.is_graph_output(t);
      for (int c : consumers[static_cast<size_t>(t)])
        read_later = read_later || part_of_node[static_cast<size_t>(c)] != index;
      if (read_later) copy.kind = ir::TensorKind::kOutput;
    }
    ir::TensorId id = pg.add_tensor(std::move(copy));
    if (pg.tensor(id).kind == ir::TensorKind::kInput) pg.inputs.push_back(id);
    remap[t] = id;
    return id;
  };
  for (size_t ni : nodes) {
    ir::Node n = g.nodes[ni];
    for (ir::TensorId& t : n.inputs) t = map_tensor(t);
    for (ir::TensorId& t : n.outputs) t = map_tensor(t);
    pg.nodes.push_back(std::move(n));
  }
  // Outputs in the original graph's order first, then the rest in tensor order.
  std::vector<ir::TensorId> outs;
  for (ir::TensorId t : g.outputs)
    if (remap.count(t) && produced.count(t)) outs.push_back(remap[t]);
  for (const auto& [orig, id] : remap)
    if (pg.tensor(id).kind == ir::TensorKind::kOutput && !g.is_graph_output(orig))
      outs.push_back(id);
  pg.outputs = outs;
  return part;
}

// Consumers of each tensor (node indices), computed once.
std::vector<std::vector<int>> tensor_consumers(const ir::Graph& g) {
  std::vector<std::vector<int>> c(g.tensors.size());
  for (size_t i = 0; i < g.nodes.size(); ++i)
    for (ir::TensorId t : g.nodes[i].inputs)
      if (t >= 0) c[static_cast<size_t>(t)].push_back(static_cast<int>(i));
  return c;
}

}  // namespace

std::vector<GraphPart> split_graph(const ir::Graph& g, const std::vector<bool>& on_primary) {
  std::vector<int> part_of_node(g.nodes.size(), 0);
  std::vector<std::vector<size_t>> runs;
  std::vector<bool> run_primary;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (runs.empty() || run_primary.back() != on_primary[i]) {
      runs.emplace_back();
      run_primary.push_back(on_primary[i]);
    }
    runs.back().push_back(i);
    part_of_node[i] = static_cast<int>(runs.size()) - 1;
  }
  const auto consumers = tensor_consumers(g);
  std::vector<GraphPart> parts;
  for (size_t r = 0; r < runs.size(); ++r)
    parts.push_back(
        make_part(g, runs[r], run_primary[r], part_of_node, static_cast<int>(r), consumers));
  // A graph input no node reads (CastLike's `like`, which gives only a type) still belongs
  // to the plan's inputs: the first partition declares it, unread.
  for (ir::TensorId t : g.inputs)
    if (consumers[static_cast<size_t>(t)].empty() && !parts.empty()) {
      ir::Graph& first = parts.front().graph;
      if (first.find_tensor(g.tensor(t).name)) continue;
      ir::Tensor copy = g.tensor(t);
      copy.kind = ir::TensorKind::kInput;
      first.inputs.push_back(first.add_tensor(std::move(copy)));
    }
  return parts;
}

int64_t node_macs(const ir::Graph& g, const ir::Node& n) {
  if (n.outputs.empty() || n.inputs.size() < 2 || n.inputs[1] < 0) return 0;
  const int64_t out = ir::num_elements(g.tensor(n.outputs[0]).shape);
  const ir::Shape& w = g.tensor(n.inputs[1]).shape;
  if (n.op == "Conv2d" || n.op == "Conv3d")  // weight [(kd,) kh, kw, cin/group, cout]
    return w.size() >= 4 && w.back() > 0 ? out * (ir::num_elements(w) / w.back()) : 0;
  if (n.op == "TransposeConv2d" || n.op == "TransposeConv3d") {
    // weight [(kd,) kh, kw, cin, cout/group]: each input element scatters to the rest
    const int64_t cin = w.size() >= 4 ? w[w.size() - 2] : 0;
    return cin > 0 ? ir::num_elements(g.tensor(n.inputs[0]).shape) * (ir::num_elements(w) / cin)
                   : 0;
  }
  if (n.op == "DepthWiseConv2d") return w.size() == 4 ? out * w[0] * w[1] : 0;
  const ir::Shape& a = g.tensor(n.inputs[0]).shape;
  if (n.op == "FullyConnected" || n.op == "MatMul") return a.empty() ? 0 : out * a.back();
  return 0;
}

std::string fallback_summary(const ir::Graph& g, const std::vector<bool>& on_primary) {
  std::map<std::string, int> ops;
  std::vector<std::string> names;
  int64_t macs = 0, cpu_macs = 0;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    int64_t m = node_macs(g, g.nodes[i]);
    macs += m;
    if (on_primary[i]) continue;
    cpu_macs += m;
    ++ops[g.nodes[i].op];
    names.push_back(g.nodes[i].name);
  }
  std::string op_list;
  for (const auto& [op, count] : ops)
    op_list += (op_list.empty() ? "" : ", ") + fmt::format("{} x{}", op, count);
  std::string name_list;
  for (size_t i = 0; i < names.size() && i < 8; ++i)
    name_list += (i ? ", '" : "'") + names[i] + "'";
  if (names.size() > 8) name_list += fmt::format(" and {} more", names.size() - 8);
  double share = macs > 0 ? 100.0 * static_cast<double>(cpu_macs) / static_cast<double>(macs) : 0;
  return fmt::format("{} of {} nodes ({}; {:.1f}% of MACs): {}", names.size(), g.nodes.size(),
                     op_list, share, name_list);
}

}  // namespace oqnn::rt
