// The HTP fast kernels: Conv2d (and Conv3d), DepthWiseConv2d and FullyConnected with
// weights packed once (centred, in the kernel's dot-product order), narrow integer dot
// products the compiler vectorizes, and work split over output rows by the plan's thread
// pool. Integer sums are exact, so they equal the reference kernels bit for bit whatever
// the split (tested).
#pragma once

#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::fast {

using ref::KernelPtr;

Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n);
// ElementWiseAdd / Subtract / Multiply (eltwise_fast.cpp).
Expected<KernelPtr> make_eltwise(const ir::Graph& g, const ir::Node& n);
// Every lookup-table op (lut_fast.cpp): the reference's table, typed.
Expected<KernelPtr> make_lut(const ir::Graph& g, const ir::Node& n);
// PoolMax2d / PoolAvg2d / PoolMax3d / PoolAvg3d, NHWC (pool_fast.cpp).
Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n);
// Reshape, Transpose, ChannelShuffle, Concat (layout_fast.cpp); Pad stays reference.
Expected<KernelPtr> make_layout(const ir::Graph& g, const ir::Node& n);
// The float-inside ops (float_inside_fast.cpp): ref::make_float_inside's plan between
// table dequantization and hoisted quantization, byte-identical to it.
Expected<KernelPtr> make_float_inside(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::htp::fast
