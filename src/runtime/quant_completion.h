// Completing a partly quantized graph at context-binary time (DESIGN §1): when an HTP
// finalize meets activations without encodings and an --input_list was given, the graph is
// run in float over those inputs (quant::calibrate) and only the missing encodings are
// filled (quant::quantize_graph keeps every encoding a tensor already carries, and
// float-fallback tensors stay float).
#pragma once

#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/input_list.h"
#include "support/status.h"

namespace oqnn::rt {

// Non-static float tensors that carry no encoding and are not float fallback.
std::vector<std::string> tensors_missing_encodings(const ir::Graph& g);

// Reads every line of `list` as float32 values of the graph's inputs (calibration samples).
Expected<std::vector<std::vector<std::vector<float>>>> read_calibration_inputs(
    const ir::Graph& g, const InputList& list);

// Calibrates over `list` and fills the missing encodings; a no-op when none are missing.
Status complete_quantization(ir::Graph& g, const InputList& list);
// The same over samples already in memory (samples[i][j]: float32 values of graph input j
// in sample i, as read_calibration_inputs returns them).
Status complete_quantization(ir::Graph& g,
                             const std::vector<std::vector<std::vector<float>>>& samples);

}  // namespace oqnn::rt
