// reshape_q_fast / transpose_q_fast (and ChannelShuffle, a transpose) / concat_q_fast: the
// reference's data movement on typed codes. Equal encodings copy (memcpy for contiguous
// runs); different ones map each code through a table built from the reference's
// Requantizer over every code, so both give the reference's bytes. A transpose is reduced
// to its fewest dimensions; when the innermost output dimension is not the innermost input
// one, it copies 32 x 32 tiles so that reads and writes both stay in cache (uint8 from the
// AVX2 level up: 16 x 16 SSE2 block transposes inside them). Work is split
// over threads by rows or tiles.
#include <algorithm>
#include <cstring>
#include <limits>
#include <type_traits>
#include <vector>

#if defined(__x86_64__)
#include <emmintrin.h>
#define OQNN_HTP_SSE2 1
#endif

#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/isa.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/ref/layout_view.h"
#include "backends/htp/ref/qtensor.h"

namespace oqnn::htp::fast {
namespace {

// Code -> output code, or empty when the encodings agree.
template <class T>
std::vector<T> requant_table(const QParams& x, const QParams& y) {
  const Requantizer rq(x, y);
  std::vector<T> t;
  if (!rq.identity())
    for (int32_t q = 0; q <= std::numeric_limits<T>::max(); ++q) t.push_back(static_cast<T>(rq(q)));
  return t;
}

template <class T>
void copy_codes(const std::vector<T>& table, const T* __restrict x, T* __restrict y, int64_t n) {
  if (table.empty()) {
    std::memcpy(y, x, static_cast<size_t>(n) * sizeof(T));
    return;
  }
  for (int64_t i = 0; i < n; ++i) y[i] = table[x[i]];
}

// A permuted view: output dims (row-major) and the input stride of each.
struct Permuted {
  std::vector<int64_t> dims, in_stride;
};

// Drops unit dims and merges output neighbours that are also neighbours in the input.
Permuted simplify(const ir::Shape& out, const std::vector<int64_t>& in_stride) {
  Permuted p;
  for (size_t d = 0; d < out.size(); ++d) {
    if (out[d] == 1) continue;
    if (!p.dims.empty() && p.in_stride.back() == in_stride[d] * out[d]) {
      p.dims.back() *= out[d];
      p.in_stride.back() = in_stride[d];
      continue;
    }
    p.dims.push_back(out[d]);
    p.in_stride.push_back(in_stride[d]);
  }
  return p;
}

#ifdef OQNN_HTP_SSE2
// dst[i * dst_stride + j] = src[j * src_stride + i] for a 16 x 16 block of bytes: four
// rounds of interleaves; the rows come out in bit-reversed order.
void transpose16_u8(const uint8_t* src, int64_t src_stride, uint8_t* dst, int64_t dst_stride) {
  __m128i r[16], t[16];
  for (int k = 0; k < 16; ++k)
    r[k] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + k * src_stride));
  for (int k = 0; k < 8; ++k) {
    t[k] = _mm_unpacklo_epi8(r[2 * k], r[2 * k + 1]);
    t[k + 8] = _mm_unpackhi_epi8(r[2 * k], r[2 * k + 1]);
  }
  for (int k = 0; k < 8; ++k) {
    r[k] = _mm_unpacklo_epi16(t[2 * k], t[2 * k + 1]);
    r[k + 8] = _mm_unpackhi_epi16(t[2 * k], t[2 * k + 1]);
  }
  for (int k = 0; k < 8; ++k) {
    t[k] = _mm_unpacklo_epi32(r[2 * k], r[2 * k + 1]);
    t[k + 8] = _mm_unpackhi_epi32(r[2 * k], r[2 * k + 1]);
  }
  for (int k = 0; k < 8; ++k) {
    r[k] = _mm_unpacklo_epi64(t[2 * k], t[2 * k + 1]);
    r[k + 8] = _mm_unpackhi_epi64(t[2 * k], t[2 * k + 1]);
  }
  constexpr int kRow[16] = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};
  for (int m = 0; m < 16; ++m)
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + kRow[m] * dst_stride), r[m]);
}
#endif

