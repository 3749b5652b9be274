// Quantization facts of the weight-carrying ops (Conv2d, DepthWiseConv2d, Conv3d,
// FullyConnected), computed once at kernel creation and shared by the reference and the
// fast kernels so that both requantize with exactly the same numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "backends/htp/ref/qtensor.h"

namespace oqnn::htp {

struct LinearQuant {
  QParams in, out;
  std::vector<int32_t> weight_zero;              // per output channel
  std::vector<int64_t> bias;                     // per output channel, units s_in * s_w[c]
  std::vector<quant::QuantizedMultiplier> mult;  // per output channel: s_in * s_w[c] / s_out
  int32_t lo = 0, hi = 255;                      // output codes after the fused activation
  int64_t max_abs_weight = 0;                    // max |w - zw|, for overflow bounds
};

// `weight_axis` is the output-channel axis of the weight (3 for HWIO, 4 for DHWIO, 0 for
// [cout, k]).
Expected<LinearQuant> linear_quant(const ir::Graph& g, const ir::Node& n, int weight_axis);

// Whether sum over `k` products plus the bias can leave int32 for any input codes: the
// fast kernels accumulate in int32 only when it cannot.
bool fits_int32_accumulator(const LinearQuant& q, int64_t k);

}  // namespace oqnn::htp
