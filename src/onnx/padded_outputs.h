// The static-output form (ir/ops/detection.h) after import: a padded tensor (output 0 of
// NonMaxSuppression or NonZero) is followed through the consumers that are exact on its
// valid prefix (element-wise ops, Cast, Transpose, Reshape/StridedSlice/Split keeping the
// padded axis, Gather by it or along another axis); any other consumer, and any Shape/Size
// read of such a tensor, would see the padding and differ from onnxruntime, so it is
// refused as unsupported, naming the node. A padded tensor that is a graph output brings its
// count along as a graph output too, and the graph records the pairing as attributes
// "valid_count.<output>" = the count's name and "valid_axis.<output>" = the padded axis.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "onnx/import_context.h"

namespace oqnn::onnx_import {
struct PaddingRefusal {
  std::string node, op, reason;  // the node (its IR or ONNX op) and why
};
// For dry runs: the first node (of all the graph's, live or not) that would see padding.
std::optional<PaddingRefusal> padding_refusal(const ImportContext& ctx);
// `live[i]`: whether node i contributes to a graph output (the others are pruned).
Status mark_padded_outputs(ImportContext& ctx, const std::vector<bool>& live);
}  // namespace oqnn::onnx_import
