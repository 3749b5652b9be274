// fully_connected_q_fast. FullyConnectedGemm (centred weights in [-128, 127]) runs tiles of
// input rows through the QGemm engine (qgemm.h); FullyConnectedFast, for other weights,
// packs them as [cout][k] centred values and does one dot product per output. Work is split
// over rows, or over output channels when there are fewer rows than threads (batch 1).
#include <vector>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/fast/qgemm_layer.h"
#include "backends/htp/fast/row_requantizer.h"

namespace oqnn::htp::fast {
namespace {

// T: input codes; E: A elements of the engine's layout (uint8 quad, int16 pair).
template <class T, class E>
class FullyConnectedGemm final : public rt::HostKernel {
 public:
  FullyConnectedGemm(QGemmLayer layer) : layer_(std::move(layer)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const QGemm& gm = layer_.gemm(0);
    const T* x = in[0].as<T>();
    const OutCodes y{out[0].data, out[0].info->dtype};
    const int64_t k = gm.k(), rows = in[0].elements() / k;
    const int threads = ctx.pool ? ctx.pool->size() : 1;
    constexpr int64_t kTile = 16;  // rows packed at a time
    auto rows_fn = [&](int64_t m0, int64_t m1, int64_t b0, int64_t b1) {
      std::vector<E> a(static_cast<size_t>(std::min(kTile, m1 - m0) * gm.row_elems()), E{0});
      QGemmLayer::Scratch t;
      for (int64_t m = m0; m < m1; m += kTile) {
        const int64_t mt = std::min(kTile, m1 - m);
        for (int64_t i = 0; i < mt; ++i)
          for (int64_t j = 0; j < k; ++j)
            a[i * gm.row_elems() + j] = static_cast<E>(int32_t{x[(m + i) * k + j]} - gm.a_offset());
        layer_.run(0, a.data(), mt, t, y, m * layer_.cout(), b0, b1);
      }
    };
    if (rows >= threads) {
      const int64_t tiles = (rows + kTile - 1) / kTile;
      parallel_rows(ctx, tiles, kTile * layer_.cout() * k, [&](int64_t t0, int64_t t1) {
        rows_fn(t0 * kTile, std::min(rows, t1 * kTile), 0, gm.blocks());
      });
      return Status::ok();
    }
    parallel_rows(ctx, gm.blocks(), 16 * rows * k,
                  [&](int64_t b0, int64_t b1) { rows_fn(0, rows, b0, b1); });
    return Status::ok();
  }

 private:
  QGemmLayer layer_;
};

template <class T>
KernelPtr fc_gemm(QGemmLayer layer) {
  if (layer.gemm(0).layout() == Layout::kQuad)
    return KernelPtr(new FullyConnectedGemm<T, uint8_t>(std::move(layer)));
  return KernelPtr(new FullyConnectedGemm<T, int16_t>(std::move(layer)));
}

template <class T, class C, class A>
class FullyConnectedFast final : public rt::HostKernel {
 public:
  FullyConnectedFast(LinearQuant q, const ir::Tensor& w)
      : q_(std::move(q)), rq_(q_), cout_(w.shape[0]), k_(w.shape[1]) {
    CodeReader codes = static_codes(w);
    packed_.resize(static_cast<size_t>(cout_ * k_));
    for (int64_t o = 0; o < cout_; ++o)
      for (int64_t j = 0; j < k_; ++j)
        packed_[o * k_ + j] = static_cast<C>(codes[o * k_ + j] - q_.weight_zero[o]);
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* x = in[0].as<T>();
    const OutCodes y{out[0].data, out[0].info->dtype};
    const int64_t rows = in[0].elements() / k_;
    const int threads = ctx.pool ? ctx.pool->size() : 1;
    if (rows >= threads) {
      parallel_rows(ctx, rows, cout_ * k_, [&](int64_t r0, int64_t r1) {
        std::vector<C> row(static_cast<size_t>(k_));
        for (int64_t m = r0; m < r1; ++m) compute(x, m, 0, cout_, row.data(), y);
      });
      return Status::ok();
    }
    for (int64_t m = 0; m < rows; ++m)
      parallel_rows(ctx, cout_, k_, [&](int64_t o0, int64_t o1) {
        std::vector<C> row(static_cast<size_t>(k_));
        compute(x, m, o0, o1, row.data(), y);
      });
    return Status::ok();
  }

 private:
  void compute(const T* x, int64_t m, int64_t o0, int64_t o1, C* row, const OutCodes& y) const {
    const C zx = static_cast<C>(q_.in.zero_point);
    for (int64_t j = 0; j < k_; ++j) row[j] = static_cast<C>(C(x[m * k_ + j]) - zx);
    std::vector<A> acc(static_cast<size_t>(o1 - o0));
    std::vector<int32_t> codes(acc.size());
    dot_rows<C, A>(row, packed_.data() + o0 * k_, k_, o1 - o0, acc.data());
    rq_.run(acc.data(), o0, o1 - o0, codes.data());
    store_codes(y.data, y.dtype, m * cout_ + o0, codes.data(), o1 - o0);
  }

  LinearQuant q_;
  RowRequantizer rq_;
  int64_t cout_, k_;
  std::vector<C> packed_;
};

}  // namespace

Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(LinearQuant q, linear_quant(g, n, 0));
  const ir::Tensor& w = g.tensor(n.inputs[1]);
  const ir::DataType in = g.tensor(n.inputs[0]).dtype;
  if (in == ir::DataType::kUInt8 || in == ir::DataType::kUInt16) {
    CodeReader codes = static_codes(w);
    const int64_t k = w.shape[1];
    auto layer = QGemmLayer::make(
        q, in == ir::DataType::kUInt16, 1, k, w.shape[0], [&](int64_t, int64_t j, int64_t o) {
          return static_cast<int32_t>(codes[o * k + j] - q.weight_zero[o]);
        });
    if (layer) {
      if (in == ir::DataType::kUInt8) return fc_gemm<uint8_t>(std::move(*layer));
      return fc_gemm<uint16_t>(std::move(*layer));
    }
  }
  switch (choose_width(q, in, w.shape[1])) {
    case Width::kNarrow:
      return KernelPtr(new FullyConnectedFast<uint8_t, int16_t, int32_t>(std::move(q), w));
    case Width::kWide:
      if (in == ir::DataType::kUInt8)
        return KernelPtr(new FullyConnectedFast<uint8_t, int32_t, int64_t>(std::move(q), w));
      return KernelPtr(new FullyConnectedFast<uint16_t, int32_t, int64_t>(std::move(q), w));
    case Width::kNone:
      break;
  }
  return ref::make_fully_connected(g, n);
}

}  // namespace oqnn::htp::fast
