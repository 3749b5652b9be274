// fuse_activations: Relu and ReluMinMax (Clip, Relu6) become the fused_activation of the
// Conv2d / DepthWiseConv2d / Conv3d / FullyConnected feeding them, when that producer has no
// activation yet and nothing else reads its output. The producer then writes the
// activation's output tensor, so the name a user looks up (e.g. "/relu/Relu_output_0")
// and its encoding survive.
#include "ir/op_def.h"
#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace oqnn::passes {
namespace {

bool takes_fused_activation(const ir::Node& n) {
  return ir::weight_channel_axis(n.op) >= 0 && !n.params.has("fused_activation");
}

class FuseActivations final : public Pass {
 public:
  std::string_view name() const override { return "fuse_activations"; }

  Expected<bool> run(ir::Graph& g) override {
    bool changed = false;
    Uses u(g);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ir::Node& act = g.nodes[i];
      if (act.op != "Relu" && act.op != "ReluMinMax") continue;
      ir::TensorId x = act.inputs[0];
      int p = u.producer[static_cast<size_t>(x)];
      if (p < 0 || !takes_fused_activation(g.nodes[static_cast<size_t>(p)]) ||
          !only_read_by(g, u, x, static_cast<int>(i)))
        continue;
      ir::Node& prod = g.nodes[static_cast<size_t>(p)];
      if (act.op == "Relu") {
        prod.params.set("fused_activation", std::string("relu"));
      } else {
        prod.params.set("fused_activation", std::string("clip"));
        prod.params.set("clip_min", act.params.get_float("min_value"));
        prod.params.set("clip_max", act.params.get_float("max_value"));
      }
      prod.outputs[0] = act.outputs[0];
      u.producer[static_cast<size_t>(act.outputs[0])] = p;
      kill_node(g, i);
      changed = true;
    }
    if (!changed) return false;
    compact_nodes(g);
    g.remove_unused_tensors();
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_activations() {
  return std::make_unique<FuseActivations>();
}

}  // namespace oqnn::passes
