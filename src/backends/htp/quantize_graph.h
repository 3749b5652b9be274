// HTP finalize, graph half: turns the float-typed graph the runtime hands over (encodings
// on activations and usually on weights) into the quantized graph the kernels run.
//  1. validate: known ops, every non-static tensor has an encoding (else a kBadInput error
//     that lists them and says how to calibrate);
//  2. activations: retyped to uint8/uint16, keeping their (per-tensor) encodings; signed
//     encodings are re-expressed as unsigned ones over the same range;
//  3. static operands, by role: weights quantized with their encoding (int8 symmetric
//     per-tensor from their data when they have none), bias to int32 at s_in * s_w (per
//     channel with per-channel weights), everything else with its encoding or a tf
//     encoding from its data. Static data becomes the quantized bytes.
// A Quantize's output and a Dequantize's input stay integer codes (ref/qtensor.h): their
// node's scale and zero point are their encoding; a Dequantize's output without an
// encoding keeps that grid (no loss).
#pragma once

#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::htp {

struct QuantizeOptions {
  // precision_mode "int16": 8-bit activation encodings are widened to 16 bits.
  bool widen_activations_to_16 = false;
};

Expected<ir::Graph> quantize_graph(ir::Graph g, const QuantizeOptions& options);

// Which tensors are integer codes (is_integer_codes, written by a Quantize or read by a
// Dequantize); unsupported, naming the node, where another node touches one.
Expected<std::vector<bool>> integer_codes(const ir::Graph& g);

// Pieces of quantize_graph, exposed for tests.
Status check_encodings(ir::Graph& g);  // propagates through value-preserving ops, then checks
Status quantize_activations(ir::Graph& g, const QuantizeOptions& options);
Status quantize_static_operands(ir::Graph& g);

}  // namespace oqnn::htp
