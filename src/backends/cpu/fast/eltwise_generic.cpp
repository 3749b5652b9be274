// The portable table: SSE2 on x86-64, NEON on arm64.
#include "backends/cpu/fast/eltwise.h"

#define OQNN_ELT_NS eltwise_generic
#define OQNN_ELT_TABLE kEltwiseGeneric
#define OQNN_ELT_NAME "eltwise_f32_generic"
#include "backends/cpu/fast/eltwise_impl.inc"
