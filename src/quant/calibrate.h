// Calibration: runs a float graph in-process on the CPU kernels over a set of samples and
// records the range of every activation (graph inputs included), for quantize_graph().
#pragma once

#include <vector>

#include "ir/graph.h"
#include "quant/observers.h"
#include "support/status.h"

namespace oqnn::quant {

// input_sets[i][j]: the float32 values of graph input j for sample i, in the graph's
// layout. Errors (kBadInput) name the sample and input whose size does not fit.
Expected<ActivationRanges> calibrate(const ir::Graph& g,
                                     const std::vector<std::vector<std::vector<float>>>& input_sets,
                                     int num_threads);

}  // namespace oqnn::quant
