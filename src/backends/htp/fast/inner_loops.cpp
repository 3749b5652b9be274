// The fast kernels' innermost loops on narrow integers, one clone per x86 ISA level.
#include "backends/htp/fast/dot.h"

// GCC on x86-64: one clone per ISA level, chosen once by the loader (ifunc). Elsewhere the
// portable loop, which the compiler still vectorizes for the baseline ISA.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define OQNN_HTP_CLONES __attribute__((target_clones("arch=cascadelake", "avx2", "default")))
#else
#define OQNN_HTP_CLONES
#endif

namespace oqnn::htp::fast {

OQNN_HTP_CLONES
int32_t dot_i16(const int16_t* __restrict a, const int16_t* __restrict b, int64_t k) {
  int32_t s = 0;
  for (int64_t i = 0; i < k; ++i) s += int32_t{a[i]} * int32_t{b[i]};
  return s;
}

OQNN_HTP_CLONES
void dot4_i16(const int16_t* __restrict a, const int16_t* __restrict b, int64_t k,
              int32_t* __restrict out) {
  const int16_t* __restrict b0 = b;
  const int16_t* __restrict b1 = b + k;
  const int16_t* __restrict b2 = b + 2 * k;
  const int16_t* __restrict b3 = b + 3 * k;
  int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (int64_t i = 0; i < k; ++i) {
    const int32_t x = a[i];
    s0 += x * b0[i];
    s1 += x * b1[i];
    s2 += x * b2[i];
    s3 += x * b3[i];
  }
  out[0] = s0;
  out[1] = s1;
  out[2] = s2;
  out[3] = s3;
}

OQNN_HTP_CLONES
void requantize_row_i32(const int32_t* __restrict acc, const int32_t* __restrict bias,
                        const int32_t* __restrict mult, const int32_t* __restrict shift, int64_t n,
                        int32_t zero, int32_t lo, int32_t hi, int32_t* __restrict codes) {
  for (int64_t j = 0; j < n; ++j)
    codes[j] = quant::requantize_int32(acc[j] + bias[j], mult[j], shift[j], zero, lo, hi);
}

}  // namespace oqnn::htp::fast
