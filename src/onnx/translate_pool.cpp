// MaxPool, AveragePool → PoolMax2d / PoolAvg2d; GlobalAveragePool, GlobalMaxPool → the same
// with the window covering H×W. Only 2-D pooling without dilation is supported.
#include <algorithm>

#include "onnx/layout.h"
#include "onnx/translators.h"
#include "onnx/window.h"

namespace oqnn::onnx_import {
namespace {

Status check_pool(const OnnxNode& n) {
  if (n.op_type() == "MaxPool" && n.attr_int("storage_order", 0) != 0)
    return n.unsupported("storage_order=1 (column-major indices) is not supported");
  auto dil = n.attr_ints("dilations");
  if (std::any_of(dil.begin(), dil.end(), [](int64_t d) { return d != 1; }))
    return n.unsupported("dilations other than 1 are not supported");
  auto kernel = n.attr_ints("kernel_shape");
  if (kernel.size() != 2)
    return kernel.empty() ? n.bad_input("kernel_shape is missing")
                          : n.unsupported(std::to_string(kernel.size()) +
                                          "-D pooling is not supported (only 2-D)");
  return check_window_attrs(n);
}

Expected<ir::TensorId> rank4_input(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  if (xs.size() != 4)
    return n.unsupported("only 2-D pooling is supported (input has shape " + ir::shape_str(xs) +
                         ")");
  return x;
}

Status translate_pool(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_pool(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, rank4_input(ctx, n));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  std::vector<int64_t> kernel = n.attr_ints("kernel_shape");
  OQNN_ASSIGN_OR_RETURN(Window2d win, resolve_window(n, kernel, {xs[2], xs[3]}));
  ir::Params p;
  p.set("filter_size", kernel);
  p.set("stride", win.stride);
  p.set("pad_amount", win.pad_amount);
  p.set("rounding_mode", n.attr_int("ceil_mode", 0) != 0 ? int64_t{1} : int64_t{0});
  bool is_max = n.op_type() == "MaxPool";
  if (!is_max)
    p.set("count_pad_for_edges", int64_t{n.attr_int("count_include_pad", 0) != 0 ? 1 : 0});
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  return emit_channel_last(ctx, n, is_max ? "PoolMax2d" : "PoolAvg2d", {xl}, std::move(p));
}

Status translate_global_pool(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, rank4_input(ctx, n));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  ir::Params p;
  p.set("filter_size", std::vector<int64_t>{xs[2], xs[3]});
  p.set("stride", std::vector<int64_t>{1, 1});
  bool is_max = n.op_type() == "GlobalMaxPool";
  if (!is_max) p.set("count_pad_for_edges", int64_t{0});
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  return emit_channel_last(ctx, n, is_max ? "PoolMax2d" : "PoolAvg2d", {xl}, std::move(p));
}

}  // namespace

void register_pool_translators(std::vector<Translator>& out) {
  out.push_back({"MaxPool", translate_pool, check_pool});
  out.push_back({"AveragePool", translate_pool, check_pool});
  out.push_back({"GlobalAveragePool", translate_global_pool, nullptr});
  out.push_back({"GlobalMaxPool", translate_global_pool, nullptr});
}

}  // namespace oqnn::onnx_import
