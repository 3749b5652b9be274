// IEEE 754 binary16 conversion on the host, for uploading weights and inputs to fp16
// device buffers and reading results back. Rounds to nearest, ties to even (as the
// kernels' vstore_half_rte), so host and device conversions agree bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

namespace oqnn::gpu {

uint16_t float_to_half(float f);
float half_to_float(uint16_t h);
void floats_to_halves(const float* src, uint16_t* dst, size_t n);
void halves_to_floats(const uint16_t* src, float* dst, size_t n);

}  // namespace oqnn::gpu
