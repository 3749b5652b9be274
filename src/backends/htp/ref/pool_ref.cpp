// The HTP pools, max_pool_ndhwc_q_ref and avg_pool_ndhwc_q_ref: PoolMax3d and PoolAvg3d
// (NDHWC, with dilation; the importer also runs dilated 1-D and 2-D pools as these), and
// PoolMax2d / PoolAvg2d as the same kernel over a depth of 1. A window's taps along axis i
// are start + j * dilation[i], j < filter_size[i]; taps in the padding or past the input
// are skipped, as in the CPU reference. Max pooling compares codes (dequantization is
// monotonic) and requantizes only when the output encoding differs. Average pooling sums
// (x - zx) in int64 and requantizes once with s_x / (s_y * count), the divisor folded into
// the multiplier so there is a single rounding; count is the full filter size
// (count_pad_for_edges = 1: padding and ceil-mode overhang count as zeros, as onnxruntime
// and the CPU/GPU backends do) or the taps inside the input (count_pad_for_edges = 0). A
// window with no tap inside the input (only a dilated 3-D one can have none) gives the code
// of 0.0 (average) or the lowest code (max: the CPU reference's -inf, clamped).
#include <algorithm>
#include <array>
#include <limits>
#include <vector>

#include "backends/htp/ref/pool_geometry.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"
#include "ir/window.h"

namespace oqnn::htp::ref {
namespace {

class PoolRef final : public rt::HostKernel {
 public:
  explicit PoolRef(const PoolGeometry& s)
      : s_(s), average_(s.average), count_pad_(s.count_pad), x_(s.x), y_(s.y), requant_(s.x, s.y) {
    for (size_t i = 0; i < 3; ++i)
      for (int64_t o = 0; o < s.out[i]; ++o) taps_[i].push_back(taps_at(i, o));
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    int64_t o = 0;
    for (int64_t b = 0; b < s_.n; ++b)
      for (int64_t od = 0; od < s_.out[0]; ++od) {
        const std::vector<int64_t>& td = taps_[0][static_cast<size_t>(od)];
        for (int64_t oh = 0; oh < s_.out[1]; ++oh) {
          const std::vector<int64_t>& th = taps_[1][static_cast<size_t>(oh)];
          for (int64_t ow = 0; ow < s_.out[2]; ++ow) {
            const std::vector<int64_t>& tw = taps_[2][static_cast<size_t>(ow)];
            const auto inside = static_cast<int64_t>(td.size() * th.size() * tw.size());
            const int64_t count = count_pad_ ? s_.k[0] * s_.k[1] * s_.k[2] : inside;
            const quant::QuantizedMultiplier m =
                quant::quantize_multiplier(x_.scale / (y_.scale * static_cast<double>(count)));
            for (int64_t ch = 0; ch < s_.c; ++ch, ++o) {
              if (inside == 0) {
                y.set(o, average_ ? y_.code(0.0) : y_.qmin);
                continue;
              }
              int64_t acc = 0;
              int32_t best = std::numeric_limits<int32_t>::min();
              for (int64_t id : td)
                for (int64_t ih : th)
                  for (int64_t iw : tw) {
                    const int32_t q =
                        x[(((b * s_.in[0] + id) * s_.in[1] + ih) * s_.in[2] + iw) * s_.c + ch];
                    acc += q - x_.zero_point;
                    best = std::max(best, q);
                  }
              y.set(o, average_ ? quant::requantize(acc, m, y_.zero_point, y_.qmin, y_.qmax)
                                : requant_(best));
            }
          }
        }
      }
    return Status::ok();
  }

 private:
  // The input coordinates of the taps of the window at output index o along axis i.
  std::vector<int64_t> taps_at(size_t i, int64_t o) const {
    return ir::window_taps(o, s_.stride[i], s_.pad0[i], s_.k[i], s_.dil[i], s_.in[i]);
  }

  PoolGeometry s_;
  bool average_, count_pad_;
  QParams x_, y_;
  Requantizer requant_;
  std::array<std::vector<std::vector<int64_t>>, 3> taps_;  // per axis, per output index
};

}  // namespace

Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(PoolGeometry s, pool_geometry(g, n));
  return KernelPtr(new PoolRef(s));
}

}  // namespace oqnn::htp::ref

namespace oqnn::htp {

Expected<PoolGeometry> pool_geometry(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  PoolGeometry s;
  OQNN_ASSIGN_OR_RETURN(s.x, activation_qparams(tx, n));
  OQNN_ASSIGN_OR_RETURN(s.y, activation_qparams(ty, n));
  // The shape rules (src/ir/ops/pool.cpp) have checked these params' sizes and domains.
  const bool three_d = n.op == "PoolAvg3d" || n.op == "PoolMax3d";
  const size_t axes = three_d ? 3 : 2, first = 3 - axes;
  const auto k = n.params.get_ints("filter_size");
  const auto stride = n.params.get_ints("stride", std::vector<int64_t>(axes, 1));
  const auto dil = n.params.get_ints("dilation", std::vector<int64_t>(axes, 1));
  const auto pad = n.params.get_ints("pad_amount", std::vector<int64_t>(2 * axes, 0));
  s.n = tx.shape[0], s.c = tx.shape.back();
  s.in = s.out = s.k = s.stride = s.dil = {1, 1, 1};
  for (size_t i = 0; i < axes; ++i) {
    const size_t a = first + i;
    s.in[a] = tx.shape[1 + i], s.out[a] = ty.shape[1 + i], s.k[a] = k[i];
    s.stride[a] = stride[i], s.dil[a] = dil[i], s.pad0[a] = pad[2 * i];
  }
  s.average = n.op == "PoolAvg2d" || n.op == "PoolAvg3d";
  s.count_pad = n.params.get_int("count_pad_for_edges", 0) != 0;
  return s;
}

}  // namespace oqnn::htp
