#include "quant/observers.h"

#include <cmath>

namespace oqnn::quant {

void MinMax::observe(const float* p, size_t n) {
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  for (size_t i = 0; i < n; ++i) {
    float v = p[i];
    if (!std::isfinite(v)) continue;
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  if (lo <= hi) {
    min = std::fmin(min, static_cast<double>(lo));
    max = std::fmax(max, static_cast<double>(hi));
  }
}

}  // namespace oqnn::quant
