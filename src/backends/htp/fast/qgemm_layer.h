// A weight-carrying layer (Conv2d / Conv3d groups, FullyConnected) on the QGemm engine:
// one QGemm per group, the zero-point compensation folded into the requantizer's bias, and
// the accumulate -> requantize -> store step shared by the kernels. Accumulators are int32
// when a bound over K, the activation range and the bias proves it exact, else int64 over
// int32 chunks of at most max_steps() steps.
#pragma once

#include <algorithm>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "backends/htp/fast/qgemm.h"
#include "backends/htp/fast/row_requantizer.h"

namespace oqnn::htp::fast {

class QGemmLayer {
 public:
  // Per-thread buffers.
  struct Scratch {
    std::vector<int32_t> c32, codes;
    std::vector<int64_t> c64;
  };

  // `w(g, k, j)`: centred weight of group g, row k, channel j of the group. Empty when a
  // centred weight leaves [-128, 127] (the caller keeps its other kernels).
  static std::optional<QGemmLayer> make(
      const LinearQuant& q, bool wide, int64_t groups, int64_t k, int64_t cout_g,
      const std::function<int32_t(int64_t, int64_t, int64_t)>& w) {
    for (int64_t g = 0; g < groups; ++g)
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < cout_g; ++j) {
          const int32_t v = w(g, kk, j);
          if (v < -128 || v > 127) return std::nullopt;
        }
    return QGemmLayer(q, wide, groups, k, cout_g, w);
  }

  const QGemm& gemm(int64_t g) const { return gemms_[static_cast<size_t>(g)]; }
  int64_t cout() const { return cout_g_ * static_cast<int64_t>(gemms_.size()); }

  // Rows [0, m) of A (group g, `lda` elements apart, default row_elems()) -> output codes of
  // channels of blocks [b0, b1) of the group at y[out_base + i * cout() + g * cout_g + j].
  void run(int64_t g, const void* a, int64_t m, Scratch& t, const OutCodes& y, int64_t out_base,
           int64_t b0 = 0, int64_t b1 = -1, int64_t lda = 0) const {
    const QGemm& gm = gemm(g);
    if (b1 < 0) b1 = gm.blocks();
    if (lda == 0) lda = gm.row_elems();
    const int64_t ldc = gm.padded_n();
    const int64_t j0 = b0 * 16, j1 = std::min(cout_g_, b1 * 16), c0 = g * cout_g_ + j0;
    t.c32.resize(static_cast<size_t>(m * ldc));
    t.codes.resize(static_cast<size_t>(ldc));
    if (narrow_) {
      gm.multiply(a, lda, m, 0, gm.steps(), t.c32.data(), ldc, b0, b1);
      for (int64_t i = 0; i < m; ++i) {
        rq_.run(t.c32.data() + i * ldc + j0, c0, j1 - j0, t.codes.data());
        store_codes(y.data, y.dtype, out_base + i * cout() + c0, t.codes.data(), j1 - j0);
      }
      return;
    }
    t.c64.assign(static_cast<size_t>(m * ldc), 0);
    for (int64_t s = 0; s < gm.steps(); s += gm.max_steps()) {
      const int64_t n = std::min(gm.max_steps(), gm.steps() - s);
      gm.multiply(a, lda, m, s, n, t.c32.data(), ldc, b0, b1);
      for (int64_t i = 0; i < m; ++i)
        for (int64_t j = j0; j < j1; ++j) t.c64[i * ldc + j] += t.c32[i * ldc + j];
    }
    for (int64_t i = 0; i < m; ++i) {
      rq_.run(t.c64.data() + i * ldc + j0, c0, j1 - j0, t.codes.data());
      store_codes(y.data, y.dtype, out_base + i * cout() + c0, t.codes.data(), j1 - j0);
    }
  }

 private:
  QGemmLayer(const LinearQuant& q, bool wide, int64_t groups, int64_t k, int64_t cout_g,
             const std::function<int32_t(int64_t, int64_t, int64_t)>& w)
      : cout_g_(cout_g), rq_(q) {
    const Isa isa = gemm_isa();
    std::vector<int64_t> comp(static_cast<size_t>(groups * cout_g));
    for (int64_t g = 0; g < groups; ++g) {
      gemms_.emplace_back(isa, wide, k, cout_g, [&](int64_t kk, int64_t j) { return w(g, kk, j); });
      const QGemm& gm = gemms_.back();
      // sum (x - zx) w = sum (x - off) w - (zx - off) sum w; padding holds zx - off.
      for (int64_t j = 0; j < cout_g; ++j)
        comp[static_cast<size_t>(g * cout_g + j)] =
            -int64_t{q.in.zero_point - gm.a_offset()} * gm.w_sum()[static_cast<size_t>(j)];
    }
    rq_ = RowRequantizer(q, comp);
    const QGemm& g0 = gemms_.front();
    const double max_a = wide ? 32768.0 : 255.0;
    narrow_ = g0.steps() <= g0.max_steps() &&
              static_cast<double>(g0.row_elems()) * max_a * 128.0 +
                      static_cast<double>(rq_.max_abs_bias()) <
                  static_cast<double>(std::numeric_limits<int32_t>::max());
  }

  int64_t cout_g_;
  std::vector<QGemm> gemms_;
  RowRequantizer rq_;
  bool narrow_ = false;
};

}  // namespace oqnn::htp::fast
