// Fast kernels for the ops that dominate CNN inference time. Each factory falls back to
// the reference kernel when its preconditions do not hold (e.g. weights that are not
// static). `uk` picks the GEMM micro-kernel (tests run every one this CPU has); null
// means the best available.
#pragma once

#include "backends/cpu/fast/dwconv_kernels.h"
#include "backends/cpu/fast/micro_kernel.h"
#include "backends/cpu/kernel_util.h"

namespace oqnn::cpu::fast {

// conv_fast.cpp: packed weights, implicit im2col, GEMM.
Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n,
                                const MicroKernel* uk = nullptr);
// dwconv_fast.cpp: direct NHWC loop vectorized over channels, threaded over output rows.
// `dk` picks the row kernel (tests run every one); null means the best available.
Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n,
                                          const DwKernel* dk = nullptr);
// fc_fast.cpp: packed weights, GEMM.
Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n,
                                         const MicroKernel* uk = nullptr);

// matmul_fast.cpp: batched, broadcast, transposes; B packed once (static) or per run.
Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n,
                                const MicroKernel* uk = nullptr);

}  // namespace oqnn::cpu::fast
