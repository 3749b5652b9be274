// max_pool_ndhwc_q_fast / avg_pool_ndhwc_q_fast: the reference pools (PoolGeometry, the
// same taps and multipliers) with typed pointers and loops over channels the compiler
// vectorizes. The average sums raw codes in int32 and subtracts taps * zero once (the
// same integer as the reference's sum of centred codes; the maker checks it cannot
// overflow) and requantizes with quant::requantize_int32 and the reference's multiplier
// for the pixel's divisor. Max pooling requantizes through a table over every code when
// the encodings differ. Output rows and channel blocks are split over threads (a global
// pool has one output row: its channels are split instead).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/ref/pool_geometry.h"
#include "ir/window.h"

namespace oqnn::htp::fast {
namespace {

template <class T>
class PoolFast final : public rt::HostKernel {
 public:
  explicit PoolFast(const PoolGeometry& s) : s_(s) {
    for (size_t i = 0; i < 3; ++i)
      for (int64_t o = 0; o < s.out[i]; ++o)
        taps_[i].push_back(ir::window_taps(o, s.stride[i], s.pad0[i], s.k[i], s.dil[i], s.in[i]));
    const Requantizer rq(s.x, s.y);
    if (!s.average && !rq.identity())
      for (int32_t q = 0; q <= std::numeric_limits<T>::max(); ++q)
        requant_.push_back(static_cast<T>(rq(q)));
    rows_ = s.n * s.out[0] * s.out[1];
    block_ = rows_ >= 8 ? s.c : std::min<int64_t>(s.c, 64);
    blocks_ = (s.c + block_ - 1) / std::max<int64_t>(block_, 1);
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* x = in[0].as<T>();
    T* y = reinterpret_cast<T*>(out[0].data);
    const int64_t work = s_.out[2] * s_.k[0] * s_.k[1] * s_.k[2] * block_;
    parallel_rows(ctx, rows_ * blocks_, work, [&](int64_t i0, int64_t i1) {
      std::vector<int32_t> acc(static_cast<size_t>(block_));
      std::vector<int64_t> offsets;
      for (int64_t i = i0; i < i1; ++i)
        run_item(x, y, i / blocks_, i % blocks_ * block_, acc, offsets);
    });
    return Status::ok();
  }

 private:
  // Output row r = (batch, depth, height), channels [c0, c0 + block_).
  void run_item(const T* x, T* y, int64_t r, int64_t c0, std::vector<int32_t>& acc,
                std::vector<int64_t>& offsets) const {
    const int64_t b = r / (s_.out[0] * s_.out[1]), od = r / s_.out[1] % s_.out[0];
    const int64_t oh = r % s_.out[1], cn = std::min(block_, s_.c - c0);
    for (int64_t ow = 0; ow < s_.out[2]; ++ow) {
      offsets.clear();
      for (int64_t id : taps_[0][static_cast<size_t>(od)])
        for (int64_t ih : taps_[1][static_cast<size_t>(oh)])
          for (int64_t iw : taps_[2][static_cast<size_t>(ow)])
            offsets.push_back((((b * s_.in[0] + id) * s_.in[1] + ih) * s_.in[2] + iw) * s_.c + c0);
      T* dst = y + (r * s_.out[2] + ow) * s_.c + c0;
      if (s_.average)
        average(x, offsets, cn, acc.data(), dst);
      else
        maximum(x, offsets, cn, dst);
    }
  }

  void average(const T* x, const std::vector<int64_t>& offsets, int64_t cn, int32_t* __restrict acc,
               T* __restrict dst) const {
    const auto inside = static_cast<int64_t>(offsets.size());
    if (inside == 0) {
      std::fill(dst, dst + cn, static_cast<T>(s_.y.code(0.0)));
      return;
    }
    const int64_t count = s_.count_pad ? s_.k[0] * s_.k[1] * s_.k[2] : inside;
    const quant::QuantizedMultiplier m =
        quant::quantize_multiplier(s_.x.scale / (s_.y.scale * static_cast<double>(count)));
    std::fill(acc, acc + cn, -static_cast<int32_t>(inside) * s_.x.zero_point);
    for (int64_t off : offsets) {
      const T* __restrict p = x + off;
      for (int64_t c = 0; c < cn; ++c) acc[c] += p[c];
    }
    const int32_t zy = s_.y.zero_point, lo = s_.y.qmin, hi = s_.y.qmax;
    for (int64_t c = 0; c < cn; ++c)
      dst[c] = static_cast<T>(quant::requantize_int32(acc[c], m.multiplier, m.shift, zy, lo, hi));
  }

  void maximum(const T* x, const std::vector<int64_t>& offsets, int64_t cn,
               T* __restrict dst) const {
    if (offsets.empty()) {
      std::fill(dst, dst + cn, static_cast<T>(s_.y.qmin));
      return;
    }
    std::copy(x + offsets[0], x + offsets[0] + cn, dst);
    for (size_t t = 1; t < offsets.size(); ++t) {
      const T* __restrict p = x + offsets[t];
      for (int64_t c = 0; c < cn; ++c) dst[c] = std::max(dst[c], p[c]);
    }
    if (!requant_.empty())
      for (int64_t c = 0; c < cn; ++c) dst[c] = requant_[dst[c]];
  }

  PoolGeometry s_;
  std::array<std::vector<std::vector<int64_t>>, 3> taps_;
  std::vector<T> requant_;  // max pooling across encodings: code -> output code
  int64_t rows_ = 0, block_ = 1, blocks_ = 0;
};

// Whether taps * (largest code + |zero|) fits in int32 (the average's accumulator).
bool fits_int32(const PoolGeometry& s, ir::DataType dt) {
  const double top = dt == ir::DataType::kUInt8 ? 255.0 : 65535.0;
  const double taps = static_cast<double>(s.k[0] * s.k[1] * s.k[2]);
  return taps * (top + std::abs(static_cast<double>(s.x.zero_point))) <=
         std::numeric_limits<int32_t>::max();
}

}  // namespace

Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(PoolGeometry s, pool_geometry(g, n));
  const ir::DataType dt = g.tensor(n.inputs[0]).dtype;
  if (g.tensor(n.outputs[0]).dtype != dt || s.c <= 0 || (s.average && !fits_int32(s, dt)))
    return ref::make_pool(g, n);
  if (dt == ir::DataType::kUInt8) return KernelPtr(new PoolFast<uint8_t>(s));
  return KernelPtr(new PoolFast<uint16_t>(s));
}

}  // namespace oqnn::htp::fast
