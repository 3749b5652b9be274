// conv2d_nhwc_q_fast / conv3d_ndhwc_q_fast: per output row, an im2col patch of centred
// inputs (padding = 0, the centred value of real zero), then one dot product per (pixel,
// output channel) against weights packed as [cout][(kd*)kh*kw*cin_g] centred values. Rows
// ((batch, depth, y) triples; a 2-D conv has depth 1) are split over threads.
#include <vector>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/fast/row_requantizer.h"
#include "backends/htp/ref/conv_geometry.h"
#include "ir/op_def.h"

namespace oqnn::htp::fast {
namespace {

template <class T, class C, class A>
class Conv2dFast final : public rt::HostKernel {
 public:
  Conv2dFast(ConvGeometry s, LinearQuant q, const ir::Tensor& w)
      : s_(s), q_(std::move(q)), rq_(q_), k_(s.kd * s.kh * s.kw * s.cin_g) {
    CodeReader codes = static_codes(w);
    packed_.resize(static_cast<size_t>(s_.cout * k_));
    for (int64_t co = 0; co < s_.cout; ++co)
      for (int64_t j = 0; j < k_; ++j)  // j = ((kz*kh + ky)*kw + kx)*cin_g + ci, as in DHWIO
        packed_[co * k_ + j] = static_cast<C>(codes[j * s_.cout + co] - q_.weight_zero[co]);
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* x = in[0].as<T>();
    const OutCodes y{out[0].data, out[0].info->dtype};
    parallel_rows(ctx, s_.n * s_.od * s_.oh, s_.ow * s_.cout * k_, [&](int64_t r0, int64_t r1) {
      std::vector<C> patch(static_cast<size_t>(s_.ow * k_));
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t g = 0; g < s_.groups; ++g) {
          fill_patch(x, r / (s_.oh * s_.od), r / s_.oh % s_.od, r % s_.oh, g, patch.data());
          write_row(patch.data(), r, g, y);
        }
    });
    return Status::ok();
  }

 private:
  void fill_patch(const T* x, int64_t b, int64_t oz, int64_t oy, int64_t g, C* patch) const {
    const C zx = static_cast<C>(q_.in.zero_point);
    for (int64_t ox = 0; ox < s_.ow; ++ox) {
      C* p = patch + ox * k_;
      for (int64_t kz = 0; kz < s_.kd; ++kz) {
        const int64_t iz = oz * s_.sd - s_.pad_front + kz * s_.dd;
        for (int64_t ky = 0; ky < s_.kh; ++ky) {
          const int64_t iy = oy * s_.sh - s_.pad_top + ky * s_.dh;
          for (int64_t kx = 0; kx < s_.kw; ++kx, p += s_.cin_g) {
            const int64_t ix = ox * s_.sw - s_.pad_left + kx * s_.dw;
            if (iz < 0 || iz >= s_.d || iy < 0 || iy >= s_.h || ix < 0 || ix >= s_.w) {
              for (int64_t ci = 0; ci < s_.cin_g; ++ci) p[ci] = 0;
              continue;
            }
            const T* src = x + (((b * s_.d + iz) * s_.h + iy) * s_.w + ix) * s_.c + g * s_.cin_g;
            for (int64_t ci = 0; ci < s_.cin_g; ++ci) p[ci] = static_cast<C>(C(src[ci]) - zx);
          }
        }
      }
    }
  }

  void write_row(const C* patch, int64_t r, int64_t g, const OutCodes& y) const {
    const int64_t cg = s_.cout_g(), c0 = g * cg;
    std::vector<A> acc(static_cast<size_t>(cg));
    std::vector<int32_t> codes(static_cast<size_t>(cg));
    for (int64_t ox = 0; ox < s_.ow; ++ox) {
      dot_rows<C, A>(patch + ox * k_, packed_.data() + c0 * k_, k_, cg, acc.data());
      rq_.run(acc.data(), c0, cg, codes.data());
      store_codes(y.data, y.dtype, (r * s_.ow + ox) * s_.cout + c0, codes.data(), cg);
    }
  }

  ConvGeometry s_;
  LinearQuant q_;
  RowRequantizer rq_;
  int64_t k_;
  std::vector<C> packed_;
};

}  // namespace

Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(LinearQuant q, linear_quant(g, n, ir::weight_channel_axis(n.op)));
  const ConvGeometry s = conv_geometry(g, n);
  const ir::Tensor& w = g.tensor(n.inputs[1]);
  const ir::DataType in = g.tensor(n.inputs[0]).dtype;
  switch (choose_width(q, in, s.kd * s.kh * s.kw * s.cin_g)) {
    case Width::kNarrow:
      return KernelPtr(new Conv2dFast<uint8_t, int16_t, int32_t>(s, std::move(q), w));
    case Width::kWide:
      if (in == ir::DataType::kUInt8)
        return KernelPtr(new Conv2dFast<uint8_t, int32_t, int64_t>(s, std::move(q), w));
      return KernelPtr(new Conv2dFast<uint16_t, int32_t, int64_t>(s, std::move(q), w));
    case Width::kNone:
      break;
  }
  return ref::make_conv2d(g, n);
}

}  // namespace oqnn::htp::fast
