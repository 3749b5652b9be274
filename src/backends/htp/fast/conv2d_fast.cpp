// conv2d_nhwc_q_fast / conv3d_ndhwc_q_fast. Rows ((batch, depth, y) triples; a 2-D conv has
// depth 1) are split over threads; per output row and group, an im2col patch of the row's
// pixels. Conv2dGemm (centred weights in [-128, 127], every model the HTP quantizer makes)
// runs the patch through the QGemm engine (qgemm.h); Conv2dFast, for the other weights, does
// one dot product per (pixel, output channel) against weights packed as
// [cout][(kd*)kh*kw*cin_g] centred values.
#include <algorithm>
#include <cstring>
#include <type_traits>
#include <vector>

#include "backends/htp/fast/dot.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/fast/qgemm_layer.h"
#include "backends/htp/fast/row_requantizer.h"
#include "backends/htp/ref/conv_geometry.h"
#include "ir/op_def.h"

namespace oqnn::htp::fast {
namespace {

// Writes the im2col row of output row (b, oz, oy), group g: per pixel, the layer's K input
// values as E (code - offset; padding taps hold zx - offset, i.e. real zero), rows `lda`
// apart.
template <class T, class E>
void im2col_row(const ConvGeometry& s, const T* x, int64_t b, int64_t oz, int64_t oy, int64_t g,
                int32_t zx, int32_t offset, int64_t lda, E* patch) {
  const E pad = static_cast<E>(zx - offset);
  // Codes copied as they are, one group, no horizontal dilation: a kernel row's in-bounds
  // taps are one run of input bytes (the stem's 3-channel 7x7 would else be 3-byte copies).
  const bool runs = std::is_same_v<T, E> && offset == 0 && s.cin_g == s.c && s.dw == 1;
  for (int64_t ox = 0; ox < s.ow; ++ox) {
    E* p = patch + ox * lda;
    for (int64_t kz = 0; kz < s.kd; ++kz) {
      const int64_t iz = oz * s.sd - s.pad_front + kz * s.dd;
      for (int64_t ky = 0; ky < s.kh; ++ky) {
        const int64_t iy = oy * s.sh - s.pad_top + ky * s.dh;
        if (runs) {
          const int64_t ix0 = ox * s.sw - s.pad_left, row = s.kw * s.c;
          int64_t lo = 0, hi = 0;  // in-bounds taps: kx in [lo, hi)
          if (iz >= 0 && iz < s.d && iy >= 0 && iy < s.h) {
            lo = std::clamp<int64_t>(-ix0, 0, s.kw);
            hi = std::clamp<int64_t>(s.w - ix0, lo, s.kw);
          }
          std::fill(p, p + lo * s.c, pad);
          if (hi > lo)
            std::memcpy(p + lo * s.c, x + (((b * s.d + iz) * s.h + iy) * s.w + ix0 + lo) * s.c,
                        static_cast<size_t>((hi - lo) * s.c) * sizeof(E));
          std::fill(p + hi * s.c, p + row, pad);
          p += row;
          continue;
        }
        for (int64_t kx = 0; kx < s.kw; ++kx, p += s.cin_g) {
          const int64_t ix = ox * s.sw - s.pad_left + kx * s.dw;
          if (iz < 0 || iz >= s.d || iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) {
            for (int64_t ci = 0; ci < s.cin_g; ++ci) p[ci] = pad;
            continue;
          }
          const T* src = x + (((b * s.d + iz) * s.h + iy) * s.w + ix) * s.c + g * s.cin_g;
          if (std::is_same_v<T, E> && offset == 0) {
            std::memcpy(p, src, static_cast<size_t>(s.cin_g) * sizeof(E));
            continue;
          }
          for (int64_t ci = 0; ci < s.cin_g; ++ci)
            p[ci] = static_cast<E>(int32_t{src[ci]} - offset);
        }
      }
    }
  }
}

// T: input codes; E: A elements of the engine's layout (uint8 quad, int16 pair).
template <class T, class E>
class Conv2dGemm final : public rt::HostKernel {
 public:
  Conv2dGemm(ConvGeometry s, LinearQuant q, QGemmLayer layer)
      : s_(s), q_(std::move(q)), layer_(std::move(layer)) {
    // A 1x1 conv whose taps all lie inside the input, with uint8 A rows of exactly cin
    // codes, reads the input in place (no im2col).
    direct_ = std::is_same_v<T, E> && layer_.gemm(0).a_offset() == 0 && s_.groups == 1 &&
              s_.kd * s_.kh * s_.kw == 1 && layer_.gemm(0).row_elems() == s_.c &&
              s_.pad_front == 0 && s_.pad_top == 0 && s_.pad_left == 0 &&
              (s_.od - 1) * s_.sd < s_.d && (s_.oh - 1) * s_.sh < s_.h &&
              (s_.ow - 1) * s_.sw < s_.w;
    // ... and when the output pixels are the input pixels, any run of rows is one A block.
    contiguous_ =
        direct_ && s_.sd * s_.sh * s_.sw == 1 && s_.od == s_.d && s_.oh == s_.h && s_.ow == s_.w;
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* x = in[0].as<T>();
    const OutCodes y{out[0].data, out[0].info->dtype};
    const int64_t lda = layer_.gemm(0).row_elems();
    const int32_t off = layer_.gemm(0).a_offset();
    // Output rows go through the engine `per` at a time (at least ~48 pixels, for full
    // register tiles on small images) while leaving a batch per thread.
    const int64_t rows = s_.n * s_.od * s_.oh;
    const int64_t threads = ctx.pool ? ctx.pool->size() : 1;
    const int64_t per = direct_ && !contiguous_
                            ? 1
                            : std::clamp<int64_t>((48 + s_.ow - 1) / s_.ow, 1,
                                                  std::max<int64_t>(1, rows / threads));
    const int64_t batches = (rows + per - 1) / per;
    parallel_rows(ctx, batches, per * s_.ow * s_.cout * lda, [&](int64_t b0, int64_t b1) {
      QGemmLayer::Scratch t;
      std::vector<E> patch;
      if (!direct_) patch.assign(static_cast<size_t>(per * s_.ow * lda), E{0});  // K padding: 0
      for (int64_t bt = b0; bt < b1; ++bt) {
        const int64_t r0 = bt * per, r1 = std::min(rows, r0 + per), m = (r1 - r0) * s_.ow;
        if (contiguous_) {  // output pixel p reads input pixel p
          layer_.run(0, x + r0 * s_.ow * s_.c, m, t, y, r0 * s_.ow * s_.cout);
          continue;
        }
        if (direct_) {  // the input pixels of row r0 are the A rows, s_.sw * s_.c apart
          const int64_t b = r0 / (s_.oh * s_.od), oz = r0 / s_.oh % s_.od, oy = r0 % s_.oh;
          const T* src = x + ((b * s_.d + oz * s_.sd) * s_.h + oy * s_.sh) * s_.w * s_.c;
          layer_.run(0, src, s_.ow, t, y, r0 * s_.ow * s_.cout, 0, -1, s_.sw * s_.c);
          continue;
        }
        for (int64_t g = 0; g < s_.groups; ++g) {
          for (int64_t r = r0; r < r1; ++r)
            im2col_row(s_, x, r / (s_.oh * s_.od), r / s_.oh % s_.od, r % s_.oh, g,
                       q_.in.zero_point, off, lda, patch.data() + (r - r0) * s_.ow * lda);
          layer_.run(g, patch.data(), m, t, y, r0 * s_.ow * s_.cout);
        }
      }
    });
    return Status::ok();
  }

