// Calibration observers: the running statistics collected for each activation while
// calibration samples flow through the graph. min-max (QNN's `tf`) needs only the range.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>

namespace oqnn::quant {

struct MinMax {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  // Widens the range to cover p[0..n). NaN and infinities are skipped: one of them would
  // make the range, and so the encoding, unusable for every other value.
  void observe(const float* p, size_t n);
  bool empty() const { return min > max; }
};

using ActivationRanges = std::map<std::string, MinMax>;

}  // namespace oqnn::quant
