// AVX512-VNNI tiles (compiled with -mavx512f -mavx512bw -mavx512vnni): up to 6 rows x 4
// blocks of 16 channels, 24 zmm accumulators. Quad layout: vpdpbusd (u8 x s8, four products
// per lane); pair layout: vpdpwssd (s16 x s16, two products per lane). Neither saturates.
#include <immintrin.h>

#include "backends/htp/fast/qgemm_tiles.h"

namespace oqnn::htp::fast {
namespace {

template <bool kQuad>
struct Avx512Tile {
  static constexpr int kMr = 6, kNb = 4;
  template <int MR, int NB>
  static void run(const uint8_t* a, int64_t lda, const uint8_t* w, int64_t wstride, int64_t steps,
                  int32_t* c, int64_t ldc) {
    __m512i acc[MR][NB];
    for (int i = 0; i < MR; ++i)
      for (int b = 0; b < NB; ++b) acc[i][b] = _mm512_setzero_si512();
    for (int64_t s = 0; s < steps; ++s) {
      __m512i wv[NB];
      for (int b = 0; b < NB; ++b) wv[b] = _mm512_loadu_si512(w + b * wstride + s * 64);
      for (int i = 0; i < MR; ++i) {
        const __m512i av = _mm512_set1_epi32(a_lane(a, lda, i, s));
        for (int b = 0; b < NB; ++b) {
          if constexpr (kQuad)
            acc[i][b] = _mm512_dpbusd_epi32(acc[i][b], av, wv[b]);
          else
            acc[i][b] = _mm512_dpwssd_epi32(acc[i][b], av, wv[b]);
        }
      }
    }
    for (int i = 0; i < MR; ++i)
      for (int b = 0; b < NB; ++b) _mm512_storeu_si512(c + i * ldc + 16 * b, acc[i][b]);
  }
};

}  // namespace

TileSet avx512_tiles(Layout layout) {
  return layout == Layout::kQuad ? tile_set<Avx512Tile<true>>() : tile_set<Avx512Tile<false>>();
}

}  // namespace oqnn::htp::fast
