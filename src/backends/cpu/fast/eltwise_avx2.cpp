// Compiled with -mavx2 (see CMakeLists.txt); only used after eltwise_isas() has checked the CPU.
#include "backends/cpu/fast/eltwise.h"

#define OQNN_ELT_NS eltwise_avx2
#define OQNN_ELT_TABLE kEltwiseAvx2
#define OQNN_ELT_NAME "eltwise_f32_avx2"
#include "backends/cpu/fast/eltwise_impl.inc"
