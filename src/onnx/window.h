// The window attributes Conv and the pools share (kernel, strides, dilations, pads,
// auto_pad), resolved for a 2-D input into the IR's stride/dilation/pad_amount, where
// pad_amount = [top, bottom, left, right] (ONNX pads are [top, left, bottom, right]).
#pragma once

#include <cstdint>
#include <vector>

#include "onnx/onnx_node.h"
#include "support/status.h"

namespace oqnn::onnx_import {

struct Window2d {
  std::vector<int64_t> stride, dilation, pad_amount;
};

// Attribute-only checks (auto_pad value, 2 strides/dilations, 4 pads).
Status check_window_attrs(const OnnxNode& n);
// `kernel` = [kh, kw]; `in_hw` = [H, W].
Expected<Window2d> resolve_window(const OnnxNode& n, const std::vector<int64_t>& kernel,
                                  const std::vector<int64_t>& in_hw);

}  // namespace oqnn::onnx_import
