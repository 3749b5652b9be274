// fold_batchnorm: Batchnorm(y) = y * scale[c] + bias[c] right after a Conv2d,
// DepthWiseConv2d, Conv3d or FullyConnected (no fused activation, no other reader) is
// folded into that node: weights scaled per output channel (the last axis of HWIO,
// [kh,kw,1,cout] and DHWIO weights, axis 0 of FullyConnected's [cout,k]) and
// bias' = bias * scale + bn_bias.
// Folded weights are new static blobs; a weight shared with another node is left as it
// was. A weight read only here keeps its name (AIMET-style overrides name the folded
// weight), but loses any encoding, which described the unfolded values.
#include "ir/op_def.h"
#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace oqnn::passes {
namespace {

bool foldable_producer(const ir::Node& n) {
  return ir::weight_channel_axis(n.op) >= 0 && !n.params.has("fused_activation");
}

bool static_f32(const ir::Graph& g, ir::TensorId t) {
  return t >= 0 && g.tensor(t).is_static() && g.tensor(t).dtype == ir::DataType::kFloat32 &&
         g.tensor(t).data;
}

// Input `slot` of node p gets new float data (see restage_static for the name).
void replace_static(ir::Graph& g, const Uses& u, int p, size_t slot, const ir::Shape& shape,
                    const std::vector<float>& values, const std::string& name_if_absent) {
  ir::Node& n = g.nodes[static_cast<size_t>(p)];
  if (n.inputs.size() <= slot) n.inputs.resize(slot + 1, ir::kNoTensor);
  ir::TensorId old = n.inputs[slot];
  auto blob = make_owned_blob(values.data(), values.size() * sizeof(float));
  n.inputs[slot] = old >= 0 ? restage_static(g, u, old, p, shape, blob, "_bn_folded")
                            : g.add_static(name_if_absent, ir::DataType::kFloat32, shape, blob);
}

class FoldBatchnorm final : public Pass {
 public:
  std::string_view name() const override { return "fold_batchnorm"; }

  Expected<bool> run(ir::Graph& g) override {
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i].op != "Batchnorm") continue;
      Uses u(g);
      if (!try_fold(g, u, i)) continue;
      changed = true;
    }
    if (!changed) return false;
    compact_nodes(g);
    g.remove_unused_tensors();
    return true;
  }

 private:
  static bool try_fold(ir::Graph& g, const Uses& u, size_t i) {
    const ir::Node& bn = g.nodes[i];
    ir::TensorId x = bn.inputs[0];
    int p = u.producer[static_cast<size_t>(x)];
    if (p < 0 || !static_f32(g, bn.inputs[1]) || !static_f32(g, bn.inputs[2])) return false;
    const ir::Node& prod = g.nodes[static_cast<size_t>(p)];
    if (!foldable_producer(prod) || !only_read_by(g, u, x, static_cast<int>(i))) return false;
    ir::TensorId w = prod.inputs[1];
    ir::TensorId b = prod.inputs.size() > 2 ? prod.inputs[2] : ir::kNoTensor;
    if (!static_f32(g, w) || (b >= 0 && !static_f32(g, b))) return false;

    ir::Shape ws = g.tensor(w).shape;
    bool fc = prod.op == "FullyConnected";
    int64_t cout = fc ? ws[0] : ws.back();
    auto scale = float_values(g.tensor(bn.inputs[1]));
    auto shift = float_values(g.tensor(bn.inputs[2]));
    if (static_cast<int64_t>(scale.size()) != cout || static_cast<int64_t>(shift.size()) != cout)
      return false;
    auto wv = float_values(g.tensor(w));
    int64_t k = ir::num_elements(ws) / cout;
    for (int64_t e = 0; e < ir::num_elements(ws); ++e)
      wv[static_cast<size_t>(e)] *= scale[static_cast<size_t>(fc ? e / k : e % cout)];
    std::vector<float> bv(static_cast<size_t>(cout), 0.0f);
    if (b >= 0) bv = float_values(g.tensor(b));
    for (size_t o = 0; o < bv.size(); ++o) bv[o] = bv[o] * scale[o] + shift[o];

    std::string node_name = prod.name;
    ir::Shape bias_shape = b >= 0 ? g.tensor(b).shape : ir::Shape{cout};
    replace_static(g, u, p, 1, ws, wv, "");
    replace_static(g, u, p, 2, bias_shape, bv, node_name + "_bias");
    ir::Node& fused = g.nodes[static_cast<size_t>(p)];
    fused.outputs[0] = g.nodes[i].outputs[0];
    kill_node(g, i);
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fold_batchnorm() {
  return std::make_unique<FoldBatchnorm>();
}

}  // namespace oqnn::passes
