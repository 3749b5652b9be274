#include "backends/htp/ref/conv_geometry.h"

namespace oqnn::htp {

ConvGeometry conv_geometry(const ir::Graph& g, const ir::Node& node) {
  const ir::Shape& x = g.tensor(node.inputs[0]).shape;
  const ir::Shape& w = g.tensor(node.inputs[1]).shape;
  const ir::Shape& y = g.tensor(node.outputs[0]).shape;
  ConvGeometry s;
  s.depthwise = node.op == "DepthWiseConv2d";
  s.n = x[0];
  s.h = x[1];
  s.w = x[2];
  s.c = x[3];
  s.kh = w[0];
  s.kw = w[1];
  s.cin_g = w[2];
  s.cout = w[3];
  if (s.depthwise)
    s.multiplier = s.cout / s.c;
  else
    s.groups = node.params.get_int("group", 1);
  auto stride = node.params.get_ints("stride", {1, 1});
  auto dil = node.params.get_ints("dilation", {1, 1});
  auto pad = node.params.get_ints("pad_amount", {0, 0, 0, 0});
  s.sh = stride[0];
  s.sw = stride[1];
  s.dh = dil[0];
  s.dw = dil[1];
  s.pad_top = pad[0];
  s.pad_left = pad[2];
  s.oh = y[1];
  s.ow = y[2];
  return s;
}

}  // namespace oqnn::htp
