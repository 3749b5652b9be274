// Chooses the HTP kernel for a node of a finalized graph: the fast kernels where one exists
// (convolutions, FullyConnected, element-wise arithmetic, lookup tables, pools, data
// movement; bit-identical to the reference, tested), the reference kernels for everything
// else — or the reference kernels only, for tests and debugging.
#pragma once

#include "runtime/host_plan.h"

namespace oqnn::htp {

enum class KernelVariant { kFast, kReference };

Expected<std::unique_ptr<rt::HostKernel>> make_kernel(const ir::Graph& g, const ir::Node& n,
                                                      KernelVariant variant);
rt::KernelFactory kernel_factory(KernelVariant variant);

}  // namespace oqnn::htp
