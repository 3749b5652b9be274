// Packed GEMM for the fast kernels: C[m, groups*n] = A_g[m, k] * B_g[k, n] per group g
// (group g writes columns [g*n, (g+1)*n)), plus bias, clamped to the fused activation.
// B is packed once when the kernel is created; A is packed per block of rows by a
// caller-supplied function (plain rows for FullyConnected, implicit im2col for Conv2d).
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
};

// Fills `dst` with ceil(rows / mr) panels, each [kc][mr] (row r of a panel at dst[k*mr + r]),
// for rows [m0, m0 + rows) and columns [k0, k0 + kc) of group g's A; rows past `rows`
// in the last panel are zero.
using PackAFn = std::function<void(int64_t g, int64_t m0, int64_t rows, int64_t k0, int64_t kc,
                                   int mr, float* dst)>;

// Copies `len` floats from each of `mr` sources into column r of a [len][mr] panel slice
// (a null source gives zeros: padding).
void pack_a_columns(const float* const* src, int mr, int64_t len, float* dst);

// Where B_g[kk][j] lives: data[g * group_stride + kk * row_stride + j * col_stride].
struct StridedB {
  const float* data;
  int64_t group_stride, row_stride, col_stride;
};

class PackedGemm {
 public:
  PackedGemm(GemmShape shape, const MicroKernel& uk, StridedB b);
  // bias: groups*n values or null. c: m rows of groups*n floats.
  void run(const float* bias, ActivationRange act, const PackAFn& pack_a, float* c,
           rt::ThreadPool* pool);

 private:
  struct Blocking {
    int64_t mc, m_blocks, k_blocks, kc, panels, chunk_panels, chunks, items;
  };
  void run_items(int64_t begin, int64_t end, const float* bias, ActivationRange act,
                 const PackAFn& pack_a, float* c);
  std::unique_ptr<AlignedFloats> take_scratch();
  void give_scratch(std::unique_ptr<AlignedFloats> s);

  GemmShape shape_;
  MicroKernel uk_;
  Blocking blk_;
  AlignedFloats b_;  // [group][panel][k][nr]
  std::mutex scratch_mu_;
  std::vector<std::unique_ptr<AlignedFloats>> scratch_;  // packed-A buffers, reused
};

}  // namespace oqnn::cpu::fast
