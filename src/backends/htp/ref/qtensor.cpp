#include "backends/htp/ref/qtensor.h"

#include <algorithm>
#include <cmath>

namespace oqnn::htp {
namespace {

Error tensor_error(const ir::Tensor& t, const ir::Node& n, const std::string& what) {
  return bad_input("node '" + n.name + "' (" + n.op + "): tensor '" + t.name + "' " + what);
}

bool valid_scale(double s) {
  return std::isfinite(s) && s > 0.0;
}

// Offsets beyond the code range (+-2^bitwidth, capped at 2^30) make no sense and would
// overflow the int32 arithmetic of the kernels (codes - zero point).
bool valid_offset(const ir::Encoding& e, size_t c) {
  const int64_t limit = int64_t{1} << std::min(e.bitwidth, 30);
  return e.offset[c] >= -limit && e.offset[c] <= limit;
}

}  // namespace

int32_t QParams::code(double r) const {
  if (std::isnan(r)) return std::clamp(zero_point, qmin, qmax);
  double q = std::round(r / scale) + static_cast<double>(zero_point);
  q = std::clamp(q, static_cast<double>(qmin), static_cast<double>(qmax));
  return static_cast<int32_t>(q);
}

Expected<QParams> qparams_of(const ir::Tensor& t, const ir::Node& n) {
  if (!t.encoding) return tensor_error(t, n, "has no quantization encoding");
  const ir::Encoding& e = *t.encoding;
  if (e.per_axis() || e.scale.size() != 1 || e.offset.size() != 1)
    return unsupported("node '" + n.name + "' (" + n.op + "): tensor '" + t.name +
                       "' must have a per-tensor encoding here");
  if (!valid_scale(e.scale[0])) return tensor_error(t, n, "has a non-positive or non-finite scale");
  if (!valid_offset(e, 0)) return tensor_error(t, n, "has an offset outside its code range");
  QParams p;
  p.scale = e.scale[0];
  p.zero_point = -e.offset[0];
  p.qmin = static_cast<int32_t>(e.qmin());
  p.qmax = static_cast<int32_t>(e.qmax());
  return p;
}

Expected<ChannelQParams> channel_qparams_of(const ir::Tensor& t, int axis, int64_t channels,
                                            const ir::Node& n) {
  if (!t.encoding) return tensor_error(t, n, "has no quantization encoding");
  const ir::Encoding& e = *t.encoding;
  if (e.scale.size() != e.offset.size() || e.scale.empty())
    return tensor_error(t, n, "has a malformed encoding");
  if (e.per_axis() && (e.axis != axis || static_cast<int64_t>(e.scale.size()) != channels))
    return unsupported("node '" + n.name + "' (" + n.op + "): tensor '" + t.name +
                       "' is quantized per axis " + std::to_string(e.axis) + " with " +
                       std::to_string(e.scale.size()) + " channels; expected axis " +
                       std::to_string(axis) + " with " + std::to_string(channels));
  if (!e.per_axis() && e.scale.size() != 1) return tensor_error(t, n, "has a malformed encoding");
  ChannelQParams p;
  for (size_t c = 0; c < e.scale.size(); ++c) {
    if (!valid_scale(e.scale[c])) return tensor_error(t, n, "has a non-positive scale");
    if (!valid_offset(e, c)) return tensor_error(t, n, "has an offset outside its code range");
    p.scale.push_back(e.scale[c]);
    p.zero_point.push_back(-e.offset[c]);
  }
  return p;
}

int64_t bias_to_acc(double real, double acc_scale) {
  const double v = real / acc_scale;
  if (std::isnan(v)) return 0;  // 0 / 0: a zero bias at an underflowed scale
  return std::llround(std::clamp(v, -0x1p60, 0x1p60));
}

Expected<std::pair<int32_t, int32_t>> fused_range(const ir::Node& n, const QParams& out) {
  std::string act = n.params.get_string("fused_activation", "");
  int32_t lo = out.qmin, hi = out.qmax;
  if (act.empty() || act == "none") return std::pair{lo, hi};
  if (act == "relu") return std::pair{std::max(lo, out.code(0.0)), hi};
  if (act == "clip") {
    if (!n.params.has("clip_min") || !n.params.has("clip_max"))
      return bad_input("node '" + n.name + "' (" + n.op +
                       "): fused_activation 'clip' needs clip_min and clip_max");
    const double a = n.params.get_float("clip_min"), b = n.params.get_float("clip_max");
    if (!(a <= b))
      return bad_input("node '" + n.name + "' (" + n.op + "): clip_min is greater than clip_max");
    return std::pair{std::max(lo, out.code(a)), std::min(hi, out.code(b))};
  }
  return unsupported("node '" + n.name + "' (" + n.op + "): fused_activation '" + act +
                     "' is not supported (relu, clip)");
}

Requantizer::Requantizer(const QParams& in, const QParams& out)
    : identity_(in.scale == out.scale && in.zero_point == out.zero_point && in.qmin >= out.qmin &&
                in.qmax <= out.qmax),
      m_(quant::quantize_multiplier(in.scale / out.scale)),
      zi_(in.zero_point),
      zo_(out.zero_point),
      qmin_(out.qmin),
      qmax_(out.qmax) {}

Status check_activation(const ir::Tensor& t, const ir::Node& n) {
  if (t.dtype != ir::DataType::kUInt8 && t.dtype != ir::DataType::kUInt16)
    return unsupported("node '" + n.name + "' (" + n.op + "): tensor '" + t.name + "' is " +
                       std::string(ir::dtype_name(t.dtype)) +
                       "; HTP kernels take uint8 or uint16 codes");
  return Status::ok();
}

Expected<QParams> activation_qparams(const ir::Tensor& t, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_activation(t, n));
  return qparams_of(t, n);
}

}  // namespace oqnn::htp
