// 6x16 micro-kernel for AVX2 + FMA: 12 accumulators, 2 B vectors and 1 broadcast fill
// the 16 ymm registers. Compiled with -mavx2 -mfma (see CMakeLists.txt); only called
// after micro_kernels() has checked the CPU.
#include "backends/cpu/fast/micro_kernel.h"

namespace oqnn::cpu::fast {

#define OQNN_UK_NAME gemm_f32_6x16_avx2
#define OQNN_UK_ROWS_NAME gemm_f32_6x16_avx2_rows
#define OQNN_UK_MR 6
#define OQNN_UK_NR 16
#define OQNN_UK_VW 8
#include "backends/cpu/fast/micro_kernel_impl.inc"

}  // namespace oqnn::cpu::fast
