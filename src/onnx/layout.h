// ONNX spatial ops are channel-first (NCHW); IR spatial ops are channel-last (NHWC). A
// translated spatial op is wrapped as Transpose(0,2,3,1) → op → Transpose(0,3,1,2), so
// every other op keeps ONNX semantics; a later pass cancels the transpose pairs.
// Tensor names: the ONNX value keeps its name on the ONNX-layout tensor; the channel-last
// twins are named "<value>_nhwc".
#pragma once

#include "onnx/import_context.h"

namespace oqnn::onnx_import {

// Permutation moving axis 1 to the end, and its inverse.
std::vector<int64_t> to_channel_last_perm(size_t rank);
std::vector<int64_t> to_channel_first_perm(size_t rank);

// The channel-last twin of ONNX-layout tensor `x` (one Transpose per tensor, reused).
Expected<ir::TensorId> channel_last(ImportContext& ctx, const OnnxNode& n, ir::TensorId x);
// Emits the main op of `n` on channel-last tensors, then the Transpose back to ONNX layout,
// bound to the node's output 0.
Status emit_channel_last(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                         std::vector<ir::TensorId> inputs, ir::Params params);
// The Transpose of channel-last `y` back to ONNX layout (node "<name><suffix>"), bound to
// the node's output 0.
Status bind_channel_first(ImportContext& ctx, const OnnxNode& n, ir::TensorId y,
                          const std::string& suffix);

// 1-D spatial ops run as their 2-D op over an H = 1 image: the channel-last twin
// [N, W, C] of an ONNX [N, C, W] tensor, reshaped to [N, 1, W, C] ...
Expected<ir::TensorId> channel_last_row(ImportContext& ctx, const OnnxNode& n, ir::TensorId x);
// ... and the 2-D op's [N, 1, Wo, C'] output reshaped to [N, Wo, C'], then transposed back
// to the node's ONNX output 0.
Status emit_channel_last_row(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                             std::vector<ir::TensorId> inputs, ir::Params params);
// Windowed ops (Conv, ConvTranspose, pools): the input as a row image when it is 1-D
// ([N, C, W]), else its channel-last twin; and the op emitted back the matching way.
Expected<ir::TensorId> window_input(ImportContext& ctx, const OnnxNode& n, ir::TensorId x);
Status emit_window_op(ImportContext& ctx, const OnnxNode& n, const std::string& op, bool row,
                      std::vector<ir::TensorId> inputs, ir::Params params);

}  // namespace oqnn::onnx_import
