// matmul_q_ref: batched A[..., M, K] x B[..., K, N] with broadcast batch dimensions and
// optional transposes; acc = sum_k (a - za) * (b - zb) in int64, one requantization.
// Both sides are per-tensor quantized (B may be a static int8 weight).
#include "backends/htp/ref/broadcast.h"
#include "backends/htp/ref/matmul_shape.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class MatMulRef final : public rt::HostKernel {
 public:
  MatMulRef(MatMulShape s, QParams a, QParams b, QParams y)
      : s_(std::move(s)),
        a_(a),
        b_(b),
        y_(y),
        mult_(quant::quantize_multiplier(a.scale * b.scale / y.scale)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader a(in[0].data, in[0].info->dtype), b(in[1].data, in[1].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    const int64_t mk = s_.m * s_.k, kn = s_.k * s_.n, mn = s_.m * s_.n;
    for_each_broadcast(s_.batch, s_.a_batch_stride, s_.b_batch_stride,
                       [&](int64_t bo, int64_t ba, int64_t bb) {
                         for (int64_t i = 0; i < s_.m; ++i)
                           for (int64_t j = 0; j < s_.n; ++j) {
                             int64_t acc = 0;
                             for (int64_t k = 0; k < s_.k; ++k) {
                               const int64_t ai = ba * mk + (s_.ta ? k * s_.m + i : i * s_.k + k);
                               const int64_t bi = bb * kn + (s_.tb ? j * s_.k + k : k * s_.n + j);
                               acc += int64_t{a[ai] - a_.zero_point} * (b[bi] - b_.zero_point);
                             }
                             y.set(bo * mn + i * s_.n + j,
                                   quant::requantize(acc, mult_, y_.zero_point, y_.qmin, y_.qmax));
                           }
                       });
    return Status::ok();
  }

 private:
  MatMulShape s_;
  QParams a_, b_, y_;
  quant::QuantizedMultiplier mult_;
};

}  // namespace

Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& y = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(y, n));
  OQNN_ASSIGN_OR_RETURN(QParams a, qparams_of(g.tensor(n.inputs[0]), n));
  OQNN_ASSIGN_OR_RETURN(QParams b, qparams_of(g.tensor(n.inputs[1]), n));
  OQNN_ASSIGN_OR_RETURN(QParams yq, qparams_of(y, n));
  return KernelPtr(new MatMulRef(matmul_shape(g, n), a, b, yq));
}

}  // namespace oqnn::htp::ref
