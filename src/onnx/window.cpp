#include "onnx/window.h"

#include <algorithm>

namespace oqnn::onnx_import {

size_t window_attr_rank(const OnnxNode& n) {
  if (n.has_attr("kernel_shape")) return n.attr_ints("kernel_shape").size();
  if (n.has_attr("strides")) return n.attr_ints("strides").size();
  if (n.has_attr("dilations")) return n.attr_ints("dilations").size();
  if (n.has_attr("pads")) return n.attr_ints("pads").size() / 2;
  return 0;
}

Status check_window_attrs(const OnnxNode& n, size_t max_rank) {
  std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  if (auto_pad != "NOTSET" && auto_pad != "SAME_UPPER" && auto_pad != "SAME_LOWER" &&
      auto_pad != "VALID")
    return n.bad_input("unknown auto_pad '" + auto_pad + "'");
  const size_t rank = window_attr_rank(n);
  if (rank > max_rank)
    return n.unsupported("only 1-D to " + std::to_string(max_rank) +
                         "-D windows are supported (got " + std::to_string(rank) + "-D)");
  const size_t want = rank == 0 ? 2 : rank;
  for (const char* a : {"strides", "dilations", "pads"}) {
    const size_t expect = std::string_view(a) == "pads" ? 2 * want : want;
    if (n.has_attr(a) && n.attr_ints(a).size() != expect)
      return n.bad_input(std::string(a) + " has " + std::to_string(n.attr_ints(a).size()) +
                         " values, expected " + std::to_string(expect));
  }
  if (n.attr_error()) return *n.attr_error();
  return Status::ok();
}

Expected<WindowNd> resolve_window_nd(const OnnxNode& n, const std::vector<int64_t>& kernel,
                                     const std::vector<int64_t>& in) {
  const size_t r = kernel.size();
  OQNN_RETURN_IF_ERROR(check_window_attrs(n, std::max<size_t>(r, 2)));
  const size_t attr_rank = window_attr_rank(n);
  if (r < 1 || in.size() != r || (attr_rank != 0 && attr_rank != r))
    return n.bad_input("window attributes do not match the " + std::to_string(in.size()) +
                       "-D input");
  std::vector<int64_t> stride = n.attr_ints("strides", std::vector<int64_t>(r, 1));
  std::vector<int64_t> dil = n.attr_ints("dilations", std::vector<int64_t>(r, 1));
  constexpr int64_t kLimit = int64_t{1} << 30;  // keeps the shape arithmetic in range
  for (size_t i = 0; i < r; ++i)
    if (stride[i] < 1 || dil[i] < 1 || kernel[i] < 1 || stride[i] > kLimit || dil[i] > kLimit ||
        kernel[i] > kLimit)
      return n.bad_input("kernel, strides and dilations must be between 1 and 2^30");
  std::string auto_pad = n.attr_string("auto_pad", "NOTSET");
  // [begin..., end...]
  std::vector<int64_t> pads = n.attr_ints("pads", std::vector<int64_t>(2 * r, 0));
  if (auto_pad == "VALID") {
    std::fill(pads.begin(), pads.end(), 0);
  } else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    for (size_t i = 0; i < r; ++i) {
      int64_t out = (in[i] + stride[i] - 1) / stride[i];
      int64_t span = dil[i] * (kernel[i] - 1) + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * stride[i] + span - in[i]);
      int64_t head = auto_pad == "SAME_UPPER" ? total / 2 : (total + 1) / 2;
      pads[i] = head;
      pads[i + r] = total - head;
    }
  }
  for (int64_t p : pads) {
    if (p < 0) return n.unsupported("negative pads are not supported");
    if (p > kLimit) return n.bad_input("pads must be at most 2^30");
  }
  WindowNd w{stride, dil, {}};
  for (size_t i = 0; i < r; ++i) {
    w.pad_amount.push_back(pads[i]);
    w.pad_amount.push_back(pads[i + r]);
  }
  return w;
}

Expected<Window2d> resolve_window(const OnnxNode& n, const std::vector<int64_t>& kernel,
                                  const std::vector<int64_t>& in_hw) {
  OQNN_RETURN_IF_ERROR(check_window_attrs(n));
  if (kernel.size() != 1 && kernel.size() != 2)
    return n.bad_input("window attributes do not match the " + std::to_string(in_hw.size()) +
                       "-D input");
  OQNN_ASSIGN_OR_RETURN(WindowNd w, resolve_window_nd(n, kernel, in_hw));
  if (kernel.size() == 1)
    return Window2d{{1, w.stride[0]}, {1, w.dilation[0]}, {0, 0, w.pad_amount[0], w.pad_amount[1]}};
  return w;
}

}  // namespace oqnn::onnx_import
