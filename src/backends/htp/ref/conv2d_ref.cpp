// conv2d_nhwc_q_ref / depthwise_conv2d_nhwc_q_ref / conv3d_ndhwc_q_ref (a 2-D conv is the
// 3-D loop over one plane): for every output element,
// acc = bias + sum (x - zx) * (w - zw) in int64 (padding contributes real 0, i.e. nothing),
// then one requantization. Plain loops, no packing: this is the oracle.
#include "backends/htp/ref/conv_geometry.h"
#include "backends/htp/ref/linear_quant.h"
#include "backends/htp/ref/ref_kernels.h"
#include "ir/op_def.h"

namespace oqnn::htp::ref {
namespace {

class Conv2dRef final : public rt::HostKernel {
 public:
  Conv2dRef(ConvGeometry s, LinearQuant q, const ir::Tensor& w)
      : s_(s), q_(std::move(q)), keep_(w.data), w_(static_codes(w)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    int64_t o = 0;
    for (int64_t b = 0; b < s_.n; ++b)
      for (int64_t oz = 0; oz < s_.od; ++oz)
        for (int64_t oy = 0; oy < s_.oh; ++oy)
          for (int64_t ox = 0; ox < s_.ow; ++ox)
            for (int64_t co = 0; co < s_.cout; ++co, ++o) {
              int64_t acc = q_.bias[co];
              for (int64_t kz = 0; kz < s_.kd; ++kz) {
                const int64_t iz = oz * s_.sd - s_.pad_front + kz * s_.dd;
                if (iz < 0 || iz >= s_.d) continue;
                acc += plane(x, b * s_.d + iz, kz, oy, ox, co);
              }
              y.set(o, quant::requantize(acc, q_.mult[co], q_.out.zero_point, q_.lo, q_.hi));
            }
    return Status::ok();
  }

 private:
  // Sum over one kernel plane kz of (x - zx) * (w - zw), input plane `slice` (= b*d + iz).
  int64_t plane(const CodeReader& x, int64_t slice, int64_t kz, int64_t oy, int64_t ox,
                int64_t co) const {
    const int32_t zw = q_.weight_zero[co];
    const int64_t cout_g = s_.cout_g();
    int64_t acc = 0;
    for (int64_t ky = 0; ky < s_.kh; ++ky) {
      const int64_t iy = oy * s_.sh - s_.pad_top + ky * s_.dh;
      if (iy < 0 || iy >= s_.h) continue;
      for (int64_t kx = 0; kx < s_.kw; ++kx) {
        const int64_t ix = ox * s_.sw - s_.pad_left + kx * s_.dw;
        if (ix < 0 || ix >= s_.w) continue;
        const int64_t pix = ((slice * s_.h + iy) * s_.w + ix) * s_.c;
        const int64_t wrow = ((kz * s_.kh + ky) * s_.kw + kx) * s_.cin_g;
        if (s_.depthwise) {
          acc += int64_t{x[pix + s_.dw_input_channel(co)] - q_.in.zero_point} *
                 (w_[wrow * s_.cout + co] - zw);
          continue;
        }
        const int64_t c0 = (co / cout_g) * s_.cin_g;
        for (int64_t ci = 0; ci < s_.cin_g; ++ci)
          acc +=
              int64_t{x[pix + c0 + ci] - q_.in.zero_point} * (w_[(wrow + ci) * s_.cout + co] - zw);
      }
    }
    return acc;
  }

  ConvGeometry s_;
  LinearQuant q_;
  std::shared_ptr<const Blob> keep_;
  CodeReader w_;
};

}  // namespace

Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(LinearQuant q, linear_quant(g, n, ir::weight_channel_axis(n.op)));
  return KernelPtr(new Conv2dRef(conv_geometry(g, n), std::move(q), g.tensor(n.inputs[1])));
}

}  // namespace oqnn::htp::ref
