// Shapes and window arithmetic of Conv2d / DepthWiseConv2d (NHWC input, HWIO weight) and
// Conv3d (NDHWC input, DHWIO weight), read once from the node; shared by the reference and
// fast kernels. The 2-D ops have depth 1 (one unpadded plane).
#pragma once

#include <cstdint>

#include "ir/graph.h"

namespace oqnn::htp {

struct ConvGeometry {
  int64_t n = 1, h = 1, w = 1, c = 1;  // input
  int64_t kh = 1, kw = 1;              // kernel
  int64_t cin_g = 1, cout = 1;         // weight [kh, kw, cin_g, cout]
  int64_t groups = 1;                  // Conv2d groups
  int64_t multiplier = 1;              // DepthWiseConv2d: cout / c
  int64_t sh = 1, sw = 1, dh = 1, dw = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t oh = 1, ow = 1;
  int64_t d = 1, kd = 1, sd = 1, dd = 1, pad_front = 0, od = 1;  // depth (Conv3d)
  bool depthwise = false;

  int64_t cout_g() const { return cout / groups; }
  // Input channel feeding output channel `co` of a depthwise conv (TF/QNN layout:
  // output channel co reads input channel co / multiplier).
  int64_t dw_input_channel(int64_t co) const { return co / multiplier; }
};

ConvGeometry conv_geometry(const ir::Graph& g, const ir::Node& node);

}  // namespace oqnn::htp
