// The geometry and quantization of an HTP pool node (PoolMax2d/3d, PoolAvg2d/3d), read once
// and shared by the reference and the fast pool kernels. A 2-D pool is a 3-D one whose
// leading (depth) axis is a unit one.
#pragma once

#include <array>
#include <cstdint>

#include "backends/htp/ref/qtensor.h"

namespace oqnn::htp {

struct PoolGeometry {
  int64_t n = 0, c = 0;
  std::array<int64_t, 3> in{}, out{}, k{}, stride{}, dil{}, pad0{};  // depth, height, width
  bool average = false, count_pad = false;
  QParams x, y;
};

Expected<PoolGeometry> pool_geometry(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::htp
