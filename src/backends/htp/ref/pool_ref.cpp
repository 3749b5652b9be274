// max_pool2d_nhwc_q_ref and avg_pool2d_nhwc_q_ref.
// Max pooling compares codes (dequantization is monotonic) and requantizes only when the
// output encoding differs. Average pooling sums (x - zx) in int64 and requantizes once with
// s_x / (s_y * count), the divisor folded into the multiplier so there is a single rounding;
// count is the full filter size (count_pad_for_edges = 1: padding and ceil-mode overhang
// count as zeros, as onnxruntime and the CPU/GPU backends do) or the window clipped to the
// input (count_pad_for_edges = 0).
#include <algorithm>

#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

struct PoolGeometry {
  int64_t n, h, w, c, kh, kw, sh, sw, pt, pb, pl, pr, oh, ow;
};

class PoolRef final : public rt::HostKernel {
 public:
  PoolRef(PoolGeometry s, bool average, bool count_pad, QParams x, QParams y)
      : s_(s), average_(average), count_pad_(count_pad), x_(x), y_(y), requant_(x, y) {
    for (int64_t d = 0; d <= s.kh * s.kw; ++d)
      mult_.push_back(quant::quantize_multiplier(d ? x.scale / (y.scale * double(d)) : 0.0));
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    int64_t o = 0;
    for (int64_t b = 0; b < s_.n; ++b)
      for (int64_t oy = 0; oy < s_.oh; ++oy)
        for (int64_t ox = 0; ox < s_.ow; ++ox) {
          const int64_t y0 = oy * s_.sh - s_.pt, x0 = ox * s_.sw - s_.pl;
          const int64_t y1 = std::min(y0 + s_.kh, s_.h + s_.pb);
          const int64_t x1 = std::min(x0 + s_.kw, s_.w + s_.pr);
          const int64_t vy0 = std::max<int64_t>(y0, 0), vy1 = std::min(y1, s_.h);
          const int64_t vx0 = std::max<int64_t>(x0, 0), vx1 = std::min(x1, s_.w);
          int64_t count = count_pad_ ? s_.kh * s_.kw : (vy1 - vy0) * (vx1 - vx0);
          count = std::clamp<int64_t>(count, 0, s_.kh * s_.kw);
          for (int64_t ch = 0; ch < s_.c; ++ch, ++o) {
            if (vy1 <= vy0 || vx1 <= vx0 || count == 0) {
              y.set(o, y_.code(0.0));  // a window of padding only
              continue;
            }
            int64_t acc = 0;
            int32_t best = x[((b * s_.h + vy0) * s_.w + vx0) * s_.c + ch];
            for (int64_t iy = vy0; iy < vy1; ++iy)
              for (int64_t ix = vx0; ix < vx1; ++ix) {
                const int32_t q = x[((b * s_.h + iy) * s_.w + ix) * s_.c + ch];
                acc += q - x_.zero_point;
                best = std::max(best, q);
              }
            y.set(o, average_
                         ? quant::requantize(acc, mult_[count], y_.zero_point, y_.qmin, y_.qmax)
                         : requant_(best));
          }
        }
    return Status::ok();
  }

 private:
  PoolGeometry s_;
  bool average_, count_pad_;
  QParams x_, y_;
  Requantizer requant_;
  std::vector<quant::QuantizedMultiplier> mult_;  // by divisor
};

}  // namespace

Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(tx, n));
  OQNN_RETURN_IF_ERROR(check_activation(ty, n));
  OQNN_ASSIGN_OR_RETURN(QParams x, qparams_of(tx, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  auto k = n.params.get_ints("filter_size");
  auto st = n.params.get_ints("stride", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  PoolGeometry s{tx.shape[0], tx.shape[1], tx.shape[2], tx.shape[3], k[0],
                 k[1],        st[0],       st[1],       pad[0],      pad[1],
                 pad[2],      pad[3],      ty.shape[1], ty.shape[2]};
  const bool average = n.op == "PoolAvg2d";
  const bool count_pad = n.params.get_int("count_pad_for_edges", 0) != 0;
  return KernelPtr(new PoolRef(s, average, count_pad, x, y));
}

}  // namespace oqnn::htp::ref
