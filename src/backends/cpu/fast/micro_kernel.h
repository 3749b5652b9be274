// GEMM micro-kernels: one MR x NR register tile of C updated with a packed A panel
// ([kc][MR]) times a packed B panel ([kc][NR]). Each variant lives in its own
// translation unit compiled for its ISA; micro_kernels() lists those this CPU can run,
// best first. Every output element is one chain of multiply-adds over k in order, so a
// result does not depend on which tile (or thread) computed it.
#pragma once

#include <cstdint>
#include <span>

namespace oqnn::cpu::fast {

enum MicroKernelFlags : int {
  kTileInit = 1,  // start from the NR bias values instead of the C tile
  kTileLast = 2,  // clamp to [lo, hi] before storing (the fused activation)
};

// a: a packed panel [kc][mr]; b: a packed panel [kc][nr]; c: the tile (row stride ldc).
using MicroKernelFn = void (*)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc,
                               const float* bias, int flags, float lo, float hi);
// A read in place: `runs` runs of `len` depth values, run i of row r at a[i * mr + r][0, len)
// (e.g. one filter tap's channels of one output pixel); b: packed [runs * len][nr]; only
// the first `rows` (1..mr) rows of the tile are computed and stored. The same multiply-add
// chain as MicroKernelFn over the concatenated runs.
using MicroKernelRowsFn = void (*)(int rows, int64_t runs, int64_t len, const float* const* a,
                                   const float* b, float* c, int64_t ldc, const float* bias,
                                   int flags, float lo, float hi);

struct MicroKernel {
  const char* name;  // e.g. "gemm_f32_6x16_avx2"
  int mr, nr;
  MicroKernelFn fn;
  MicroKernelRowsFn rows_fn;
};

// Available on this CPU, best first; never empty (the portable kernel is always there).
std::span<const MicroKernel> micro_kernels();
inline const MicroKernel& best_micro_kernel() {
  return micro_kernels().front();
}

// The variants (defined in micro_kernel_<isa>.cpp).
#define OQNN_DECLARE_MICRO_KERNEL(name)                                                           \
  void name(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, const float* bias, \
            int flags, float lo, float hi);                                                       \
  void name##_rows(int rows, int64_t runs, int64_t len, const float* const* a, const float* b,    \
                   float* c, int64_t ldc, const float* bias, int flags, float lo, float hi);
OQNN_DECLARE_MICRO_KERNEL(gemm_f32_4x8_generic)
#if defined(__x86_64__)
OQNN_DECLARE_MICRO_KERNEL(gemm_f32_12x32_avx512)
OQNN_DECLARE_MICRO_KERNEL(gemm_f32_6x16_avx2)
#endif
#undef OQNN_DECLARE_MICRO_KERNEL

}  // namespace oqnn::cpu::fast
