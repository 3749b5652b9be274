// add_q_ref / sub_q_ref / mul_q_ref with numpy broadcasting.
// Add and Subtract follow TFLite's integer scheme: both sides are shifted left by 20 bits
// (15 when an input is 16-bit, so the rescaled values stay within int32), rescaled to a
// common scale (twice the larger input scale) by fixed-point multipliers, summed, and
// requantized; the extra bits keep the rescaling error far below one output step. Multiply
// requantizes the product (a - za) * (b - zb) by s_a * s_b / s_out.
#include <algorithm>
#include <cmath>

#include "backends/htp/ref/broadcast.h"
#include "backends/htp/ref/eltwise_quant.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class EltwiseRef final : public rt::HostKernel {
 public:
  EltwiseRef(const EltwiseQuant& q, ir::Shape out, const ir::Shape& sa, const ir::Shape& sb)
      : multiply_(q.multiply),
        left_shift_(q.left_shift),
        a_(q.a),
        b_(q.b),
        y_(q.y),
        out_(std::move(out)),
        stride_a_(broadcast_strides(out_, sa)),
        stride_b_(broadcast_strides(out_, sb)),
        mult_a_(q.mult_a),
        mult_b_(q.mult_b),
        mult_out_(q.mult_out) {}

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
  OQNN_ASSIGN_OR_RETURN(EltwiseQuant q, eltwise_quant(g, n));
  return KernelPtr(new EltwiseRef(q, g.tensor(n.outputs[0]).shape, g.tensor(n.inputs[0]).shape,
                                  g.tensor(n.inputs[1]).shape));
}

}  // namespace oqnn::htp::ref

namespace oqnn::htp {

Expected<EltwiseQuant> eltwise_quant(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& ta = g.tensor(n.inputs[0]);
  const ir::Tensor& tb = g.tensor(n.inputs[1]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  for (const ir::Tensor* t : {&ta, &tb, &ty}) OQNN_RETURN_IF_ERROR(check_activation(*t, n));
  EltwiseQuant q;
  OQNN_ASSIGN_OR_RETURN(q.a, qparams_of(ta, n));
  OQNN_ASSIGN_OR_RETURN(q.b, qparams_of(tb, n));
  OQNN_ASSIGN_OR_RETURN(q.y, qparams_of(ty, n));
  q.multiply = n.op == "ElementWiseMultiply";
  q.left_shift = q.a.qmax <= 255 && q.b.qmax <= 255 ? 20 : 15;
  if (q.multiply) {
    q.mult_out = quant::quantize_multiplier(q.a.scale * q.b.scale / q.y.scale);
    return q;
  }
  const bool subtract = n.op == "ElementWiseSubtract";
  const double twice_max = 2.0 * std::max(q.a.scale, q.b.scale);
  q.mult_a = quant::quantize_multiplier(q.a.scale / twice_max);
  q.mult_b = quant::quantize_multiplier((subtract ? -q.b.scale : q.b.scale) / twice_max);
  q.mult_out = quant::quantize_multiplier(twice_max / (std::ldexp(1.0, q.left_shift) * q.y.scale));
  return q;
}

}  // namespace oqnn::htp
