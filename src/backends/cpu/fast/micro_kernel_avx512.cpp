// 12x32 micro-kernel for AVX-512F: 24 accumulators, 2 B vectors and 1 broadcast in the 32
// zmm registers. Compiled with -mavx512f -mfma (see CMakeLists.txt); only called after
// micro_kernels() has checked the CPU. Each output element is the same chain of fused
// multiply-adds over k as in the AVX2 kernel, so both give bit-identical results.
#include "backends/cpu/fast/micro_kernel.h"

namespace oqnn::cpu::fast {

#define OQNN_UK_NAME gemm_f32_12x32_avx512
#define OQNN_UK_ROWS_NAME gemm_f32_12x32_avx512_rows
#define OQNN_UK_MR 12
#define OQNN_UK_NR 32
#define OQNN_UK_VW 16
#include "backends/cpu/fast/micro_kernel_impl.inc"

}  // namespace oqnn::cpu::fast
