// Packed GEMM for the fast kernels: C[m, groups*n] = A_g[m, k] * B_g[k, n] per group g
// (group g writes columns [g*n, (g+1)*n)), plus bias, clamped to the fused activation.
// B is packed once when the kernel is created (or per run when it is an input, MatMul);
// A is either read in place through row pointers (runs of contiguous depth: a pixel's
// channels for one filter tap, a FullyConnected row) or packed per block of rows by a
// caller-supplied function (small channel counts, transposed MatMul inputs).
//
// Work is a list of (group, row block, column chunk) items whose sizes depend only on
// the problem shape, spread over the thread pool; every output element is computed by
// one micro-kernel chain over k in order, so results are byte-identical for any number
// of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "backends/cpu/fast/micro_kernel.h"
#include "backends/cpu/kernel_util.h"
#include "runtime/thread_pool.h"

namespace oqnn::cpu::fast {

// The most rows a micro-kernel may have (its row pointers live on the stack).
constexpr int kMaxMr = 16;

// Floats on a 64-byte boundary (a packed B row of 16 floats is one cache line).
class AlignedFloats {
 public:
  AlignedFloats() = default;
  explicit AlignedFloats(size_t count);
  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  size_t size() const { return size_; }

 private:
  struct Free {
    void operator()(float* p) const;
  };
  std::unique_ptr<float, Free> data_;
  size_t size_ = 0;
};

struct GemmShape {
  int64_t groups = 1, m = 0, n = 0, k = 0;  // n and k per group
  // Output: group g, row i, column j at c[g * c_group_stride + i * ldc + j]. Zero means
  // the convolution layout (groups side by side in a row): ldc = groups * n, stride n.
  int64_t ldc = 0, c_group_stride = 0;
  // In-place A (RowsFn): the depth is k / run runs of `run` contiguous floats each.
  int64_t run = 0;
};

// Fills `dst` with ceil(rows / mr) panels, each [kc][mr] (row r of a panel at dst[k*mr + r]),
// for rows [m0, m0 + rows) and columns [k0, k0 + kc) of group g's A; rows past `rows`
// in the last panel are zero.
using PackAFn = std::function<void(int64_t g, int64_t m0, int64_t rows, int64_t k0, int64_t kc,
                                   int mr, float* dst)>;

// A read in place, without packing: sets dst[i] (i < rows) to where run `run` (depth
// [run * shape.run, (run + 1) * shape.run)) of group g's row m0 + i starts, or to `zeros`
// (shape.run zero floats) where that run is padding.
using RowsFn = std::function<void(int64_t g, int64_t m0, int64_t rows, int64_t run,
                                  const float* zeros, const float** dst)>;

// Copies `len` floats from each of `mr` sources into column r of a [len][mr] panel slice
// (a null source gives zeros: padding).
void pack_a_columns(const float* const* src, int mr, int64_t len, float* dst);

// Where B_g[kk][j] lives: data[g * group_stride + kk * row_stride + j * col_stride], or
// with group_data set (broadcast batches), group_data[g][kk * row_stride + j * col_stride].
struct StridedB {
  const float* data;
  int64_t group_stride, row_stride, col_stride;
  const float* const* group_data = nullptr;
};

class PackedGemm {
 public:
  // b.data and b.group_data null: B comes with each run (pack_b), e.g. MatMul's second input.
  PackedGemm(GemmShape shape, const MicroKernel& uk, StridedB b);
  // bias: groups*n values or null. c: the output (layout in GemmShape). Exactly one of
  // pack_a and rows is set (rows needs shape.run). packed_b: from pack_b, or null for the
  // B given at construction.
  void run(const float* bias, ActivationRange act, const PackAFn& pack_a, const RowsFn& rows,
           float* c, rt::ThreadPool* pool, const float* packed_b = nullptr);
  // B in the micro-kernel's panel order: packed_b_size() floats.
  size_t packed_b_size() const;
  void pack_b(StridedB b, float* dst, rt::ThreadPool* pool) const;

 private:
  // One pass over the depth: [k0, k0 + kc), which in-place A reads as runs
  // [run0, run0 + runs) from offset `offset` within each run (kc = runs * len).
  struct DepthBlock {
    int64_t k0, kc, run0, runs, offset, len;
  };
  struct Blocking {
    int64_t mc, m_blocks, panels, chunk_panels, chunks, items;
    std::vector<DepthBlock> depth;
  };
  struct Scratch {
    AlignedFloats a;                 // packed A of one row block
    std::vector<const float*> rows;  // in-place A: [row panel][run][mr]
  };
  void run_items(int64_t begin, int64_t end, const float* bias, ActivationRange act,
                 const PackAFn& pack_a, const RowsFn& rows, const float* packed_b, float* c);
  std::unique_ptr<Scratch> make_scratch() const;
  std::unique_ptr<Scratch> take_scratch();
  void give_scratch(std::unique_ptr<Scratch> s);

  GemmShape shape_;
  MicroKernel uk_;
  Blocking blk_;
  AlignedFloats b_;      // [group][panel][k][nr]
  AlignedFloats zeros_;  // shape.run zeros: padding runs of in-place A
  std::mutex scratch_mu_;
  std::vector<std::unique_ptr<Scratch>> scratch_;  // per-thread buffers, reused
};

}  // namespace oqnn::cpu::fast
