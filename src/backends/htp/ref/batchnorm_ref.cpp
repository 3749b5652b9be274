// batchnorm_q_ref: y = x * scale[c] + bias[c] (channel last) as a per-channel 1x1
// depthwise product: acc = (x - zx) * (scale_q[c] - zs[c]) + bias_acc[c], where bias_acc
// is the bias expressed in accumulator units s_x * s_scale[c] (rounded once, at creation).
#include <cmath>

#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

class BatchnormRef final : public rt::HostKernel {
 public:
  BatchnormRef(QParams x, QParams y, std::vector<int32_t> scale, std::vector<int64_t> bias,
               std::vector<quant::QuantizedMultiplier> mult)
      : x_(x), y_(y), scale_(std::move(scale)), bias_(std::move(bias)), mult_(std::move(mult)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    const int64_t c = static_cast<int64_t>(scale_.size()), total = in[0].elements();
    for (int64_t i = 0; i < total; ++i) {
      const int64_t ch = i % c;
      const int64_t acc = int64_t{x[i] - x_.zero_point} * scale_[ch] + bias_[ch];
      y.set(i, quant::requantize(acc, mult_[ch], y_.zero_point, y_.qmin, y_.qmax));
    }
    return Status::ok();
  }

 private:
  QParams x_, y_;
  std::vector<int32_t> scale_;  // centred scale codes
  std::vector<int64_t> bias_;
  std::vector<quant::QuantizedMultiplier> mult_;
};

}  // namespace

Expected<KernelPtr> make_batchnorm(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ts = g.tensor(n.inputs[1]);
  const ir::Tensor& tb = g.tensor(n.inputs[2]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(tx, n));
  OQNN_RETURN_IF_ERROR(check_activation(ty, n));
  if (!ts.is_static() || !tb.is_static())
    return unsupported("node '" + n.name + "' (Batchnorm): scale and bias must be static on HTP");
  OQNN_ASSIGN_OR_RETURN(QParams x, qparams_of(tx, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  const int64_t c = tx.shape.back();
  const int axis_s = static_cast<int>(ts.shape.size()) - 1;
  const int axis_b = static_cast<int>(tb.shape.size()) - 1;
  OQNN_ASSIGN_OR_RETURN(ChannelQParams sq, channel_qparams_of(ts, axis_s, c, n));
  OQNN_ASSIGN_OR_RETURN(ChannelQParams bq, channel_qparams_of(tb, axis_b, c, n));
  CodeReader sc = static_codes(ts), bc = static_codes(tb);
  std::vector<int32_t> scale;
  std::vector<int64_t> bias;
  std::vector<quant::QuantizedMultiplier> mult;
  for (int64_t ch = 0; ch < c; ++ch) {
    const double acc_scale = x.scale * sq.scale_at(ch);
    scale.push_back(sc[ch] - sq.zero_at(ch));
    const double b = bq.scale_at(ch) * static_cast<double>(bc[ch] - bq.zero_at(ch));
    bias.push_back(bias_to_acc(b, acc_scale));
    mult.push_back(quant::quantize_multiplier(acc_scale / y.scale));
  }
  return KernelPtr(new BatchnormRef(x, y, std::move(scale), std::move(bias), std::move(mult)));
}

}  // namespace oqnn::htp::ref
