#include "quant/weight_encoding.h"

#include <fmt/format.h>

#include "quant/encoding_math.h"
#include "quant/observers.h"

namespace oqnn::quant {
namespace {

// An all-NaN or empty tensor has no range; encode it as if it were zeros.
std::pair<double, double> range_of(const MinMax& m) {
  return m.empty() ? std::pair{0.0, 0.0} : std::pair{m.min, m.max};
}

}  // namespace

Expected<ir::Encoding> weight_encoding(const ir::Tensor& t, int axis, int bitwidth,
                                       WeightScheme scheme) {
  const int64_t n = ir::num_elements(t.shape);
  if (t.dtype != ir::DataType::kFloat32 || !t.data ||
      t.data->size() != static_cast<size_t>(n) * sizeof(float))
    return internal_error(
        fmt::format("weight '{}': expected {} float32 values of data to "
                    "derive its encoding",
                    t.name, n));
  const float* p = reinterpret_cast<const float*>(t.data->data());
  if (axis < 0) {
    MinMax m;
    m.observe(p, static_cast<size_t>(n));
    auto [lo, hi] = range_of(m);
    return scheme == WeightScheme::kTf ? tf_encoding(lo, hi, bitwidth)
                                       : symmetric_encoding(lo, hi, bitwidth);
  }
  if (axis >= static_cast<int>(t.shape.size()))
    return internal_error(fmt::format("weight '{}': channel axis {} out of range for shape {}",
                                      t.name, axis, ir::shape_str(t.shape)));
  const int64_t channels = t.shape[static_cast<size_t>(axis)];
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; d < t.shape.size(); ++d) inner *= t.shape[d];
  std::vector<MinMax> ranges(static_cast<size_t>(channels));
  // Runs of `inner` consecutive values share a channel.
  for (int64_t start = 0; start < n; start += inner) {
    int64_t c = (start / inner) % channels;
    ranges[static_cast<size_t>(c)].observe(p + start, static_cast<size_t>(inner));
  }
  ir::Encoding e;
  e.bitwidth = bitwidth;
  e.is_signed = true;
  e.symmetric = true;
  e.axis = axis;
  for (const MinMax& m : ranges) {
    auto [lo, hi] = range_of(m);
    e.scale.push_back(symmetric_encoding(lo, hi, bitwidth).scale[0]);
    e.offset.push_back(0);
  }
  return e;
}

}  // namespace oqnn::quant
