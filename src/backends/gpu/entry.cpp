// The one symbol libQnnGpu.so exports: OqnnBackend_getInterface.
#include "backends/gpu/capabilities.h"
#include "backends/gpu/gpu_backend.h"
#include "runtime/backend_glue.h"

OQNN_DEFINE_BACKEND("gpu", OQNN_BACKEND_GPU, OQNN_GPU_VERSION, oqnn::gpu::kGpuCapabilities,
                    oqnn::gpu::make_gpu_backend)
