// The two HTP kernels that are float inside (documented in README.md): Softmax and the
// general ElementWiseDivide. Both dequantize their inputs, compute in double precision in a
// fixed order (so results do not depend on threads or platforms with IEEE doubles and a
// correctly rounded exp), and quantize the result with the output encoding.
#include <algorithm>
#include <cmath>

#include "backends/htp/ref/broadcast.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

// softmax_q_ref. exp is taken of beta * s_x * (q - q_ref), an exact integer difference
// scaled once, where q_ref is the code with the largest beta * x (the usual max
// subtraction), so no exponent overflows. For uint8 inputs those 511 possible values are
// tabulated at creation with the same expression.
class SoftmaxRef final : public rt::HostKernel {
 public:
  SoftmaxRef(QParams x, QParams y, double beta, int64_t outer, int64_t len, int64_t inner,
             bool table)
      : x_(x), y_(y), beta_s_(beta * x.scale), outer_(outer), len_(len), inner_(inner) {
    if (table)
      for (int d = -255; d <= 255; ++d) exp_table_.push_back(exp_of(d));
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    std::vector<double> e(static_cast<size_t>(len_));
    for (int64_t o = 0; o < outer_; ++o)
      for (int64_t i = 0; i < inner_; ++i) {
        const int64_t base = o * len_ * inner_ + i;
        int32_t ref = x[base];
        for (int64_t j = 1; j < len_; ++j) {
          const int32_t q = x[base + j * inner_];
          ref = beta_s_ >= 0 ? std::max(ref, q) : std::min(ref, q);
        }
        double sum = 0.0;
        for (int64_t j = 0; j < len_; ++j) {
          const int32_t d = x[base + j * inner_] - ref;
          e[j] = exp_table_.empty() ? exp_of(d) : exp_table_[static_cast<size_t>(d + 255)];
          sum += e[j];
        }
        for (int64_t j = 0; j < len_; ++j) y.set(base + j * inner_, y_.code(e[j] / sum));
      }
    return Status::ok();
  }

 private:
  double exp_of(int32_t d) const { return std::exp(beta_s_ * static_cast<double>(d)); }
  QParams x_, y_;
  double beta_s_;
  int64_t outer_, len_, inner_;
  std::vector<double> exp_table_;
};

// divide_q_ref: y = a / b with broadcasting; x / 0 saturates, 0 / 0 gives 0.
class DivideRef final : public rt::HostKernel {
 public:
  DivideRef(QParams a, QParams b, QParams y, ir::Shape out, const ir::Shape& sa,
            const ir::Shape& sb)
      : a_(a),
        b_(b),
        y_(y),
        out_(std::move(out)),
        stride_a_(broadcast_strides(out_, sa)),
        stride_b_(broadcast_strides(out_, sb)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader a(in[0].data, in[0].info->dtype), b(in[1].data, in[1].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    for_each_broadcast(out_, stride_a_, stride_b_, [&](int64_t o, int64_t ia, int64_t ib) {
      y.set(o, y_.code(a_.real(a[ia]) / b_.real(b[ib])));
    });
    return Status::ok();
  }

 private:
  QParams a_, b_, y_;
  ir::Shape out_;
  std::vector<int64_t> stride_a_, stride_b_;
};

}  // namespace

Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_ASSIGN_OR_RETURN(QParams x, activation_qparams(tx, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, activation_qparams(ty, n));
  const int64_t rank = static_cast<int64_t>(tx.shape.size());
  const int64_t axis = n.params.get_int("axis", rank - 1);
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d) outer *= tx.shape[d];
  for (int64_t d = axis + 1; d < rank; ++d) inner *= tx.shape[d];
  return KernelPtr(new SoftmaxRef(x, y, n.params.get_float("beta", 1.0), outer, tx.shape[axis],
                                  inner, tx.dtype == ir::DataType::kUInt8));
}

Expected<KernelPtr> make_divide(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& ta = g.tensor(n.inputs[0]);
  const ir::Tensor& tb = g.tensor(n.inputs[1]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  for (const ir::Tensor* t : {&ta, &tb, &ty}) OQNN_RETURN_IF_ERROR(check_activation(*t, n));
  OQNN_ASSIGN_OR_RETURN(QParams a, qparams_of(ta, n));
  OQNN_ASSIGN_OR_RETURN(QParams b, qparams_of(tb, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  return KernelPtr(new DivideRef(a, b, y, ty.shape, ta.shape, tb.shape));
}

}  // namespace oqnn::htp::ref
