// Quantization facts of ElementWiseAdd / Subtract / Multiply, computed once at kernel
// creation and shared by the reference and the fast kernels so that both requantize with
// exactly the same numbers (the scheme is described in eltwise_ref.cpp).
#pragma once

#include "backends/htp/ref/qtensor.h"

namespace oqnn::htp {

struct EltwiseQuant {
  bool multiply = false;
  int left_shift = 20;  // Add / Subtract: 20, or 15 when an input is 16-bit
  QParams a, b, y;
  // Add / Subtract: a and b to twice the larger scale (b negated for Subtract), then the
  // sum to the output. Multiply: only mult_out, s_a * s_b / s_y.
  quant::QuantizedMultiplier mult_a, mult_b, mult_out;
};

Expected<EltwiseQuant> eltwise_quant(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::htp
