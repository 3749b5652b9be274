// The portable micro-kernel: 4x8 with 4-float vectors (SSE2 on x86-64, NEON on arm64).
#include "backends/cpu/fast/micro_kernel.h"

namespace oqnn::cpu::fast {

#define OQNN_UK_NAME gemm_f32_4x8_generic
#define OQNN_UK_ROWS_NAME gemm_f32_4x8_generic_rows
#define OQNN_UK_MR 4
#define OQNN_UK_NR 8
#define OQNN_UK_VW 4
#include "backends/cpu/fast/micro_kernel_impl.inc"

}  // namespace oqnn::cpu::fast
