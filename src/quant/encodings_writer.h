// Writes the encodings a graph carries in AIMET's 1.0.0 JSON form (--dump_encodings), so
// that a conversion can be reproduced (feed the file back as --quantization_overrides)
// and diffed: entries sorted by name, one per line, numbers in the shortest form that
// reads back to the identical double.
#pragma once

#include <string>

#include "ir/graph.h"

namespace oqnn::quant {

// Activations (non-static tensors) and params (static tensors) with an encoding, plus the
// float-fallback tensors quantize_graph() recorded, under their graph (ONNX) names.
// Signed encodings are written over the unsigned range as AIMET does (offset - 2^(bw-1)),
// which load_overrides() reads back to the same encoding.
std::string encodings_to_json(const ir::Graph& g);

}  // namespace oqnn::quant
