// AVX512-VNNI tiles (compiled with -mavx512f -mavx512bw -mavx512vnni): up to 6 rows x 4
// blocks of 16 channels, 24 zmm accumulators. Quad layout: vpdpbusd (u8 x s8, four products
// per lane); pair layout: vpdpwssd (s16 x s16, two products per lane). Neither saturates.
#include <immintrin.h>

#include <cstdint>

#include "backends/htp/fast/qgemm_tiles.h"

namespace oqnn::htp::fast {
namespace {

template <bool kQuad>
struct Avx512Tile {
  static constexpr int kMr = 6, kNb = 4;
  // The unroll pragmas unroll the tile loops early enough that the accumulators live in
  // registers (without them GCC 12 keeps the array on the stack: 3x slower).
  template <int MR, int NB>
  static void run(const uint8_t* a, int64_t lda, const uint8_t* w, int64_t wstride, int64_t steps,
                  int32_t* c, int64_t ldc) {
    __m512i acc[MR][NB];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) acc[i][b] = _mm512_setzero_si512();
    for (int64_t s = 0; s < steps; ++s) {
      __m512i wv[NB];
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) wv[b] = _mm512_loadu_si512(w + b * wstride + s * 64);
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        const __m512i av = _mm512_set1_epi32(a_lane(a, lda, i, s));
#pragma GCC unroll 4
        for (int b = 0; b < NB; ++b) {
          if constexpr (kQuad)
            acc[i][b] = _mm512_dpbusd_epi32(acc[i][b], av, wv[b]);
          else
            acc[i][b] = _mm512_dpwssd_epi32(acc[i][b], av, wv[b]);
        }
      }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) _mm512_storeu_si512(c + i * ldc + 16 * b, acc[i][b]);
  }
};

}  // namespace

// quant::requantize_int32 lane by lane in int64: p = (acc + bias) * mult, rounded by
// 31 - shift (clamped to [0, 63]) half away from zero on the magnitude, saturated to int32,
// plus the zero point, clamped to [lo, hi].
void requantize_row_i32_avx512(const int32_t* acc, const int32_t* bias, const int32_t* mult,
                               const int32_t* shift, int64_t n, int32_t zero, int32_t lo,
                               int32_t hi, int32_t* codes) {
  const __m512i zero64 = _mm512_setzero_si512(), one = _mm512_set1_epi64(1);
  const __m512i k31 = _mm512_set1_epi64(31), k63 = _mm512_set1_epi64(63);
  const __m512i i32lo = _mm512_set1_epi64(INT32_MIN), i32hi = _mm512_set1_epi64(INT32_MAX);
  const __m512i zp = _mm512_set1_epi64(zero), vlo = _mm512_set1_epi64(lo),
                vhi = _mm512_set1_epi64(hi);
  for (int64_t j = 0; j < n; j += 8) {
    const __mmask8 m = n - j >= 8 ? __mmask8{0xFF} : static_cast<__mmask8>((1u << (n - j)) - 1);
    const __m256i a = _mm256_add_epi32(_mm256_maskz_loadu_epi32(m, acc + j),
                                       _mm256_maskz_loadu_epi32(m, bias + j));
    const __m512i p = _mm512_mul_epi32(
        _mm512_cvtepi32_epi64(a), _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(m, mult + j)));
    __m512i right =
        _mm512_sub_epi64(k31, _mm512_cvtepi32_epi64(_mm256_maskz_loadu_epi32(m, shift + j)));
    right = _mm512_min_epi64(_mm512_max_epi64(right, zero64), k63);
    const __m512i mag = _mm512_abs_epi64(p);
    const __m512i rounded = _mm512_srli_epi64(
        _mm512_add_epi64(_mm512_srlv_epi64(_mm512_slli_epi64(mag, 1), right), one), 1);
    __m512i r = _mm512_mask_sub_epi64(rounded, _mm512_cmplt_epi64_mask(p, zero64), zero64, rounded);
    r = _mm512_min_epi64(_mm512_max_epi64(r, i32lo), i32hi);
    r = _mm512_add_epi64(r, zp);
    r = _mm512_min_epi64(_mm512_max_epi64(r, vlo), vhi);
    _mm256_mask_storeu_epi32(codes + j, m, _mm512_cvtepi64_epi32(r));
  }
}

TileSet avx512_tiles(Layout layout) {
  return layout == Layout::kQuad ? tile_set<Avx512Tile<true>>() : tile_set<Avx512Tile<false>>();
}

}  // namespace oqnn::htp::fast
