#include "ir/printer.h"

#include <fmt/format.h>

namespace oqnn::ir {
namespace {

std::string tensor_line(const Tensor& t) {
  std::string s = fmt::format("{} {}{}", t.name, dtype_name(t.dtype), shape_str(t.shape));
  if (t.encoding) s += " {" + encoding_str(*t.encoding) + "}";
  return s;
}

std::string names(const Graph& g, const std::vector<TensorId>& ids) {
  std::string s;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ", ";
    s += ids[i] < 0 ? std::string("<none>") : "%" + g.tensor(ids[i]).name;
  }
  return s;
}

}  // namespace

std::string print_graph(const Graph& g) {
  std::string out =
      fmt::format("graph {} ({} nodes, {} tensors)\n", g.name, g.nodes.size(), g.tensors.size());
  for (TensorId t : g.inputs) out += "  input  %" + tensor_line(g.tensor(t)) + "\n";
  for (TensorId t : g.outputs) out += "  output %" + tensor_line(g.tensor(t)) + "\n";
  for (const auto& t : g.tensors)
    if (t.is_static()) out += "  static %" + tensor_line(t) + "\n";
  for (const auto& n : g.nodes) {
    std::string params;
    for (const auto& [k, v] : n.params.all()) params += fmt::format(" {}={}", k, param_str(v));
    out += fmt::format("  {} = {}({}){}  # {}\n", names(g, n.outputs), n.op, names(g, n.inputs),
                       params, n.name);
    for (TensorId o : n.outputs) out += "      %" + tensor_line(g.tensor(o)) + "\n";
  }
  for (const auto& [k, v] : g.attributes) out += fmt::format("  attr {} = {}\n", k, v);
  return out;
}

}  // namespace oqnn::ir
