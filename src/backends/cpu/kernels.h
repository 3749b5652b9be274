// The CPU backend's kernels (fp32): one per op of the op table. Besides libQnnCpu.so, the
// converter uses them in-process to evaluate graphs: constant folding and calibration.
// Built as the static library oqnn_cpu_kernels.
#pragma once

#include <memory>

#include "ir/graph.h"
#include "runtime/host_plan.h"

namespace oqnn::cpu {

// The fastest available kernel for `node` (fast kernels where they exist, else reference).
Expected<std::unique_ptr<rt::HostKernel>> make_kernel(const ir::Graph& g, const ir::Node& node);
// Always the reference kernel (the oracle fast kernels are tested against).
Expected<std::unique_ptr<rt::HostKernel>> make_ref_kernel(const ir::Graph& g, const ir::Node& node);

}  // namespace oqnn::cpu
