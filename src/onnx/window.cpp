#include "onnx/window.h"

#include <algorithm>

namespace oqnn::onnx_import {

Status check_window_attrs(const OnnxNode& n) {
  std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER" &&
      auto_pad != "VALID")
    return n.bad_input("unknown auto_pad '" + auto_pad + "'");
  if (n.has_attr("strides") && n.attr_ints("strides").size() != 2)
    return n.unsupported("only 2-D windows are supported (strides has " +
                         std::to_string(n.attr_ints("strides").size()) + " values)");
  if (n.has_attr("dilations") && n.attr_ints("dilations").size() != 2)
    return n.unsupported("only 2-D windows are supported (dilations has " +
                         std::to_string(n.attr_ints("dilations").size()) + " values)");
  if (n.has_attr("pads") && n.attr_ints("pads").size() != 4)
    return n.unsupported("only 2-D windows are supported (pads has " +
                         std::to_string(n.attr_ints("pads").size()) + " values)");
  if (n.attr_error()) return *n.attr_error();
  return Status::ok();
}

Expected<Window2d> resolve_window(const OnnxNode& n, const std::vector<int64_t>& kernel,
                                  const std::vector<int64_t>& in_hw) {
  OQNN_RETURN_IF_ERROR(check_window_attrs(n));
  Window2d w;
  w.stride = n.attr_ints("strides", {1, 1});
  w.dilation = n.attr_ints("dilations", {1, 1});
  constexpr int64_t kLimit = int64_t{1} << 30;  // keeps the shape arithmetic in range
  for (size_t i = 0; i < 2; ++i)
    if (w.stride[i] < 1 || w.dilation[i] < 1 || kernel[i] < 1 || w.stride[i] > kLimit ||
        w.dilation[i] > kLimit || kernel[i] > kLimit)
      return n.bad_input("kernel, strides and dilations must be between 1 and 2^30");
  std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  std::vector<int64_t> pads = n.attr_ints("pads", {0, 0, 0, 0});  // [top, left, bottom, right]
  if (auto_pad == "VALID") {
    pads = {0, 0, 0, 0};
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (size_t i = 0; i < 2; ++i) {
      int64_t out = (in_hw[i] + w.stride[i] - 1) / w.stride[i];
      int64_t span = w.dilation[i] * (kernel[i] - 1) + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * w.stride[i] + span - in_hw[i]);
      int64_t head = auto_pad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
      pads[i] = head;
      pads[i + 2] = total - head;
    }
  }
  for (int64_t p : pads) {
    if (p < 0) return n.unsupported("negative pads are not supported");
    if (p > kLimit) return n.bad_input("pads must be at most 2^30");
  }
  w.pad_amount = {pads[0], pads[2], pads[1], pads[3]};
  return w;
}

}  // namespace oqnn::onnx_import
