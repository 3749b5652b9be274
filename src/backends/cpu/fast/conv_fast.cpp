// Conv2d and Conv3d as a GEMM per group: rows are output pixels (voxels), columns output
// channels, depth the (kd*)kh*kw*cin/group window. A is never materialized: each block of
// rows is packed straight from the NHWC / NDHWC input, one contiguous run of channels per
// filter tap (a 1x1 stride-1 conv packs each pixel's channels in one run). A 2-D conv is
// the 3-D one over a single unpadded plane.
#include <algorithm>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/gemm.h"
#include "backends/cpu/geometry.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::fast {
namespace {

// Shorter runs (fewer channels per tap, or per filter row) are packed: runs that short
// would reload the tile for every few multiply-adds.
constexpr int64_t kMinInPlaceRun = 16;

void pack_im2col(const ConvGeometry& c, const float* x, int64_t g, int64_t m0, int64_t rows,
                 int64_t k0, int64_t kc, int mr, float* dst) {
  const int64_t cig = c.cin_per_group();
  const float* src[kMaxMr];
  int64_t img[kMaxMr], id0[kMaxMr], ih0[kMaxMr], iw0[kMaxMr];
  for (int64_t rp = 0; rp * mr < rows; ++rp) {
    const int64_t valid = std::min<int64_t>(mr, rows - rp * mr);
    for (int64_t r = 0; r < valid; ++r) {
      const int64_t m = m0 + rp * mr + r, ow = m % c.wo, oh = m / c.wo % c.ho;
      const int64_t od = m / (c.wo * c.ho) % c.dout;
      img[r] = m / (c.wo * c.ho * c.dout);
      id0[r] = od * c.stride_d - c.pad_front;
      ih0[r] = oh * c.stride_h - c.pad_top;
      iw0[r] = ow * c.stride_w - c.pad_left;
    }
    float* panel = dst + rp * kc * mr;
    for (int64_t kk = k0; kk < k0 + kc;) {
      const int64_t tap = kk / cig, ci = kk % cig, len = std::min(cig - ci, k0 + kc - kk);
      const int64_t dz = tap / (c.kh * c.kw) * c.dil_d, dy = tap / c.kw % c.kh * c.dil_h;
      const int64_t dx = tap % c.kw * c.dil_w;
      for (int64_t r = 0; r < mr; ++r) {
        src[r] = nullptr;
        if (r >= valid) continue;
        const int64_t id = id0[r] + dz, ih = ih0[r] + dy, iw = iw0[r] + dx;
        if (id >= 0 && id < c.d && ih >= 0 && ih < c.h && iw >= 0 && iw < c.w)
          src[r] = x + (((img[r] * c.d + id) * c.h + ih) * c.w + iw) * c.cin + g * cig + ci;
      }
      pack_a_columns(src, mr, len, panel + (kk - k0) * mr);
      kk += len;
    }
  }
}

// In-place A: where filter tap `tap` of output pixels [m0, m0 + rows) reads its channels.
void conv_rows(const ConvGeometry& c, const float* x, int64_t g, int64_t m0, int64_t rows,
               int64_t tap, const float* zeros, const float** dst) {
  const int64_t dz = tap / (c.kh * c.kw) * c.dil_d, dy = tap / c.kw % c.kh * c.dil_h;
  const int64_t dx = tap % c.kw * c.dil_w;
  int64_t ow = m0 % c.wo, oh = m0 / c.wo % c.ho, od = m0 / (c.wo * c.ho) % c.dout;
  int64_t img = m0 / (c.wo * c.ho * c.dout);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t id = od * c.stride_d - c.pad_front + dz, ih = oh * c.stride_h - c.pad_top + dy;
    const int64_t iw = ow * c.stride_w - c.pad_left + dx;
    dst[r] = id >= 0 && id < c.d && ih >= 0 && ih < c.h && iw >= 0 && iw < c.w
                 ? x + (((img * c.d + id) * c.h + ih) * c.w + iw) * c.cin + g * c.cin_per_group()
                 : zeros;
    if (++ow == c.wo && (ow = 0, ++oh == c.ho) && (oh = 0, ++od == c.dout)) od = 0, ++img;
  }
}

// Few channels (an RGB stem), groups 1, no width dilation: the input is copied with its
// width padding made explicit (width wp), so that one filter row (kw * cin floats) of an
// output pixel is one run; taps outside the height or depth padding are zero runs.
int64_t padded_width(const ConvGeometry& c) {
  return std::max(c.w + c.pad_left, (c.wo - 1) * c.stride_w + c.kw);
}

