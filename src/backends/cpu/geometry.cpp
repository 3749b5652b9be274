#include "backends/cpu/geometry.h"

namespace oqnn::cpu {

Expected<ConvGeometry> conv_geometry(const ir::Graph& g, const ir::Node& n) {
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  const ir::Shape& wt = shape_of(g, n.inputs[1]);
  const ir::Shape& y = shape_of(g, n.outputs[0]);
  // 3-D ops lead with the depth axis; `s` is where the H axis sits in params and shapes.
  const size_t s = x.size() == 5 ? 1 : 0;
  const std::vector<int64_t> ones(s + 2, 1);
  auto stride = n.params.get_ints("stride", ones);
  auto dil = n.params.get_ints("dilation", ones);
  auto pad = n.params.get_ints("pad_amount", std::vector<int64_t>(2 * (s + 2), 0));
  for (int64_t p : pad)
    if (p < 0) return node_unsupported(n, "negative pad_amount is not supported");
  ConvGeometry c;
  if (s == 1) {
    c.d = x[1], c.kd = wt[0], c.dout = y[1];
    c.stride_d = stride[0], c.dil_d = dil[0], c.pad_front = pad[0];
  }
  c.n = x[0], c.h = x[s + 1], c.w = x[s + 2], c.cin = x[s + 3];
  // The transposed convolutions' weight is [..., cin, cout/group].
  const bool transposed = n.op.starts_with("TransposeConv");
  c.kh = wt[s], c.kw = wt[s + 1], c.cout = transposed ? y[s + 3] : wt[s + 3];
  c.ho = y[s + 1], c.wo = y[s + 2];
  c.stride_h = stride[s], c.stride_w = stride[s + 1];
  c.dil_h = dil[s], c.dil_w = dil[s + 1];
  c.pad_top = pad[2 * s], c.pad_left = pad[2 * s + 2];
  c.groups = n.op == "DepthWiseConv2d" ? 1 : n.params.get_int("group", 1);
  OQNN_ASSIGN_OR_RETURN(c.act, fused_activation(n));
  return c;
}

Expected<PoolGeometry> pool_geometry(const ir::Graph& g, const ir::Node& n) {
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  const ir::Shape& y = shape_of(g, n.outputs[0]);
  auto k = n.params.get_ints("filter_size");
  auto stride = n.params.get_ints("stride", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  PoolGeometry p;
  p.n = x[0], p.h = x[1], p.w = x[2], p.c = x[3];
  p.ho = y[1], p.wo = y[2];
  p.kh = k[0], p.kw = k[1];
  p.stride_h = stride[0], p.stride_w = stride[1];
  p.pad_top = pad[0], p.pad_left = pad[2];
  // Every window must overlap the input (ONNX requires pads smaller than the filter).
  if (pad[0] < 0 || pad[1] < 0 || pad[2] < 0 || pad[3] < 0 || pad[0] >= k[0] || pad[1] >= k[0] ||
      pad[2] >= k[1] || pad[3] >= k[1])
    return node_unsupported(n, "pad_amount must be non-negative and smaller than filter_size");
  int64_t mode = n.params.get_int("rounding_mode", 0);
  if (mode != 0 && mode != 1)
    return node_unsupported(n, "rounding_mode " + std::to_string(mode) + " (0 floor, 1 ceil)");
  int64_t cp = n.params.get_int("count_pad_for_edges", 0);
  if (cp != 0 && cp != 1) return node_unsupported(n, "count_pad_for_edges must be 0 or 1");
  p.count_pad = cp == 1;
  return p;
}

}  // namespace oqnn::cpu
