// cancel_transposes (the layout pass). The ONNX importer wraps every spatial op as
// Transpose(0,2,3,1) -> NHWC op -> Transpose(0,3,1,2). This pass makes the graph
// channel-last end to end: transposes sink below layout-agnostic ops (or rise above them
// toward graph inputs and other transposes) until pairs meet and cancel. A multi-input op
// takes the transposes of all its moving inputs at once, and a run-time operand that is
// the same tensor through unary ops (SiLU's x * Sigmoid(x), squeeze-excite gates) gets the
// inverse transpose, which rises to cancel; transposes pass Reshapes that only merge or
// split the dims they keep together, and a shared one goes into all its readers when each
// can land it. Then transposes that move only size-1 dims become Reshapes and Reshape
// chains collapse. Model names stay on the ops that compute them (see transpose_rules.h).
#include <spdlog/spdlog.h>

#include "passes/graph_edit.h"
#include "passes/layout_ops.h"
#include "passes/passes.h"
#include "passes/perm.h"
#include "passes/transpose_rules.h"

namespace oqnn::passes {
namespace {

using Rule = Expected<bool> (*)(ir::Graph&, const Uses&, size_t, MadeNames&);

Expected<bool> move_transposes(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  if (g.nodes[i].op == "Reshape") return sink_through_reshape(g, u, i, made);
  if (g.nodes[i].op != "Transpose") return sink_transpose(g, u, i, made);
  OQNN_ASSIGN_OR_RETURN(bool merged, merge_transposes(g, u, i, made));
  if (merged) return true;
  return hoist_transpose(g, u, i, made);
}

Expected<bool> tidy_reshapes(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  OQNN_ASSIGN_OR_RETURN(bool reshaped, transpose_to_reshape(g, u, i, made));
  if (reshaped) return true;
  return simplify_reshape(g, u, i, made);
}

// Applies `rule` at every node, in order, until a sweep changes nothing. Every rewrite
// moves a transpose strictly down (sink) or up (hoist) or removes one, so sweeps end;
// the cap turns a bug into an error instead of a hang.
Expected<bool> to_fixpoint(ir::Graph& g, Rule rule, const char* phase, MadeNames& made) {
  bool changed = false;
  size_t cap = 64 + 4 * g.nodes.size();
  for (size_t sweep = 0;; ++sweep) {
    if (sweep > cap)
      return internal_error("cancel_transposes: " + std::string(phase) +
                            " did not settle on graph '" + g.name + "'");
    bool any = false;
    Uses u(g);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i].op.empty()) continue;
      OQNN_ASSIGN_OR_RETURN(bool c, rule(g, u, i, made));
      if (!c) continue;
      any = true;
      u = Uses(g);
    }
    compact_nodes(g);
    if (!any) return changed;
    changed = true;
  }
}

// The importer names the channel-first side of its sandwich (op -> y_nhwc ->
// Transpose(0,3,1,2) -> y) with the model name. The op that computes y takes that name
// and the transpose writes an invented twin, so that the name stays with the op whatever
// the rules later do to the transpose.
bool name_compute_outputs(ir::Graph& g, MadeNames& made) {
  Uses u(g);
  bool changed = false;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const ir::Node& t = g.nodes[i];
    if (t.op != "Transpose") continue;
    ir::TensorId a = t.inputs[0], b = t.outputs[0];
    Perm perm = t.params.get_ints("perm");
    if (perm.size() < 3 || perm != to_channel_first(perm.size()) ||
        u.producer[static_cast<size_t>(a)] < 0 || !can_rename(g, a) || !can_rename(g, b) ||
        !only_read_by(g, u, a, static_cast<int>(i)))
      continue;
    adopt_name(g, a, b);  // b is replaced by the twin below
    ir::TensorId twin = add_layout_twin(g, a, perm, made);
    for (auto& n : g.nodes)
      for (auto& in : n.inputs)
        if (in == b) in = twin;
    g.nodes[i].outputs[0] = twin;
    changed = true;
    u = Uses(g);  // the twin is a new tensor and b has new readers: refresh the index
  }
  return changed;
}

class CancelTransposes final : public Pass {
 public:
  std::string_view name() const override { return "cancel_transposes"; }

  Expected<bool> run(ir::Graph& g) override {
    MadeNames made;
    bool named = name_compute_outputs(g, made);
    OQNN_ASSIGN_OR_RETURN(bool moved, to_fixpoint(g, move_transposes, "transpose movement", made));
    OQNN_ASSIGN_OR_RETURN(bool tidied, to_fixpoint(g, tidy_reshapes, "reshape cleanup", made));
    if (!named && !moved && !tidied) return false;
    g.remove_unused_tensors();
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_cancel_transposes() {
  return std::make_unique<CancelTransposes>();
}

}  // namespace oqnn::passes
