// add_q_ref / sub_q_ref / mul_q_ref with numpy broadcasting.
// Add and Subtract follow TFLite's integer scheme: both sides are shifted left by 20 bits
// (15 when an input is 16-bit, so the rescaled values stay within int32), rescaled to a
// common scale (twice the larger input scale) by fixed-point multipliers, summed, and
// requantized; the extra bits keep the rescaling error far below one output step. Multiply
// requantizes the product (a - za) * (b - zb) by s_a * s_b / s_out.
#include <algorithm>
#include <cmath>

#include "backends/htp/ref/broadcast.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class EltwiseRef final : public rt::HostKernel {
 public:
  EltwiseRef(bool multiply, bool subtract, QParams a, QParams b, QParams y, ir::Shape out,
             const ir::Shape& sa, const ir::Shape& sb)
      : multiply_(multiply),
        left_shift_(a.qmax <= 255 && b.qmax <= 255 ? 20 : 15),
        a_(a),
        b_(b),
        y_(y),
        out_(std::move(out)),
        stride_a_(broadcast_strides(out_, sa)),
        stride_b_(broadcast_strides(out_, sb)) {
    if (multiply) {
      mult_out_ = quant::quantize_multiplier(a.scale * b.scale / y.scale);
      return;
    }
    const double twice_max = 2.0 * std::max(a.scale, b.scale);
    mult_a_ = quant::quantize_multiplier(a.scale / twice_max);
    mult_b_ = quant::quantize_multiplier((subtract ? -b.scale : b.scale) / twice_max);
    mult_out_ = quant::quantize_multiplier(twice_max / (std::ldexp(1.0, left_shift_) * y.scale));
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader a(in[0].data, in[0].info->dtype), b(in[1].data, in[1].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    if (multiply_) {
      for_each_broadcast(out_, stride_a_, stride_b_, [&](int64_t o, int64_t ia, int64_t ib) {
        const int64_t acc = int64_t{a[ia] - a_.zero_point} * (b[ib] - b_.zero_point);
        y.set(o, quant::requantize(acc, mult_out_, y_.zero_point, y_.qmin, y_.qmax));
      });
      return Status::ok();
    }
    const int64_t scale = int64_t{1} << left_shift_;
    for_each_broadcast(out_, stride_a_, stride_b_, [&](int64_t o, int64_t ia, int64_t ib) {
      const int64_t xa =
          quant::multiply_by_quantized_multiplier((a[ia] - a_.zero_point) * scale, mult_a_);
      const int64_t xb =
          quant::multiply_by_quantized_multiplier((b[ib] - b_.zero_point) * scale, mult_b_);
      y.set(o, quant::requantize(xa + xb, mult_out_, y_.zero_point, y_.qmin, y_.qmax));
    });
    return Status::ok();
  }

 private:
  bool multiply_;
  int left_shift_;
  QParams a_, b_, y_;
  ir::Shape out_;
  std::vector<int64_t> stride_a_, stride_b_;
  quant::QuantizedMultiplier mult_a_, mult_b_, mult_out_;
};

}  // namespace

Expected<KernelPtr> make_eltwise(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& ta = g.tensor(n.inputs[0]);
  const ir::Tensor& tb = g.tensor(n.inputs[1]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  for (const ir::Tensor* t : {&ta, &tb, &ty}) OQNN_RETURN_IF_ERROR(check_activation(*t, n));
  OQNN_ASSIGN_OR_RETURN(QParams a, qparams_of(ta, n));
  OQNN_ASSIGN_OR_RETURN(QParams b, qparams_of(tb, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  const bool multiply = n.op == "ElementWiseMultiply";
  const bool subtract = n.op == "ElementWiseSubtract";
  return KernelPtr(new EltwiseRef(multiply, subtract, a, b, y, ty.shape, ta.shape, tb.shape));
}

}  // namespace oqnn::htp::ref
