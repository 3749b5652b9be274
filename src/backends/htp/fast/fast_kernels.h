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

}  // namespace oqnn::htp::fast
