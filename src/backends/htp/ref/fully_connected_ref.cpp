// fully_connected_q_ref: out[m, o] = requantize(bias[o] + sum_k (x[m,k] - zx) * (w[o,k] - zw[o])).
#include "backends/htp/ref/linear_quant.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class FullyConnectedRef final : public rt::HostKernel {
 public:
  FullyConnectedRef(LinearQuant q, const ir::Tensor& w)
      : q_(std::move(q)), cout_(w.shape[0]), k_(w.shape[1]), keep_(w.data), w_(static_codes(w)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    const int64_t rows = in[0].elements() / k_;
    for (int64_t m = 0; m < rows; ++m)
      for (int64_t o = 0; o < cout_; ++o) {
        int64_t acc = q_.bias[o];
        for (int64_t k = 0; k < k_; ++k)
          acc += int64_t{x[m * k_ + k] - q_.in.zero_point} * (w_[o * k_ + k] - q_.weight_zero[o]);
        y.set(m * cout_ + o, quant::requantize(acc, q_.mult[o], q_.out.zero_point, q_.lo, q_.hi));
      }
    return Status::ok();
  }

 private:
  LinearQuant q_;
  int64_t cout_, k_;
  std::shared_ptr<const Blob> keep_;
  CodeReader w_;
};

}  // namespace

Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(LinearQuant q, linear_quant(g, n, 0));
  return KernelPtr(new FullyConnectedRef(std::move(q), g.tensor(n.inputs[1])));
}

}  // namespace oqnn::htp::ref
