#include "backends/htp/ref/conv_geometry.h"

namespace oqnn::htp {

ConvGeometry conv_geometry(const ir::Graph& g, const ir::Node& node) {
  const ir::Shape& x = g.tensor(node.inputs[0]).shape;
  const ir::Shape& w = g.tensor(node.inputs[1]).shape;
  const ir::Shape& y = g.tensor(node.outputs[0]).shape;
  const size_t v = x.size() == 5 ? 1 : 0;  // Conv3d: the depth axis leads
  const std::vector<int64_t> ones(v + 2, 1);
  auto stride = node.params.get_ints("stride", ones);
  auto dil = node.params.get_ints("dilation", ones);
  auto pad = node.params.get_ints("pad_amount", std::vector<int64_t>(2 * (v + 2), 0));
  ConvGeometry s;
  s.depthwise = node.op == "DepthWiseConv2d";
  if (v == 1) {
    s.d = x[1], s.kd = w[0], s.od = y[1];
    s.sd = stride[0], s.dd = dil[0], s.pad_front = pad[0];
  }
  s.n = x[0];
  s.h = x[v + 1];
  s.w = x[v + 2];
  s.c = x[v + 3];
  s.kh = w[v];
  s.kw = w[v + 1];
  s.cin_g = w[v + 2];
  s.cout = w[v + 3];
  if (s.depthwise)
    s.multiplier = s.cout / s.c;
  else
    s.groups = node.params.get_int("group", 1);
  s.sh = stride[v];
  s.sw = stride[v + 1];
  s.dh = dil[v];
  s.dw = dil[v + 1];
  s.pad_top = pad[2 * v];
  s.pad_left = pad[2 * v + 2];
  s.oh = y[v + 1];
  s.ow = y[v + 2];
  return s;
}

}  // namespace oqnn::htp
