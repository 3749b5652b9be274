// The parameters of the windowed ops (Conv2d, DepthWiseConv2d, PoolMax2d, PoolAvg2d)
// resolved once at kernel creation, so that reference and fast kernels read the same
// numbers and none of them parses Params at run time. The 3-D convolutions (Conv3d,
// TransposeConv3d) fill the depth fields too; for the 2-D ops depth is one unpadded plane.
#pragma once

#include <cstdint>

#include "backends/cpu/kernel_util.h"

namespace oqnn::cpu {

struct ConvGeometry {
  int64_t n = 0, h = 0, w = 0, cin = 0;  // input, NHWC
  int64_t kh = 0, kw = 0, cout = 0;      // weight [kh, kw, cin/groups (1 for depthwise), cout]
                                         // (TransposeConv2d: [kh, kw, cin, cout/groups])
  int64_t ho = 0, wo = 0;                // output spatial size
  int64_t stride_h = 1, stride_w = 1, dil_h = 1, dil_w = 1;
  int64_t pad_top = 0, pad_left = 0;
  int64_t groups = 1;  // Conv2d, TransposeConv2d: the group param; DepthWiseConv2d: 1
  // Depth (Conv3d, TransposeConv3d: NDHWC input, weight [kd, kh, kw, ...]).
  int64_t d = 1, kd = 1, dout = 1, stride_d = 1, dil_d = 1, pad_front = 0;
  ActivationRange act;
  int64_t cin_per_group() const { return cin / groups; }
  int64_t cout_per_group() const { return cout / groups; }
  // DepthWiseConv2d: output channel c reads input channel c / multiplier().
  int64_t multiplier() const { return cout / cin; }
};

// Reads a checked (check_node) Conv2d, DepthWiseConv2d, Conv3d, TransposeConv2d or
// TransposeConv3d node.
Expected<ConvGeometry> conv_geometry(const ir::Graph& g, const ir::Node& n);

struct PoolGeometry {
  int64_t n = 0, h = 0, w = 0, c = 0, ho = 0, wo = 0;
  int64_t kh = 1, kw = 1, stride_h = 1, stride_w = 1;
  int64_t pad_top = 0, pad_left = 0;  // windows start at o*stride - pad
  bool count_pad = false;             // PoolAvg2d count_pad_for_edges
};

Expected<PoolGeometry> pool_geometry(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::cpu
