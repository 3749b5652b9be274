// Moving a Transpose up, through single-reader unary ops and ops with a static operand,
// toward a graph input (io_layout then absorbs it) or another Transpose (they cancel).
#include "passes/layout_ops.h"
#include "passes/perm.h"
#include "passes/transpose_rules.h"

namespace oqnn::passes {

std::optional<HoistEnd> hoist_end(const ir::Graph& g, const Uses& u, ir::TensorId x, int reader) {
  // The walk is bounded by the graph; the cap only guards against malformed input.
  for (size_t hop = 0; hop <= g.nodes.size(); ++hop) {
    if (g.tensor(x).kind == ir::TensorKind::kInput) return HoistEnd{-1, reader};
    int p = u.producer[static_cast<size_t>(x)];
    if (p < 0) return std::nullopt;
    const ir::Node& n = g.nodes[static_cast<size_t>(p)];
    if (n.op == "Transpose") return HoistEnd{p, reader};
    auto slot = main_input(g, n);
    if (!slot || !only_read_by(g, u, x, reader)) return std::nullopt;
    reader = p;
    x = n.inputs[*slot];
  }
  return std::nullopt;
}

bool wants_hoist(const ir::Graph& g, const Uses& u, size_t i) {
  return hoist_end(g, u, g.nodes[i].inputs[0], static_cast<int>(i)).has_value();
}

Expected<bool> hoist_transpose(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  if (g.nodes[i].op != "Transpose") return false;
  ir::TensorId b = g.nodes[i].inputs[0], c = g.nodes[i].outputs[0];
  int p = u.producer[static_cast<size_t>(b)];
  if (p < 0) return false;
  auto slot = main_input(g, g.nodes[static_cast<size_t>(p)]);
  if (!slot || !only_read_by(g, u, b, static_cast<int>(i)) || !wants_hoist(g, u, i)) return false;

  ir::Node t = g.nodes[i];
  ir::Node op = g.nodes[static_cast<size_t>(p)];
  Perm perm = t.params.get_ints("perm");
  size_t rank = perm.size();
  ir::TensorId a = op.inputs[*slot];
  ir::TensorId moved = add_layout_twin(g, a, perm, made);
  t.inputs = {a};
  t.outputs = {moved};
  for (size_t k = 0; k < op.inputs.size(); ++k) {
    if (k == *slot)
      op.inputs[k] = moved;
    else if (!is_layout_free(g, op.inputs[k], rank))
      op.inputs[k] = permute_static_operand(g, u, op.inputs[k], rank, perm, p);
  }
  op.outputs = {c};
  // The transpose takes the op's place and the op the transpose's: order stays valid.
  g.nodes[static_cast<size_t>(p)] = std::move(t);
  g.nodes[i] = std::move(op);
  OQNN_RETURN_IF_ERROR(reinfer(g, i));
  // b is gone; the op now writes c, which takes the op's own (model) name.
  adopt_name(g, c, b, &made);
  return true;
}

}  // namespace oqnn::passes
