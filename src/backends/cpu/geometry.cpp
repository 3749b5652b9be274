#include "backends/cpu/geometry.h"

namespace oqnn::cpu {

Expected<ConvGeometry> conv_geometry(const ir::Graph& g, const ir::Node& n) {
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  const ir::Shape& wt = shape_of(g, n.inputs[1]);
  const ir::Shape& y = shape_of(g, n.outputs[0]);
  auto stride = n.params.get_ints("stride", {1, 1});
  auto dil = n.params.get_ints("dilation", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  ConvGeometry c;
  c.n = x[0], c.h = x[1], c.w = x[2], c.cin = x[3];
  // TransposeConv2d's weight is [kh, kw, cin, cout/group].
  c.kh = wt[0], c.kw = wt[1], c.cout = n.op == "TransposeConv2d" ? y[3] : wt[3];
  c.ho = y[1], c.wo = y[2];
  c.stride_h = stride[0], c.stride_w = stride[1];
  c.dil_h = dil[0], c.dil_w = dil[1];
  c.pad_top = pad[0], c.pad_left = pad[2];
  if (pad[0] < 0 || pad[1] < 0 || pad[2] < 0 || pad[3] < 0)
    return node_unsupported(n, "negative pad_amount is not supported");
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
