// Rules on Transpose pairs: merge into one, cancel to nothing, drop identities.
#include <vector>

#include "passes/layout_ops.h"
#include "passes/perm.h"
#include "passes/transpose_rules.h"

namespace oqnn::passes {

Expected<bool> merge_transposes(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  ir::Node& t2 = g.nodes[i];
  if (t2.op != "Transpose") return false;
  ir::TensorId b = t2.inputs[0], c = t2.outputs[0];
  Perm p2 = t2.params.get_ints("perm");
  if (is_identity(p2)) {
    if (!merge_into(g, b, c, c, &made)) return false;
    kill_node(g, i);
    return true;
  }
  int j = u.producer[static_cast<size_t>(b)];
  if (j < 0 || g.nodes[static_cast<size_t>(j)].op != "Transpose") return false;
  ir::Node& t1 = g.nodes[static_cast<size_t>(j)];
  ir::TensorId a = t1.inputs[0];
  Perm p1 = t1.params.get_ints("perm");
  Perm pc = compose(p1, p2);
  bool b_dies = only_read_by(g, u, b, static_cast<int>(i));
  if (!is_identity(pc)) {
    t2.inputs[0] = a;
    t2.params.set("perm", pc);
    if (b_dies) kill_node(g, static_cast<size_t>(j));
    return true;
  }
  // The pair cancels: c's readers read a. Of the names vanishing, keep the one on the
  // source-layout side (c after a transpose out of channel-last, b between a transpose
  // out of and one into channel-last, where the importer put the model's name); any
  // model name beats one this pass invented.
  std::vector<ir::TensorId> candidates;
  if (output_is_source_side(p2)) candidates.push_back(c);
  if (b_dies && output_is_source_side(p1)) candidates.push_back(b);
  if (made.count(g.tensor(a).name)) {
    candidates.push_back(c);
    if (b_dies) candidates.push_back(b);
  }
  ir::TensorId name_from = ir::kNoTensor;
  for (ir::TensorId t : candidates)
    if (name_from == ir::kNoTensor && !made.count(g.tensor(t).name)) name_from = t;
  if (!merge_into(g, a, c, name_from, &made)) return false;
  kill_node(g, i);
  if (b_dies) kill_node(g, static_cast<size_t>(j));
  return true;
}

}  // namespace oqnn::passes