 private:
  ConvGeometry s_;
  LinearQuant q_;
  QGemmLayer layer_;
  bool direct_ = false, contiguous_ = false;
};

template <class T>
KernelPtr conv_gemm(const ConvGeometry& s, LinearQuant q, QGemmLayer layer) {
  if (layer.gemm(0).layout() == Layout::kQuad)
    return KernelPtr(new Conv2dGemm<T, uint8_t>(s, std::move(q), std::move(layer)));
  return KernelPtr(new Conv2dGemm<T, int16_t>(s, std::move(q), std::move(layer)));
}

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
          // Centred codes (offset zx), so padding taps hold 0.
          im2col_row(s_, x, r / (s_.oh * s_.od), r / s_.oh % s_.od, r % s_.oh, g, q_.in.zero_point,
                     q_.in.zero_point, k_, patch.data());
          write_row(patch.data(), r, g, y);
        }
    });
    return Status::ok();
  }

 private:
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
  const int64_t k = s.kd * s.kh * s.kw * s.cin_g, cg = s.cout_g();
  if (in == ir::DataType::kUInt8 || in == ir::DataType::kUInt16) {
    CodeReader codes = static_codes(w);
    // DHWIO: row j = ((kz*kh + ky)*kw + kx)*cin_g + ci of channel co at codes[j * cout + co].
    auto layer = QGemmLayer::make(
        q, in == ir::DataType::kUInt16, s.groups, k, cg, [&](int64_t grp, int64_t j, int64_t c) {
          const int64_t co = grp * cg + c;
          return static_cast<int32_t>(codes[j * s.cout + co] - q.weight_zero[co]);
        });
    if (layer) {
      if (in == ir::DataType::kUInt8) return conv_gemm<uint8_t>(s, std::move(q), std::move(*layer));
      return conv_gemm<uint16_t>(s, std::move(q), std::move(*layer));
    }
  }
  switch (choose_width(q, in, k)) {
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
