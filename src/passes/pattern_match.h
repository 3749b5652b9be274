// What the fusion passes (fuse_gelu, fuse_norms, fuse_channel_shuffle) share to recognize
// an exporter's decomposition of one op: static scalars by value, binary nodes with a
// constant on either side, products flattened into their factors, and the rule that a
// pattern's intermediates are read by the pattern alone and are never graph outputs.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "passes/graph_edit.h"

namespace oqnn::passes {

// The value of a float32 static tensor of one element.
std::optional<double> static_scalar(const ir::Graph& g, ir::TensorId t);
// Whether `t` is a float32 static scalar within a relative 1e-4 of `want`.
bool scalar_near(const ir::Graph& g, ir::TensorId t, double want);

// For a binary node `n` of op `op` with one operand a scalar near `c` (the second only
// unless `commutative`): the other operand, else kNoTensor.
ir::TensorId other_than_scalar(const ir::Graph& g, const ir::Node& n, const char* op, double c,
                               bool commutative = true);

// A graph with its uses, for walking a pattern: refresh() after each rewrite.
class PatternView {
 public:
  explicit PatternView(const ir::Graph& g) : g_(&g), u_(g) {}
  void refresh() { u_ = Uses(*g_); }
  const ir::Node& node(int i) const { return g_->nodes[static_cast<size_t>(i)]; }
  int producer(ir::TensorId t) const { return t < 0 ? -1 : u_.producer[static_cast<size_t>(t)]; }
  // The node that alone reads t (t not a graph output), else -1.
  int single_reader(ir::TensorId t) const;
  // Whether `by` alone reads t and t is not a graph output.
  bool only_reader(ir::TensorId t, int by) const { return only_read_by(*g_, u_, t, by); }
  const Uses& uses() const { return u_; }

 private:
  const ir::Graph* g_;
  Uses u_;
};

// The factors of the product ending at tensor `t`: ElementWiseMultiply nodes are opened
// while their output is read by the product alone (the root `t` itself always), so
// Mul(Mul(a, b), c) and Mul(a, Mul(c, b)) both give {a, b, c}. `nodes` receives the opened
// nodes, the root's producer first. Shapes are not checked.
std::vector<ir::TensorId> product_factors(const PatternView& v, ir::TensorId t,
                                          std::vector<int>& nodes);

// Node `last` becomes `op` over `inputs` with `params`, keeping its name and output tensor
// (so the pattern's output name and encoding survive); the nodes of `gone` (repeats
// allowed) are killed.
void replace_pattern(ir::Graph& g, int last, const std::string& op,
                     std::vector<ir::TensorId> inputs, ir::Params params, std::vector<int> gone);

// The loop of a fusion pass: try_at(view, i) for every node in graph order, returning the
// op it made when it rewrote the graph around node i (the view is then refreshed), else
// nullptr; at the end the killed nodes and unused tensors are erased, and one info line
// says what `pass` fused ("fuse_norms: 5 LayerNorm"). Returns whether anything changed.
bool fuse_each(ir::Graph& g, const char* pass,
               const std::function<const char*(const PatternView&, size_t)>& try_at);

}  // namespace oqnn::passes
