// Fast kernels for the ops that dominate CNN inference time. Each factory falls back to
// the reference kernel when its preconditions do not hold (e.g. weights that are not
// static). `uk` picks the GEMM micro-kernel (tests run every one this CPU has); null
// means the best available.
#pragma once

#include "backends/cpu/fast/dwconv_kernels.h"
#include "backends/cpu/fast/eltwise.h"
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

// The element-wise kernels: `isa` picks the EltwiseIsa table (tests run every one this CPU
// has); the two-argument forms use the best. Nodes they do not cover get the reference.
// unary_fast.cpp: Relu, ReluMinMax, Sigmoid, Tanh, ElementWiseExp, HardSwish, hard_sigmoid.
Expected<KernelPtr> make_unary(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa);
Expected<KernelPtr> make_unary(const ir::Graph& g, const ir::Node& n);
// binary_fast.cpp: Add/Subtract/Multiply/Divide/Maximum/Minimum (float32, int32), Prelu.
Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa);
Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n);
// norm_fast.cpp: Softmax over the innermost axis; LayerNorm / RmsNorm over trailing axes.
Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa);
Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_layer_norm(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa);
Expected<KernelPtr> make_layer_norm(const ir::Graph& g, const ir::Node& n);
// pool_fast.cpp: PoolMax2d / PoolAvg2d (NHWC), equal to the reference.
Expected<KernelPtr> make_pool_max2d(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa);
Expected<KernelPtr> make_pool_max2d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_pool_avg2d(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa);
Expected<KernelPtr> make_pool_avg2d(const ir::Graph& g, const ir::Node& n);
// transpose_fast.cpp: any rank, elements of 1, 2, 4 or 8 bytes (a byte mover).
Expected<KernelPtr> make_transpose(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::cpu::fast
