// reduce_mean_q_ref: sum (x - zx) over the reduced axes in int64, then one requantization
// with s_x / (s_y * count) (the divisor folded into the multiplier: a single rounding).
#include <algorithm>

#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class ReduceMeanRef final : public rt::HostKernel {
 public:
  ReduceMeanRef(QParams x, QParams y, ir::Shape in_shape, std::vector<bool> reduced)
      : x_(x), y_(y), shape_(std::move(in_shape)), reduced_(std::move(reduced)) {
    int64_t count = 1;
    for (size_t d = 0; d < shape_.size(); ++d)
      if (reduced_[d]) count *= shape_[d];
    mult_ = quant::quantize_multiplier(x.scale / (y.scale * double(std::max<int64_t>(count, 1))));
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    std::vector<int64_t> acc(static_cast<size_t>(out[0].elements()), 0);
    const size_t r = shape_.size();
    std::vector<int64_t> idx(r, 0);
    const int64_t total = in[0].elements();
    for (int64_t i = 0; i < total; ++i) {
      int64_t o = 0;
      for (size_t d = 0; d < r; ++d)
        if (!reduced_[d]) o = o * shape_[d] + idx[d];
      acc[static_cast<size_t>(o)] += x[i] - x_.zero_point;
      for (size_t d = r; d-- > 0;) {
        if (++idx[d] < shape_[d]) break;
        idx[d] = 0;
      }
    }
    for (size_t o = 0; o < acc.size(); ++o)
      y.set(static_cast<int64_t>(o),
            quant::requantize(acc[o], mult_, y_.zero_point, y_.qmin, y_.qmax));
    return Status::ok();
  }

 private:
  QParams x_, y_;
  ir::Shape shape_;
  std::vector<bool> reduced_;
  quant::QuantizedMultiplier mult_;
};

}  // namespace

Expected<KernelPtr> make_reduce_mean(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_ASSIGN_OR_RETURN(QParams x, activation_qparams(tx, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, activation_qparams(ty, n));
  std::vector<bool> reduced(tx.shape.size(), false);
  for (int64_t a : n.params.get_ints("axes")) reduced[static_cast<size_t>(a)] = true;
  return KernelPtr(new ReduceMeanRef(x, y, tx.shape, std::move(reduced)));
}

}  // namespace oqnn::htp::ref
