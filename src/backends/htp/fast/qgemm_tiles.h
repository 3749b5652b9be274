// Builds the table of register tiles of one micro-kernel family: K::run<MR, NB> for every
// MR <= kMr, NB <= kNb, so that edge tiles run the same code with fewer rows or blocks.
// Included only by the qgemm translation units (each compiled for its own ISA).
#pragma once

#include <array>
#include <cstring>
#include <utility>

#include "backends/htp/fast/qgemm.h"

namespace oqnn::htp::fast {

template <class K>
TileFn pick_tile(int mr, int nb) {
  static constexpr auto kTable = []<size_t... I>(std::index_sequence<I...>) {
    return std::array<TileFn, sizeof...(I)>{&K::template run<I / K::kNb + 1, I % K::kNb + 1>...};
  }
  (std::make_index_sequence<K::kMr * K::kNb>{});
  return kTable[static_cast<size_t>((mr - 1) * K::kNb + (nb - 1))];
}

template <class K>
TileSet tile_set() {
  return TileSet{K::kMr, K::kNb, &pick_tile<K>};
}

// The 4 bytes of A row i at step s, as one int32 lane (two int16 or four uint8 values).
inline int32_t a_lane(const uint8_t* a, int64_t lda, int i, int64_t s) {
  int32_t v;
  std::memcpy(&v, a + i * lda + 4 * s, sizeof v);
  return v;
}

}  // namespace oqnn::htp::fast
