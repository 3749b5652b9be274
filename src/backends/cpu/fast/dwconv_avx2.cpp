// DepthWiseConv2d rows for avx2 (flags in CMakeLists.txt; only called after dw_kernels()
// has checked the CPU).
#include "backends/cpu/fast/dwconv_kernels.h"

namespace oqnn::cpu::fast {

#define OQNN_DW_NAME dwconv_row_avx2
#include "backends/cpu/fast/dwconv_impl.inc"

}  // namespace oqnn::cpu::fast
