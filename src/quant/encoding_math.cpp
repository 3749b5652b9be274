#include "quant/encoding_math.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace oqnn::quant {

ir::Encoding tf_encoding(double min, double max, int bitwidth) {
  min = std::min(min, 0.0);
  max = std::max(max, 0.0);
  max = std::max(max, min + 1e-4);
  double levels = std::ldexp(1.0, bitwidth) - 1.0;
  double scale = (max - min) / levels;
  // Shift the range so that zero falls exactly on an integer step.
  double zero_point = std::round(-min / scale);
  zero_point = std::clamp(zero_point, 0.0, levels);
  ir::Encoding e;
  e.bitwidth = bitwidth;
  e.is_signed = false;
  e.symmetric = false;
  e.scale = {scale};
  e.offset = {static_cast<int32_t>(-zero_point)};
  return e;
}

ir::Encoding symmetric_encoding(double min, double max, int bitwidth) {
  double absmax = std::max({std::fabs(min), std::fabs(max), 1e-8});
  double qmax = std::ldexp(1.0, bitwidth - 1) - 1.0;
  ir::Encoding e;
  e.bitwidth = bitwidth;
  e.is_signed = true;
  e.symmetric = true;
  e.scale = {absmax / qmax};
  e.offset = {0};
  return e;
}

ir::Encoding encoding_from_scale_offset(double scale, int32_t offset, int bitwidth,
                                        bool is_signed) {
  ir::Encoding e;
  e.bitwidth = bitwidth;
  e.is_signed = is_signed;
  e.symmetric = is_signed && offset == 0;
  e.scale = {scale};
  e.offset = {offset};
  return e;
}

int32_t quantize_value(double real, const ir::Encoding& e, size_t c) {
  double q = std::round(real / e.scale[c]) - e.offset[c];
  // Also inside int32: a 32-bit unsigned encoding's qmax (2^32 - 1) is not.
  q = std::clamp(q, static_cast<double>(std::max<int64_t>(e.qmin(), INT32_MIN)),
                 static_cast<double>(std::min<int64_t>(e.qmax(), INT32_MAX)));
  return static_cast<int32_t>(q);
}

double dequantize_value(int32_t q, const ir::Encoding& e, size_t c) {
  return e.scale[c] * (static_cast<double>(q) + e.offset[c]);
}

namespace {
template <class T>
void quantize_as(std::span<const float> in, const ir::Encoding& e, void* out) {
  T* o = static_cast<T*>(out);
  for (size_t i = 0; i < in.size(); ++i) o[i] = static_cast<T>(quantize_value(in[i], e));
}
template <class T>
void dequantize_as(const void* in, size_t n, const ir::Encoding& e, float* out) {
  const T* p = static_cast<const T*>(in);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<float>(dequantize_value(p[i], e));
}
}  // namespace

void quantize_buffer(std::span<const float> in, const ir::Encoding& e, void* out) {
  if (e.bitwidth <= 8) {
    if (e.is_signed)
      quantize_as<int8_t>(in, e, out);
    else
      quantize_as<uint8_t>(in, e, out);
  } else if (e.bitwidth <= 16) {
    if (e.is_signed)
      quantize_as<int16_t>(in, e, out);
    else
      quantize_as<uint16_t>(in, e, out);
  } else {
    quantize_as<int32_t>(in, e, out);
  }
}

void dequantize_buffer(const void* in, size_t n, const ir::Encoding& e, float* out) {
  if (e.bitwidth <= 8) {
    if (e.is_signed)
      dequantize_as<int8_t>(in, n, e, out);
    else
      dequantize_as<uint8_t>(in, n, e, out);
  } else if (e.bitwidth <= 16) {
    if (e.is_signed)
      dequantize_as<int16_t>(in, n, e, out);
    else
      dequantize_as<uint16_t>(in, n, e, out);
  } else {
    dequantize_as<int32_t>(in, n, e, out);
  }
}

}  // namespace oqnn::quant
