// fully_connected_q_fast: weights packed as [cout][k] centred values; each input row is
// centred once, then one dot product per output. Work is split over rows, or over output
// channels when there are fewer rows than threads (batch 1).
#include <vector>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/fast/row_requantizer.h"

namespace oqnn::htp::fast {
namespace {

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
