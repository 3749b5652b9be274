// Assigns quantization encodings to a float graph (DESIGN §4): activations from overrides
// or calibration ranges, weights from overrides or their data; value-preserving ops share
// their input's encoding. The graph keeps its float dtypes; backends (HTP finalize)
// quantize with these encodings, and derive bias encodings (int32, s_in * s_w) themselves.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "quant/observers.h"
#include "quant/overrides.h"
#include "support/status.h"

namespace oqnn::quant {

struct QuantizeOptions {
  int act_bitwidth = 8;                       // 8 or 16
  int weight_bitwidth = 8;                    // 4, 8 or 16
  int bias_bitwidth = 32;                     // 8 or 32 (for overrides naming a bias)
  std::string param_quantizer = "symmetric";  // "symmetric" (int, offset 0) | "tf" (uint)
  bool strict = false;       // an override naming no tensor is an error, not a warning
  bool per_channel = false;  // conv/FC weights per output channel (always symmetric)
};

// Float-fallback tensors (overrides with dtype float) carry no encoding; quantize_graph
// records each as the graph attribute "float_fallback.<tensor name>" = "16" | "32", so
// that later steps can tell a deliberate float tensor from one nobody calibrated.
inline constexpr std::string_view kFloatFallbackAttr = "float_fallback.";

// Precedence per tensor: an override naming it; else an encoding it already carries (so
// a partly quantized graph can be completed); else a calibration range (activations, tf
// rule) or its data (weights). Biases (input 2 of Conv2d/DepthWiseConv2d/FullyConnected)
// get an encoding only from an override. Activations left without one are reported in a
// warning and left as they are: the caller decides whether that is an error. Warnings go
// to `warnings`, or to the log when it is null.
Status quantize_graph(ir::Graph& g, const QuantizeOptions& o, const EncodingOverrides* overrides,
                      const ActivationRanges* ranges, std::vector<std::string>* warnings);

}  // namespace oqnn::quant
