// remove_dead: drops every node none of whose outputs reaches a graph output, then the
// tensors nothing refers to any more. Graph inputs stay even when unread: they are the
// model's interface.
#include <vector>

#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace oqnn::passes {
namespace {

class RemoveDead final : public Pass {
 public:
  std::string_view name() const override { return "remove_dead"; }

  Expected<bool> run(ir::Graph& g) override {
    std::vector<bool> live(g.tensors.size(), false);
    for (ir::TensorId t : g.outputs) live[static_cast<size_t>(t)] = true;
    bool changed = false;
    // Nodes are in topological order, so one backward sweep finds every live node.
    for (size_t i = g.nodes.size(); i-- > 0;) {
      ir::Node& n = g.nodes[i];
      bool needed = false;
      for (ir::TensorId o : n.outputs) needed = needed || live[static_cast<size_t>(o)];
      if (!needed) {
        kill_node(g, i);
        changed = true;
        continue;
      }
      for (ir::TensorId in : n.inputs)
        if (in >= 0) live[static_cast<size_t>(in)] = true;
    }
    compact_nodes(g);
    if (g.remove_unused_tensors() > 0) changed = true;
    return changed;
  }
};

}  // namespace

std::unique_ptr<Pass> make_remove_dead() {
  return std::make_unique<RemoveDead>();
}

}  // namespace oqnn::passes
