#include "passes/pattern_match.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <spdlog/spdlog.h>

namespace oqnn::passes {

std::optional<double> static_scalar(const ir::Graph& g, ir::TensorId t) {
  if (t < 0) return std::nullopt;
  const ir::Tensor& s = g.tensor(t);
  if (!s.is_static() || s.dtype != ir::DataType::kFloat32 || ir::num_elements(s.shape) != 1)
    return std::nullopt;
  return float_values(s)[0];
}

bool scalar_near(const ir::Graph& g, ir::TensorId t, double want) {
  auto v = static_scalar(g, t);
  return v && std::abs(*v - want) <= 1e-4 * std::abs(want);
}

ir::TensorId other_than_scalar(const ir::Graph& g, const ir::Node& n, const char* op, double c,
                               bool commutative) {
  if (n.op != op || n.inputs.size() != 2) return ir::kNoTensor;
  if (scalar_near(g, n.inputs[1], c)) return n.inputs[0];
  if (commutative && scalar_near(g, n.inputs[0], c)) return n.inputs[1];
  return ir::kNoTensor;
}

int PatternView::single_reader(ir::TensorId t) const {
  if (t < 0) return -1;
  auto r = u_.readers(t);
  return r.size() == 1 && !g_->is_graph_output(t) ? r[0] : -1;
}

namespace {

void collect_factors(const PatternView& v, ir::TensorId t, int reader,
                     std::vector<ir::TensorId>& out, std::vector<int>& nodes) {
  const int p = v.producer(t);
  const bool open = p >= 0 && v.node(p).op == "ElementWiseMultiply" &&
                    v.node(p).inputs.size() == 2 && (reader < 0 || v.only_reader(t, reader));
  if (!open) {
    out.push_back(t);
    return;
  }
  nodes.push_back(p);
  for (ir::TensorId in : v.node(p).inputs) collect_factors(v, in, p, out, nodes);
}

}  // namespace

std::vector<ir::TensorId> product_factors(const PatternView& v, ir::TensorId t,
                                          std::vector<int>& nodes) {
  std::vector<ir::TensorId> out;
  collect_factors(v, t, -1, out, nodes);
  return out;
}

void replace_pattern(ir::Graph& g, int last, const std::string& op,
                     std::vector<ir::TensorId> inputs, ir::Params params, std::vector<int> gone) {
  ir::Node& out = g.nodes[static_cast<size_t>(last)];
  out.op = op;
  out.inputs = std::move(inputs);
  out.params = std::move(params);
  std::sort(gone.begin(), gone.end());
  gone.erase(std::unique(gone.begin(), gone.end()), gone.end());
  for (int k : gone) kill_node(g, static_cast<size_t>(k));
}

bool fuse_each(ir::Graph& g, const char* pass,
               const std::function<const char*(const PatternView&, size_t)>& try_at) {
  std::map<std::string, int> made;  // ordered: the log line is deterministic
  PatternView v(g);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const char* op = try_at(v, i);
    if (!op) continue;
    ++made[op];
    v.refresh();
  }
  if (made.empty()) return false;
  compact_nodes(g);
  g.remove_unused_tensors();
  std::string what;
  for (const auto& [op, count] : made)
    what += (what.empty() ? "" : ", ") + std::to_string(count) + " " + op;
  spdlog::info("{}: fused {}", pass, what);
  return true;
}

}  // namespace oqnn::passes
