// libQnnCpu.so's only exported symbol: OqnnBackend_getInterface.
#include "backends/cpu/backend/cpu_backend.h"
#include "backends/cpu/kernel_registry.h"
#include "runtime/backend_glue.h"

OQNN_DEFINE_BACKEND("cpu", OQNN_BACKEND_CPU, OQNN_CPU_BACKEND_VERSION, oqnn::cpu::capabilities(),
                    oqnn::cpu::create_cpu_backend)
