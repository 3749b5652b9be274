#include "codegen/macs.h"

namespace oqnn::codegen {

uint64_t node_macs(const ir::Graph& g, const ir::Node& n) {
  if (n.inputs.size() < 2 || n.outputs.empty() || n.inputs[0] < 0 || n.inputs[1] < 0) return 0;
  const ir::Shape& a = g.tensor(n.inputs[0]).shape;
  const ir::Shape& w = g.tensor(n.inputs[1]).shape;
  auto out = static_cast<uint64_t>(ir::num_elements(g.tensor(n.outputs[0]).shape));
  if (n.op == "Conv2d" || n.op == "DepthWiseConv2d" || n.op == "Conv3d") {
    // Each output element sums (kd *) kh * kw * (cin / group) products (weights are
    // [(kd,) kh, kw, cin/group, cout]; a depthwise weight has 1 in the cin slot).
    if (w.size() < 4 || w.back() < 1) return 0;
    return out * static_cast<uint64_t>(ir::num_elements(w) / w.back());
  }
  if (n.op == "FullyConnected") return w.size() == 2 ? out * static_cast<uint64_t>(w[1]) : 0;
  if (n.op == "MatMul") {
    if (a.size() < 2) return 0;
    int64_t k = n.params.get_int("transpose_in0") ? a[a.size() - 2] : a.back();
    return out * static_cast<uint64_t>(k);
  }
  return 0;
}

}  // namespace oqnn::codegen
