// The window attributes Conv, ConvTranspose and the pools share (kernel, strides,
// dilations, pads, auto_pad), resolved for a 1-D or 2-D input into the IR's
// stride/dilation/pad_amount, where pad_amount = [top, bottom, left, right] (ONNX pads are
// [top, left, bottom, right]). A 1-D window runs as a 2-D one over an H = 1 image, so it
// resolves with a unit window along H.
#pragma once

#include <cstdint>
#include <vector>

#include "onnx/onnx_node.h"
#include "support/status.h"

namespace oqnn::onnx_import {

struct Window2d {
  std::vector<int64_t> stride, dilation, pad_amount;
};
// Any spatial rank r: r strides and dilations, pad_amount = [begin0, end0, begin1, end1, ...]
// (for r = 2 the same as Window2d's).
using WindowNd = Window2d;

// Attribute-only checks (auto_pad value; strides/dilations with 1 to max_rank values and
// pads with twice that many, all of one spatial rank).
Status check_window_attrs(const OnnxNode& n, size_t max_rank = 2);
// The spatial rank the window attributes imply (1 or 2), 0 when they do not say.
size_t window_attr_rank(const OnnxNode& n);
// `kernel` = [kh, kw] or [k]; `in_hw` = [H, W] or [W] (the same count).
Expected<Window2d> resolve_window(const OnnxNode& n, const std::vector<int64_t>& kernel,
                                  const std::vector<int64_t>& in_hw);
// `kernel` and `in` of one rank r >= 1, the window kept r-D.
Expected<WindowNd> resolve_window_nd(const OnnxNode& n, const std::vector<int64_t>& kernel,
                                     const std::vector<int64_t>& in);

}  // namespace oqnn::onnx_import