void pad_width(const ConvGeometry& c, const float* x, float* dst) {
  const int64_t wp = padded_width(c);
  for (int64_t row = 0; row < c.n * c.d * c.h; ++row) {
    float* d = dst + row * wp * c.cin;
    std::fill(d, d + c.pad_left * c.cin, 0.0f);
    std::copy(x + row * c.w * c.cin, x + (row + 1) * c.w * c.cin, d + c.pad_left * c.cin);
    std::fill(d + (c.pad_left + c.w) * c.cin, d + wp * c.cin, 0.0f);
  }
}

void filter_row_runs(const ConvGeometry& c, const float* xp, int64_t m0, int64_t rows, int64_t run,
                     const float* zeros, const float** dst) {
  const int64_t wp = padded_width(c);
  const int64_t dz = run / c.kh * c.dil_d, dy = run % c.kh * c.dil_h;
  int64_t ow = m0 % c.wo, oh = m0 / c.wo % c.ho, od = m0 / (c.wo * c.ho) % c.dout;
  int64_t img = m0 / (c.wo * c.ho * c.dout);
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t id = od * c.stride_d - c.pad_front + dz, ih = oh * c.stride_h - c.pad_top + dy;
    dst[r] = id >= 0 && id < c.d && ih >= 0 && ih < c.h
                 ? xp + (((img * c.d + id) * c.h + ih) * wp + ow * c.stride_w) * c.cin
                 : zeros;
    if (++ow == c.wo && (ow = 0, ++oh == c.ho) && (oh = 0, ++od == c.dout)) od = 0, ++img;
  }
}

enum class ConvA { kPacked, kTapRuns, kFilterRowRuns };

}  // namespace

Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n, const MicroKernel* uk) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Tensor& w = g.tensor(n.inputs[1]);
  if (!w.is_static()) return ref::make_conv2d(g, n);
  OQNN_ASSIGN_OR_RETURN(ConvGeometry c, conv_geometry(g, n));
  const MicroKernel& kernel = uk ? *uk : best_micro_kernel();
  if (kernel.mr > kMaxMr)
    return internal_error("micro-kernel " + std::string(kernel.name) + " has too many rows");
  GemmShape shape{c.groups, c.n * c.dout * c.ho * c.wo, c.cout_per_group(),
                  c.kd * c.kh * c.kw * c.cin_per_group()};
  // Enough channels per tap: A is read in place, one run of channels per tap; else one
  // run per filter row where the layout allows, else packed.
  ConvA mode = ConvA::kPacked;
  if (c.cin_per_group() >= kMinInPlaceRun) {
    mode = ConvA::kTapRuns;
    shape.run = c.cin_per_group();
  } else if (c.groups == 1 && c.dil_w == 1 && c.kw * c.cin >= kMinInPlaceRun) {
    mode = ConvA::kFilterRowRuns;
    shape.run = c.kw * c.cin;
  }
  // (D)HWIO flattened is [(kd*)kh*kw*cin/group][cout]: depth index kk, column g*cog + j.
  auto gemm = std::make_shared<PackedGemm>(
      shape, kernel, StridedB{w.values<float>().data(), c.cout_per_group(), c.cout, 1});
  return make_fn_kernel([gemm, c, mode](std::span<const rt::HostTensor> in,
                                        std::span<const rt::HostTensor> out,
                                        const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    if (mode == ConvA::kFilterRowRuns) {
      std::vector<float> xp(static_cast<size_t>(c.n * c.d * c.h * padded_width(c) * c.cin));
      pad_width(c, x, xp.data());
      gemm->run(
          bias, c.act, nullptr,
          [&](int64_t, int64_t m0, int64_t rows, int64_t run, const float* zeros,
              const float** dst) { filter_row_runs(c, xp.data(), m0, rows, run, zeros, dst); },
          out[0].as<float>(), ctx.pool);
    } else if (mode == ConvA::kTapRuns)
      gemm->run(
          bias, c.act, nullptr,
          [&](int64_t gi, int64_t m0, int64_t rows, int64_t tap, const float* zeros,
              const float** dst) { conv_rows(c, x, gi, m0, rows, tap, zeros, dst); },
          out[0].as<float>(), ctx.pool);
    else
      gemm->run(
          bias, c.act,
          [&](int64_t gi, int64_t m0, int64_t rows, int64_t k0, int64_t kc, int mr, float* dst) {
            pack_im2col(c, x, gi, m0, rows, k0, kc, mr, dst);
          },
          nullptr, out[0].as<float>(), ctx.pool);
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::fast