template <class T>
class PermuteFast final : public rt::HostKernel {
 public:
  // `blocks`: transpose 16 x 16 byte blocks with SSE2 (uint8 copies at the AVX2 level and up).
  PermuteFast(std::vector<T> table, Permuted p, SimdLevel isa)
      : table_(std::move(table)), p_(std::move(p)) {
#ifdef OQNN_HTP_SSE2
    blocks_ = std::is_same_v<T, uint8_t> && table_.empty() && isa != SimdLevel::kPortable;
#else
    (void)isa;
#endif
    const size_t r = p_.dims.size();
    out_stride_.assign(r, 1);
    for (size_t d = r; d-- > 1;) out_stride_[d - 1] = out_stride_[d] * p_.dims[d];
    for (size_t d = 0; d < r; ++d)
      if (p_.in_stride[d] == 1) unit_ = d;  // the innermost input dim (r > 0)
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* x = in[0].as<T>();
    T* y = reinterpret_cast<T*>(out[0].data);
    const size_t r = p_.dims.size();
    if (out[0].elements() == 0) return Status::ok();
    if (r <= 1) {  // a plain copy
      copy_codes(table_, x, y, out[0].elements());
      return Status::ok();
    }
    const int64_t last = p_.dims[r - 1];
    if (unit_ == r - 1) {  // contiguous output rows
      const int64_t rows = out[0].elements() / last;
      parallel_rows(ctx, rows, last, [&](int64_t r0, int64_t r1) {
        for (int64_t row = r0; row < r1; ++row)
          copy_codes(table_, x + in_offset(row, r - 1), y + row * last, last);
      });
      return Status::ok();
    }
    // Tiles of kTile along the unit dim; rows = every other index but the last dim's.
    const int64_t pn = p_.dims[unit_], tiles = (pn + kTile - 1) / kTile;
    const int64_t outer = out[0].elements() / (last * pn);
    parallel_rows(ctx, outer * tiles, kTile * last, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) tile(x, y, i / tiles, i % tiles * kTile);
    });
    return Status::ok();
  }

 private:
  static constexpr int64_t kTile = 32;

  // Input offset of output row `row` over dims [0, r) (dims past r at 0).
  int64_t in_offset(int64_t row, size_t r) const {
    int64_t off = 0;
    for (size_t d = r; d-- > 0;) {
      off += row % p_.dims[d] * p_.in_stride[d];
      row /= p_.dims[d];
    }
    return off;
  }

  // Outer index `o` over the dims other than unit_ and the last; unit indices [p0, p0 + 32).
  void tile(const T* x, T* y, int64_t o, int64_t p0) const {
    const size_t r = p_.dims.size();
    int64_t xo = 0, yo = 0;
    for (size_t d = r - 1; d-- > 0;) {
      if (d == unit_) continue;
      const int64_t i = o % p_.dims[d];
      o /= p_.dims[d];
      xo += i * p_.in_stride[d];
      yo += i * out_stride_[d];
    }
    const int64_t pn = std::min(kTile, p_.dims[unit_] - p0), last = p_.dims[r - 1];
    const int64_t xs = p_.in_stride[r - 1], ys = out_stride_[unit_];
    const T* __restrict src = x + xo + p0;
    T* __restrict dst = y + yo + p0 * ys;
    for (int64_t j0 = 0; j0 < last; j0 += kTile) {
      const int64_t jn = std::min(kTile, last - j0);
      int64_t i_done = 0, j_done = j0;  // [0, i_done) x [j0, j_done) went by blocks
#ifdef OQNN_HTP_SSE2
      if constexpr (std::is_same_v<T, uint8_t>) {
        if (blocks_) {
          i_done = pn / 16 * 16;
          j_done = j0 + jn / 16 * 16;
          for (int64_t i = 0; i < i_done; i += 16)
            for (int64_t j = j0; j < j_done; j += 16)
              transpose16_u8(src + j * xs + i, xs, dst + i * ys + j, ys);
        }
      }
#endif
      for (int64_t i = 0; i < pn; ++i)
        for (int64_t j = i < i_done ? j_done : j0; j < j0 + jn; ++j) {
          const T q = src[j * xs + i];
          dst[i * ys + j] = table_.empty() ? q : table_[q];
        }
    }
  }

  std::vector<T> table_;
  Permuted p_;
  std::vector<int64_t> out_stride_;
  size_t unit_ = 0;
  bool blocks_ = false;
};

template <class T>
class ConcatFast final : public rt::HostKernel {
 public:
  ConcatFast(std::vector<std::vector<T>> tables, int64_t outer, std::vector<int64_t> chunk)
      : tables_(std::move(tables)), outer_(outer), chunk_(std::move(chunk)) {
    for (int64_t c : chunk_) row_ += c;
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    T* y = reinterpret_cast<T*>(out[0].data);
    parallel_rows(ctx, outer_, row_, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        T* dst = y + b * row_;
        for (size_t k = 0; k < in.size(); ++k) {
          copy_codes(tables_[k], in[k].as<T>() + b * chunk_[k], dst, chunk_[k]);
          dst += chunk_[k];
        }
      }
    });
    return Status::ok();
  }

 private:
  std::vector<std::vector<T>> tables_;
  int64_t outer_, row_ = 0;
  std::vector<int64_t> chunk_;
};

template <class T>
Expected<KernelPtr> make_layout_typed(const ir::Graph& g, const ir::Node& n,
                                      const std::vector<QParams>& x, const QParams& y) {
  const ir::Shape& xs = g.tensor(n.inputs[0]).shape;
  if (n.op == "Reshape")
    return KernelPtr(new PermuteFast<T>(requant_table<T>(x[0], y), {}, active_level()));
  if (n.op == "Transpose" || n.op == "ChannelShuffle") {
    const PermutedView v = permuted_view(n, xs);
    return KernelPtr(new PermuteFast<T>(requant_table<T>(x[0], y), simplify(v.dims, v.in_stride),
                                        active_level()));
  }
  ConcatChunks c = concat_chunks(g, n);
  std::vector<std::vector<T>> tables;
  for (const QParams& q : x) tables.push_back(requant_table<T>(q, y));
  return KernelPtr(new ConcatFast<T>(std::move(tables), c.outer, std::move(c.chunk)));
}

}  // namespace

Expected<KernelPtr> make_layout(const ir::Graph& g, const ir::Node& n) {
  const bool fast_op =
      n.op == "Reshape" || n.op == "Transpose" || n.op == "ChannelShuffle" || n.op == "Concat";
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(ty, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, qparams_of(ty, n));
  std::vector<QParams> x;
  bool same_dtype = true;
  for (ir::TensorId t : n.inputs) {
    OQNN_ASSIGN_OR_RETURN(QParams q, activation_qparams(g.tensor(t), n));
    x.push_back(q);
    same_dtype = same_dtype && g.tensor(t).dtype == ty.dtype;
  }
  if (!fast_op || !same_dtype) return ref::make_layout(g, n);
  if (ty.dtype == ir::DataType::kUInt8) return make_layout_typed<uint8_t>(g, n, x, y);
  return make_layout_typed<uint16_t>(g, n, x, y);
}

}  // namespace oqnn::htp::fast
