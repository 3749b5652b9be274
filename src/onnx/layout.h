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

}  // namespace oqnn::onnx_import
