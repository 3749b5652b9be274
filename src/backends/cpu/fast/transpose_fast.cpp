// Transpose, any rank and element size 1, 2, 4 or 8: size-1 dimensions are dropped and
// output dimensions that stay adjacent in the input are merged, which leaves either rows
// the input holds contiguously (copied whole) or a batch of 2-D transposes between the
// output's last dimension and the one the input holds contiguously, done in 16x16 tiles
// so that reads and writes both stay within a few cache lines. Threaded over rows / tile
// rows; a byte mover, so the output equals the reference's whatever the split.
#include <cstring>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/parallel.h"
#include "backends/cpu/kernels.h"
#include "backends/cpu/ref/indexing_ref.h"

namespace oqnn::cpu::fast {
namespace {

constexpr int64_t kTile = 16;

struct TransposePlan {
  ir::Shape y;                // merged output dims, none of size 1
  std::vector<int64_t> step;  // input element stride of each
  size_t es = 4;
};

TransposePlan plan_transpose(const ir::Shape& x, const std::vector<int64_t>& perm, size_t es) {
  const std::vector<int64_t> in_strides = ref::elem_strides(x);
  TransposePlan p{{}, {}, es};
  for (int64_t d : perm) {
    const auto i = static_cast<size_t>(d);
    if (x[i] == 1) continue;
    if (!p.y.empty() && p.step.back() == in_strides[i] * x[i]) {  // adjacent in the input
      p.y.back() *= x[i];
      p.step.back() = in_strides[i];
    } else {
      p.y.push_back(x[i]);
      p.step.push_back(in_strides[i]);
    }
  }
  return p;
}

// Input offset of output row `r` over the dims [0, skip) and (skip, last) (row-major).
int64_t outer_offset(const TransposePlan& p, size_t skip, int64_t r, int64_t* out_off) {
  int64_t in = 0, out = 0, out_stride = p.y.back();
  for (size_t d = p.y.size() - 1; d-- > 0;) {
    if (d != skip) {
      in += (r % p.y[d]) * p.step[d];
      out += (r % p.y[d]) * out_stride;
      r /= p.y[d];
    }
    out_stride *= p.y[d];
  }
  *out_off = out;
  return in;
}

// Rows of the output's last dimension, contiguous in the input too.
void copy_rows(const TransposePlan& p, const std::byte* x, std::byte* y, int64_t begin,
               int64_t end) {
  const size_t row = static_cast<size_t>(p.y.back()) * p.es;
  for (int64_t r = begin; r < end; ++r) {
    int64_t out = 0;
    const int64_t in = outer_offset(p, p.y.size(), r, &out);
    std::memcpy(y + out * static_cast<int64_t>(p.es), x + in * static_cast<int64_t>(p.es), row);
  }
}

// Tile rows [begin, end) of the batch of [m x n] transposes: output dim k (size m, input
// stride 1, output stride ok) against the last output dim (size n, input stride s).
template <class T>
void transpose_tiles(const TransposePlan& p, size_t k, const T* x, T* y, int64_t begin,
                     int64_t end) {
  const int64_t m = p.y[k], n = p.y.back(), s = p.step.back();
  const int64_t ok = ref::dims_product(p.y, k + 1, p.y.size());
  const int64_t tile_rows = (m + kTile - 1) / kTile;
  for (int64_t t = begin; t < end; ++t) {
    int64_t out = 0;
    const int64_t in = outer_offset(p, k, t / tile_rows, &out);
    const int64_t i0 = (t % tile_rows) * kTile, i1 = std::min(m, i0 + kTile);
    for (int64_t j0 = 0; j0 < n; j0 += kTile) {
      const int64_t j1 = std::min(n, j0 + kTile);
      for (int64_t i = i0; i < i1; ++i) {
        const T* src = x + in + i;
        T* dst = y + out + i * ok;
        for (int64_t j = j0; j < j1; ++j) dst[j] = src[j * s];
      }
    }
  }
}

template <class T>
void run_transpose(const TransposePlan& p, const std::byte* x, std::byte* y,
                   const rt::KernelContext& ctx) {
  if (p.y.empty()) {  // one element
    std::memcpy(y, x, p.es);
    return;
  }
  size_t k = 0;  // the output dim the input holds contiguously
  while (p.step[k] != 1) ++k;
  const size_t last = p.y.size() - 1;
  const int64_t rows = ref::dims_product(p.y, 0, last);
  if (k == last) {
    auto run = [&](int64_t b, int64_t e) { copy_rows(p, x, y, b, e); };
    const int64_t grain = std::max<int64_t>(1, 65536 / (p.y.back() * static_cast<int64_t>(p.es)));
    parallel_items(ctx, rows, grain, run);
    return;
  }
  const int64_t items = rows / p.y[k] * ((p.y[k] + kTile - 1) / kTile);
  auto run = [&](int64_t b, int64_t e) {
    transpose_tiles(p, k, reinterpret_cast<const T*>(x), reinterpret_cast<T*>(y), b, e);
  };
  const int64_t grain = std::max<int64_t>(1, 16384 / (kTile * p.y.back()));
  parallel_items(ctx, items, grain, run);
}

}  // namespace

Expected<KernelPtr> make_transpose(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(KernelPtr ref, make_ref_kernel(g, n));
  const size_t es = ref::elem_size(g, n.inputs[0]);
  if (es != 1 && es != 2 && es != 4 && es != 8) return ref;
  const TransposePlan p = plan_transpose(shape_of(g, n.inputs[0]), n.params.get_ints("perm"), es);
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext& ctx) {
    const std::byte* x = in[0].data;
    std::byte* y = out[0].data;
    if (out[0].size == 0) return Status::ok();
    switch (p.es) {
      case 1:
        run_transpose<uint8_t>(p, x, y, ctx);
        break;
      case 2:
        run_transpose<uint16_t>(p, x, y, ctx);
        break;
      case 4:
        run_transpose<uint32_t>(p, x, y, ctx);
        break;
      default:
        run_transpose<uint64_t>(p, x, y, ctx);
    }
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::fast
