// depthwise_conv2d_nhwc_q_fast: per output pixel, a vector of channel accumulators updated
// tap by tap (the loop over channels vectorizes); weights packed as [kh*kw][cout] centred
// values; the tap update is compiled per ISA level (eltwise_loops.cpp). Rows are split over
// threads.
#include <vector>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/eltwise_loops.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/fast/row_requantizer.h"
#include "backends/htp/ref/conv_geometry.h"

namespace oqnn::htp::fast {
namespace {

template <class T, class C, class A>
class DepthwiseFast final : public rt::HostKernel {
 public:
  DepthwiseFast(ConvGeometry s, LinearQuant q, const ir::Tensor& w)
      : s_(s), q_(std::move(q)), rq_(q_), tap_(dw_tap_loop<T, C, A>(gemm_simd_level())) {
    CodeReader codes = static_codes(w);
    packed_.resize(static_cast<size_t>(s_.kh * s_.kw * s_.cout));
    for (size_t i = 0; i < packed_.size(); ++i)
      packed_[i] = static_cast<C>(codes[static_cast<int64_t>(i)] -
                                  q_.weight_zero[i % static_cast<size_t>(s_.cout)]);
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* x = in[0].as<T>();
    const OutCodes y{out[0].data, out[0].info->dtype};
    parallel_rows(ctx, s_.n * s_.oh, s_.ow * s_.cout * s_.kh * s_.kw, [&](int64_t r0, int64_t r1) {
      std::vector<A> acc(static_cast<size_t>(s_.cout));
      std::vector<C> centred(static_cast<size_t>(s_.cout));
      std::vector<int32_t> codes(static_cast<size_t>(s_.cout));
      for (int64_t r = r0; r < r1; ++r)
        for (int64_t ox = 0; ox < s_.ow; ++ox) {
          pixel(x, r / s_.oh, r % s_.oh, ox, acc.data(), centred.data());
          rq_.run(acc.data(), 0, s_.cout, codes.data());
          store_codes(y.data, y.dtype, (r * s_.ow + ox) * s_.cout, codes.data(), s_.cout);
        }
    });
    return Status::ok();
  }

 private:
  void pixel(const T* x, int64_t b, int64_t oy, int64_t ox, A* __restrict acc,
             C* __restrict centred) const {
    const int64_t cout = s_.cout, m = s_.multiplier;
    const A zx = static_cast<A>(q_.in.zero_point);
    for (int64_t co = 0; co < cout; ++co) acc[co] = 0;  // the bias is added when requantizing
    for (int64_t ky = 0; ky < s_.kh; ++ky) {
      const int64_t iy = oy * s_.sh - s_.pad_top + ky * s_.dh;
      if (iy < 0 || iy >= s_.h) continue;
      for (int64_t kx = 0; kx < s_.kw; ++kx) {
        const int64_t ix = ox * s_.sw - s_.pad_left + kx * s_.dw;
        if (ix < 0 || ix >= s_.w) continue;
        const T* src = x + ((b * s_.h + iy) * s_.w + ix) * s_.c;
        const C* w = packed_.data() + (ky * s_.kw + kx) * cout;
        if (m == 1) {
          tap_(acc, src, w, zx, cout);
          continue;
        }
        for (int64_t co = 0; co < cout; ++co)
          centred[co] = static_cast<C>(static_cast<A>(src[co / m]) - zx);
        for (int64_t co = 0; co < cout; ++co) acc[co] += static_cast<A>(centred[co]) * w[co];
      }
    }
  }

  ConvGeometry s_;
  LinearQuant q_;
  RowRequantizer rq_;
  DwTapLoop<T, C, A> tap_;  // the ISA level of the GEMM engine (gemm_isa; tests force it)
  std::vector<C> packed_;
};

}  // namespace

Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(LinearQuant q, linear_quant(g, n, 3));
  const ConvGeometry s = conv_geometry(g, n);
  const ir::Tensor& w = g.tensor(n.inputs[1]);
  const ir::DataType in = g.tensor(n.inputs[0]).dtype;
  switch (choose_width(q, in, s.kh * s.kw)) {
    case Width::kNarrow:
      return KernelPtr(new DepthwiseFast<uint8_t, int16_t, int32_t>(s, std::move(q), w));
    case Width::kWide:
      if (in == ir::DataType::kUInt8)
        return KernelPtr(new DepthwiseFast<uint8_t, int32_t, int64_t>(s, std::move(q), w));
      return KernelPtr(new DepthwiseFast<uint16_t, int32_t, int64_t>(s, std::move(q), w));
    case Width::kNone:
      break;
  }
  return ref::make_conv2d(g, n);
}

}  // namespace oqnn::htp::fast
