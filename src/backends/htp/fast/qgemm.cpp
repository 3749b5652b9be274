// QGemm: ISA choice, weight packing, the tile loop and the portable tiles.
#include "backends/htp/fast/qgemm.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <limits>

#include "backends/htp/fast/isa.h"
#include "backends/htp/fast/qgemm_tiles.h"

namespace oqnn::htp::fast {
namespace {

// Scalar tiles over the same packed data: a lane is 4 uint8 (quad) or 2 int16 (pair).
template <bool kQuad>
struct PortableTile {
  static constexpr int kMr = 4, kNb = 1;
  template <int MR, int NB>
  static void run(const uint8_t* a, int64_t lda, const uint8_t* w, int64_t wstride, int64_t steps,
                  int32_t* c, int64_t ldc) {
    int32_t acc[MR][NB * 16] = {};
    for (int64_t s = 0; s < steps; ++s)
      for (int b = 0; b < NB; ++b) {
        const uint8_t* ws = w + b * wstride + s * 64;
        for (int i = 0; i < MR; ++i) {
          const uint8_t* as = a + i * lda + 4 * s;
          for (int j = 0; j < 16; ++j) {
            int32_t sum = 0;
            if constexpr (kQuad) {
              for (int t = 0; t < 4; ++t)
                sum += int32_t{as[t]} * int32_t{static_cast<int8_t>(ws[4 * j + t])};
            } else {
              int16_t av[2], wv[2];
              std::memcpy(av, as, sizeof av);
              std::memcpy(wv, ws + 4 * j, sizeof wv);
              sum = int32_t{av[0]} * wv[0] + int32_t{av[1]} * wv[1];
            }
            acc[i][16 * b + j] += sum;
          }
        }
      }
    for (int i = 0; i < MR; ++i) std::memcpy(c + i * ldc, acc[i], sizeof acc[i]);
  }
};

bool cpu_has(Isa isa) {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (isa == Isa::kAvx2) return __builtin_cpu_supports("avx2");
  if (isa == Isa::kAvx512Vnni)
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512vnni");
#endif
  return isa == Isa::kPortable;
}

Isa clamp_to_cpu(Isa isa) {
  while (!cpu_has(isa)) isa = static_cast<Isa>(static_cast<int>(isa) - 1);
  return isa;
}

Isa default_isa() {
  return clamp_to_cpu(std::min(Isa::kAvx512Vnni, static_cast<Isa>(isa_env_cap())));
}

std::atomic<int> g_forced{-1};

TileSet tiles_for(Isa isa, Layout layout) {
#if defined(__x86_64__)
  if (isa == Isa::kAvx512Vnni) return avx512_tiles(layout);
  if (isa == Isa::kAvx2 && layout == Layout::kPair) return avx2_tiles();
#endif
  return portable_tiles(layout);
}

}  // namespace

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx512Vnni:
      return "avx512vnni";
    case Isa::kAvx2:
      return "avx2";
    case Isa::kPortable:
      break;
  }
  return "portable";
}

bool cpu_runs(Isa isa) {
  return cpu_has(isa);
}

Isa gemm_isa() {
  static const Isa kDefault = default_isa();
  const int f = g_forced.load();
  return f < 0 ? kDefault : static_cast<Isa>(f);
}

Isa force_isa(std::optional<Isa> isa) {
  g_forced.store(isa ? static_cast<int>(clamp_to_cpu(*isa)) : -1);
  return gemm_isa();
}

TileSet portable_tiles(Layout layout) {
  return layout == Layout::kQuad ? tile_set<PortableTile<true>>() : tile_set<PortableTile<false>>();
}

QGemm::QGemm(Isa isa, bool wide, int64_t k, int64_t n,
             const std::function<int32_t(int64_t, int64_t)>& w)
    : layout_(wide || isa == Isa::kAvx2 ? Layout::kPair : Layout::kQuad),
      tiles_(tiles_for(isa, layout_)),
      k_(k),
      n_(n),
      kp_((k + 3) / 4 * 4),
      steps_(layout_ == Layout::kQuad ? kp_ / 4 : kp_ / 2),
      blocks_((n + 15) / 16),
      a_offset_(wide ? 32768 : 0),
      w_sum_(static_cast<size_t>(n), 0) {
  // |a| <= 32768 (16-bit, offset) or 255; |w| <= 128; 4 bytes of A per step.
  const int64_t per_step = (layout_ == Layout::kQuad ? 4 : 2) * (wide ? 32768 : 255) * 128;
  max_steps_ = std::numeric_limits<int32_t>::max() / per_step;
  packed_.assign(static_cast<size_t>(blocks_ * steps_ * 64), std::byte{0});
  const int64_t per_lane = layout_ == Layout::kQuad ? 4 : 2;
  for (int64_t j = 0; j < n; ++j)
    for (int64_t kk = 0; kk < k; ++kk) {
      const int32_t v = w(kk, j);
      w_sum_[static_cast<size_t>(j)] += v;
      const int64_t s = kk / per_lane, t = kk % per_lane;
      std::byte* lane = packed_.data() + ((j / 16 * steps_ + s) * 64 + (j % 16) * 4);
      if (layout_ == Layout::kQuad) {
        lane[t] = static_cast<std::byte>(static_cast<int8_t>(v));
      } else {
        const int16_t v16 = static_cast<int16_t>(v);
        std::memcpy(lane + 2 * t, &v16, sizeof v16);
      }
    }
}

void QGemm::multiply(const void* a, int64_t lda, int64_t m, int64_t s0, int64_t steps, int32_t* c,
                     int64_t ldc, int64_t b0, int64_t b1) const {
  if (b1 < 0) b1 = blocks_;
  const int64_t lda_bytes = lda * (layout_ == Layout::kQuad ? 1 : 2);
  const auto* abytes = static_cast<const uint8_t*>(a) + s0 * 4;
  const auto* wbytes = reinterpret_cast<const uint8_t*>(packed_.data()) + s0 * 64;
  for (int64_t b = b0; b < b1; b += tiles_.nb) {
    const int nb = static_cast<int>(std::min<int64_t>(tiles_.nb, b1 - b));
    for (int64_t i = 0; i < m; i += tiles_.mr) {
      const int mr = static_cast<int>(std::min<int64_t>(tiles_.mr, m - i));
      tiles_.get(mr, nb)(abytes + i * lda_bytes, lda_bytes, wbytes + b * steps_ * 64, steps_ * 64,
                         steps, c + i * ldc + b * 16, ldc);
    }
  }
}

}  // namespace oqnn::htp::fast
