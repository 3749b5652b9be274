// Compiled with -mavx512f (see CMakeLists.txt); only used after eltwise_isas() has checked the CPU.
#include "backends/cpu/fast/eltwise.h"

#define OQNN_ELT_NS eltwise_avx512
#define OQNN_ELT_TABLE kEltwiseAvx512
#define OQNN_ELT_NAME "eltwise_f32_avx512"
#include "backends/cpu/fast/eltwise_impl.inc"
