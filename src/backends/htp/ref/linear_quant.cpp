#include "backends/htp/ref/linear_quant.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace oqnn::htp {

Expected<LinearQuant> linear_quant(const ir::Graph& g, const ir::Node& n, int weight_axis) {
  const ir::Tensor& x = g.tensor(n.inputs[0]);
  const ir::Tensor& w = g.tensor(n.inputs[1]);
  const ir::Tensor& y = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(x, n));
  OQNN_RETURN_IF_ERROR(check_activation(y, n));
  if (!w.is_static())
    return unsupported("node '" + n.name + "' (" + n.op + "): weight '" + w.name +
                       "' must be static on HTP");
  const int64_t cout = w.shape[static_cast<size_t>(weight_axis)];
  LinearQuant q;
  OQNN_ASSIGN_OR_RETURN(q.in, qparams_of(x, n));
  OQNN_ASSIGN_OR_RETURN(q.out, qparams_of(y, n));
  OQNN_ASSIGN_OR_RETURN(ChannelQParams wq, channel_qparams_of(w, weight_axis, cout, n));
  auto range = fused_range(n, q.out);
  if (!range) return range.error();
  q.lo = range->first;
  q.hi = range->second;

  std::vector<double> bias_real(static_cast<size_t>(cout), 0.0);
  if (n.inputs.size() > 2 && n.inputs[2] >= 0) {
    const ir::Tensor& b = g.tensor(n.inputs[2]);
    if (!b.is_static() || !b.encoding)
      return unsupported("node '" + n.name + "' (" + n.op + "): bias '" + b.name +
                         "' must be static and quantized");
    OQNN_ASSIGN_OR_RETURN(ChannelQParams bq, channel_qparams_of(b, 0, cout, n));
    CodeReader codes = static_codes(b);
    for (int64_t c = 0; c < cout; ++c)
      bias_real[c] = bq.scale_at(c) * (static_cast<double>(codes[c]) - bq.zero_at(c));
  }
  const ir::Tensor& wt = w;
  CodeReader wcodes = static_codes(wt);
  const int64_t total = ir::num_elements(wt.shape);
  for (int64_t c = 0; c < cout; ++c) {
    const double acc_scale = q.in.scale * wq.scale_at(c);
    q.weight_zero.push_back(wq.zero_at(c));
    // Finalize stores the bias at exactly this scale, so this division gives back its codes;
    // other scales (hand-made graphs) are rescaled to accumulator units.
    q.bias.push_back(bias_to_acc(bias_real[c], acc_scale));
    q.mult.push_back(quant::quantize_multiplier(acc_scale / q.out.scale));
  }
  const int64_t inner = weight_axis == 0 ? total / std::max<int64_t>(cout, 1) : 1;
  for (int64_t i = 0; i < total; ++i) {
    int64_t c = weight_axis == 0 ? i / inner : i % cout;
    q.max_abs_weight =
        std::max<int64_t>(q.max_abs_weight, std::llabs(int64_t{wcodes[i]} - q.weight_zero[c]));
  }
  return q;
}

bool fits_int32_accumulator(const LinearQuant& q, int64_t k) {
  const int64_t max_x = std::max<int64_t>(q.in.qmax - q.in.zero_point, q.in.zero_point - q.in.qmin);
  int64_t max_bias = 0;
  for (int64_t b : q.bias) max_bias = std::max<int64_t>(max_bias, std::llabs(b));
  // Each product is at most max_x * max_w; doubles bound the sum without overflowing.
  const double bound =
      static_cast<double>(k) * static_cast<double>(max_x) * static_cast<double>(q.max_abs_weight) +
      static_cast<double>(max_bias);
  return bound < 2147483647.0;
}

}  // namespace oqnn::htp
