// prelu_q_ref (slope tensor broadcast to the input; a scalar static slope uses the lookup
// table kernel instead): x >= 0 keeps x, rescaled by s_x / s_y; x < 0 becomes
// (x - zx) * (slope - zs) rescaled by s_x * s_slope / s_y.
#include "backends/htp/ref/broadcast.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class PreluRef final : public rt::HostKernel {
 public:
  PreluRef(QParams x, QParams s, QParams y, ir::Shape shape, const ir::Shape& slope_shape)
      : x_(x),
        s_(s),
        y_(y),
        shape_(std::move(shape)),
        stride_x_(broadcast_strides(shape_, shape_)),
        stride_s_(broadcast_strides(shape_, slope_shape)),
        mult_pos_(quant::quantize_multiplier(x.scale / y.scale)),
        mult_neg_(quant::quantize_multiplier(x.scale * s.scale / y.scale)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype), s(in[1].data, in[1].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    for_each_broadcast(shape_, stride_x_, stride_s_, [&](int64_t o, int64_t ix, int64_t is) {
      const int64_t v = x[ix] - x_.zero_point;
      const int32_t q = v >= 0 ? quant::requantize(v, mult_pos_, y_.zero_point, y_.qmin, y_.qmax)
                               : quant::requantize(v * (s[is] - s_.zero_point), mult_neg_,
                                                   y_.zero_point, y_.qmin, y_.qmax);
      y.set(o, q);
    });
    return Status::ok();
  }

 private:
  QParams x_, s_, y_;
  ir::Shape shape_;
  std::vector<int64_t> stride_x_, stride_s_;
  quant::QuantizedMultiplier mult_pos_, mult_neg_;
};

}  // namespace

Expected<KernelPtr> make_prelu(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ts = g.tensor(n.inputs[1]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  for (const ir::Tensor* t : {&tx, &ts, &ty}) OQNN_RETURN_IF_ERROR(check_activation(*t, n));
  OQNN_ASSIGN_OR_RETURN(QParams x, qparams_of(tx, n));
  OQNN_ASSIGN_OR_RETURN(QParams s, qparams_of(ts, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  return KernelPtr(new PreluRef(x, s, y, ty.shape, ts.shape));
}

}  // namespace oqnn::htp::ref
