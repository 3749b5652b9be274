// QNN's range rules and the float <-> integer mapping every layer shares (converter,
// HTP finalize, runtime I/O conversion). real = scale * (q + offset).
#pragma once

#include <cstdint>
#include <span>

#include "ir/encoding.h"

namespace oqnn::quant {

// `tf` (min-max) rule, asymmetric unsigned: minimum range 1e-4, zero exactly
// representable ([-1.8, 0.5] at 8 bits -> [-1.803922, 0.496078], zero point 200).
ir::Encoding tf_encoding(double min, double max, int bitwidth);
// Symmetric signed: range +-max(|min|, |max|), offset 0, q in [-(2^(bw-1)-1), 2^(bw-1)-1].
ir::Encoding symmetric_encoding(double min, double max, int bitwidth);
// An encoding from explicit scale/offset (offset in QNN's sign convention).
ir::Encoding encoding_from_scale_offset(double scale, int32_t offset, int bitwidth, bool is_signed);

// Round half away from zero, then clamp to [qmin, qmax] of `e` (channel c).
int32_t quantize_value(double real, const ir::Encoding& e, size_t c = 0);
double dequantize_value(int32_t q, const ir::Encoding& e, size_t c = 0);

// Whole-buffer conversions for I/O (per-tensor encodings); the integer side is stored in
// the encoding's natural type: uint8/int8/uint16/int16/int32 by bitwidth and signedness.
void quantize_buffer(std::span<const float> in, const ir::Encoding& e, void* out);
void dequantize_buffer(const void* in, size_t count, const ir::Encoding& e, float* out);

}  // namespace oqnn::quant
