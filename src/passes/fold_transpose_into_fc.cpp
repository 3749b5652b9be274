// fold_transpose_into_fc (high): a classifier head flattens channel-first data,
// Transpose(0,3,1,2) -> Reshape [N, C*H*W] -> FullyConnected, so the transpose survives
// cancel_transposes. Flattening the channel-last tensor instead and permuting the
// weight's columns to match computes the same sums without moving any activations.
#include "passes/graph_edit.h"
#include "passes/passes.h"
#include "passes/perm.h"

namespace oqnn::passes {
namespace {

class FoldTransposeIntoFc final : public Pass {
 public:
  std::string_view name() const override { return "fold_transpose_into_fc"; }

  Expected<bool> run(ir::Graph& g) override {
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i].op != "FullyConnected") continue;
      Uses u(g);
      changed = try_fold(g, u, i) || changed;
    }
    if (!changed) return false;
    compact_nodes(g);
    g.remove_unused_tensors();
    return true;
  }

 private:
  static bool try_fold(ir::Graph& g, const Uses& u, size_t fc) {
    ir::TensorId flat = g.nodes[fc].inputs[0], w = g.nodes[fc].inputs[1];
    int r = u.producer[static_cast<size_t>(flat)];
    if (r < 0 || g.nodes[static_cast<size_t>(r)].op != "Reshape" ||
        !only_read_by(g, u, flat, static_cast<int>(fc)))
      return false;
    ir::TensorId b = g.nodes[static_cast<size_t>(r)].inputs[0];
    int t = u.producer[static_cast<size_t>(b)];
    if (t < 0 || g.nodes[static_cast<size_t>(t)].op != "Transpose" || !only_read_by(g, u, b, r))
      return false;
    const ir::Tensor& wt = g.tensor(w);
    if (!wt.is_static() || !wt.data || wt.shape.size() != 2) return false;
    // The reshape must flatten everything after the batch dim, which the perm keeps.
    Perm perm = g.nodes[static_cast<size_t>(t)].params.get_ints("perm");
    const ir::Shape& bs = g.tensor(b).shape;
    const ir::Shape& fs = g.tensor(flat).shape;
    if (perm.empty() || perm[0] != 0 || fs.size() != 2 || fs[0] != bs[0] || fs[1] != wt.shape[1])
      return false;
    // Weight viewed as [cout, b1, ..., bn]: its columns go to the order of a's dims.
    ir::Shape view = {wt.shape[0]};
    view.insert(view.end(), bs.begin() + 1, bs.end());
    auto data = permute_data(*wt.data, view, ir::dtype_size(wt.dtype), inverse(perm));
    ir::Shape shape = wt.shape;
    ir::TensorId nw = restage_static(g, u, w, static_cast<int>(fc), shape, data, "_nhwc");
    // A permutation keeps every range, per-tensor and per output channel.
    if (g.tensor(w).encoding) g.tensor(nw).encoding = *g.tensor(w).encoding;
    g.nodes[fc].inputs[1] = nw;
    g.nodes[static_cast<size_t>(r)].inputs[0] = g.nodes[static_cast<size_t>(t)].inputs[0];
    kill_node(g, static_cast<size_t>(t));
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fold_transpose_into_fc() {
  return std::make_unique<FoldTransposeIntoFc>();
}

}  // namespace oqnn::passes
