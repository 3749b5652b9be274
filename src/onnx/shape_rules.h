// ONNX shape arithmetic shared by the constant folder and the translators, so that a
// Reshape or Squeeze means the same whether its input is a constant or an activation.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ir/ops/indexing.h"
#include "ir/types.h"
#include "onnx/const_tensor.h"
#include "onnx/onnx_node.h"
#include "support/status.h"

namespace oqnn::onnx_import {

// Folded constants larger than this are refused (a model asking for more is malformed).
constexpr int64_t kMaxFoldElements = int64_t{1} << 28;
// The element count of `s` when it is non-negative and at most kMaxFoldElements.
std::optional<int64_t> checked_numel(const ir::Shape& s);

// Normalizes a possibly negative axis against `rank`; nullopt when out of range.
std::optional<int64_t> normalize_axis(int64_t axis, int64_t rank);
// Normalizes, checks for duplicates and sorts; `what` names the node for errors.
Expected<std::vector<int64_t>> normalize_axes(std::span<const int64_t> axes, int64_t rank,
                                              const std::string& what);

// Reshape's target: 0 copies the input dim (unless allowzero), one -1 is inferred.
Expected<ir::Shape> reshape_shape(const ir::Shape& in, std::span<const int64_t> spec,
                                  bool allowzero, const std::string& what);
Expected<ir::Shape> squeeze_shape(const ir::Shape& in, std::span<const int64_t> axes, bool all_ones,
                                  const std::string& what);
Expected<ir::Shape> unsqueeze_shape(const ir::Shape& in, std::span<const int64_t> axes,
                                    const std::string& what);
// Axes given as attribute "axes" before `input_from_opset` and as input `input` from it
// on (Squeeze/Unsqueeze 13, ReduceMean 18, Pad 18). nullopt when absent.
std::optional<std::vector<int64_t>> axes_operand(const OnnxNode& n, const ConstTensor* input,
                                                 int64_t input_from_opset);
// Slice's ranges, one per dim of input shape `in` (dims not in axes are whole): starts and
// ends count from the end when negative and are clamped as ONNX says. Opset < 10 reads
// the attributes; later opsets the constant operands `ops[1..4]` (null when absent).
Expected<std::vector<ir::SliceDim>> slice_dims(const OnnxNode& n, const ir::Shape& in,
                                               std::span<const ConstTensor* const> ops);
Expected<ir::Shape> flatten_shape(const ir::Shape& in, int64_t axis, const std::string& what);

}  // namespace oqnn::onnx_import
