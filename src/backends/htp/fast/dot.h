// Shared pieces of the fast kernels: the choice of integer widths and the dot product.
#pragma once

#include <cstdint>
#include <limits>
#include <type_traits>

#include "backends/htp/ref/linear_quant.h"

namespace oqnn::htp::fast {

// Narrow: centred values in int16 and an int32 accumulator (uint8 activations whose sums
// provably fit). Wide: int32 values, int64 accumulator (uint16 activations, huge K).
enum class Width { kNarrow, kWide, kNone };

inline Width choose_width(const LinearQuant& q, ir::DataType input, int64_t k) {
  if (input == ir::DataType::kUInt8 && q.max_abs_weight <= std::numeric_limits<int16_t>::max() &&
      fits_int32_accumulator(q, k))
    return Width::kNarrow;
  if (q.max_abs_weight <= std::numeric_limits<int32_t>::max()) return Width::kWide;
  return Width::kNone;  // only malformed weights get here: the reference kernel takes them
}

// sum a[i] * b[i] (wide variants).
template <class C, class A>
inline A dot(const C* __restrict a, const C* __restrict b, int64_t k) {
  A s = 0;
  for (int64_t i = 0; i < k; ++i) s += static_cast<A>(a[i]) * static_cast<A>(b[i]);
  return s;
}

// The narrow inner loops (inner_loops.cpp), compiled for several x86 ISAs and picked at load
// time; integer sums are exact, so every ISA gives the same bits.
int32_t dot_i16(const int16_t* a, const int16_t* b, int64_t k);
// out[j] = sum_i a[i] * b[j * k + i], j = 0..3: four output channels share the loads of a.
void dot4_i16(const int16_t* a, const int16_t* b, int64_t k, int32_t* out);

// codes[j] = quant::requantize_int32(acc[j] + bias[j], mult[j], shift[j], zero, lo, hi).
void requantize_row_i32(const int32_t* acc, const int32_t* bias, const int32_t* mult,
                        const int32_t* shift, int64_t n, int32_t zero, int32_t lo, int32_t hi,
                        int32_t* codes);

// out[j] = sum_i a[i] * b[j * k + i] for j in [0, n): one row of a against n packed rows.
template <class C, class A>
inline void dot_rows(const C* a, const C* b, int64_t k, int64_t n, A* out) {
  int64_t j = 0;
  if constexpr (std::is_same_v<C, int16_t> && std::is_same_v<A, int32_t>) {
    for (; j + 4 <= n; j += 4) dot4_i16(a, b + j * k, k, out + j);
    for (; j < n; ++j) out[j] = dot_i16(a, b + j * k, k);
  }
  for (; j < n; ++j) out[j] = dot<C, A>(a, b + j * k, k);
}

}  // namespace oqnn::htp::fast
