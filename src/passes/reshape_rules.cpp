// Transposes that move no data become Reshapes; chains of Reshapes collapse.
#include "passes/perm.h"
#include "passes/transpose_rules.h"

namespace oqnn::passes {

Expected<bool> transpose_to_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  ir::Node& n = g.nodes[i];
  if (n.op != "Transpose") return false;
  Perm perm = n.params.get_ints("perm");
  if (!moves_only_unit_dims(g.tensor(n.inputs[0]).shape, perm)) return false;
  n.op = "Reshape";
  n.params.erase("perm");
  n.params.set("shape", g.tensor(n.outputs[0]).shape);
  return true;
}

Expected<bool> simplify_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  ir::Node& n = g.nodes[i];
  if (n.op != "Reshape") return false;
  ir::TensorId x = n.inputs[0], y = n.outputs[0];
  if (g.tensor(x).shape == g.tensor(y).shape) {
    if (!merge_into(g, x, y, y, &made)) return false;
    kill_node(g, i);
    return true;
  }
  int p = u.producer[static_cast<size_t>(x)];
  if (p < 0 || g.nodes[static_cast<size_t>(p)].op != "Reshape") return false;
  n.inputs[0] = g.nodes[static_cast<size_t>(p)].inputs[0];
  if (only_read_by(g, u, x, static_cast<int>(i))) kill_node(g, static_cast<size_t>(p));
  return true;
}

}  // namespace oqnn::passes
