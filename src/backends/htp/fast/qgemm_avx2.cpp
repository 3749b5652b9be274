// AVX2 tiles (compiled with -mavx2), pair layout only: vpmaddwd on int16 pairs, exact
// because the weights lie in [-128, 127] (vpmaddwd saturates only for -32768 * -32768 twice),
// then vpaddd. vpmaddubsw is not used: it saturates its int16 pair sums. Up to 5 rows x one
// block of 16 channels (two ymm), 10 accumulators.
#include <immintrin.h>

#include "backends/htp/fast/qgemm_tiles.h"

namespace oqnn::htp::fast {
namespace {

struct Avx2Tile {
  static constexpr int kMr = 5, kNb = 1;
  // The unroll pragmas unroll the tile loops early enough that the accumulators live in
  // registers (without them GCC 12 keeps the array on the stack: 3x slower).
  template <int MR, int NB>
  static void run(const uint8_t* a, int64_t lda, const uint8_t* w, int64_t wstride, int64_t steps,
                  int32_t* c, int64_t ldc) {
    __m256i acc[MR][NB][2];
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b) acc[i][b][0] = acc[i][b][1] = _mm256_setzero_si256();
    for (int64_t s = 0; s < steps; ++s) {
      __m256i wv[NB][2];
#pragma GCC unroll 4
      for (int b = 0; b < NB; ++b)
        for (int h = 0; h < 2; ++h)
          wv[b][h] = _mm256_loadu_si256(
              reinterpret_cast<const __m256i*>(w + b * wstride + s * 64 + 32 * h));
#pragma GCC unroll 8
      for (int i = 0; i < MR; ++i) {
        const __m256i av = _mm256_set1_epi32(a_lane(a, lda, i, s));
#pragma GCC unroll 4
        for (int b = 0; b < NB; ++b)
          for (int h = 0; h < 2; ++h)
            acc[i][b][h] = _mm256_add_epi32(acc[i][b][h], _mm256_madd_epi16(av, wv[b][h]));
      }
    }
#pragma GCC unroll 8
    for (int i = 0; i < MR; ++i)
      _Pragma("GCC unroll 4") for (int b = 0; b < NB; ++b) for (int h = 0; h < 2; ++h)
          _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + i * ldc + 16 * b + 8 * h),
                              acc[i][b][h]);
  }
};

}  // namespace

TileSet avx2_tiles() {
  return tile_set<Avx2Tile>();
}

}  // namespace oqnn::htp::fast
