// MaxPool, AveragePool → PoolMax2d / PoolAvg2d; GlobalAveragePool, GlobalMaxPool → the same
// with the window covering H×W. 1-D pooling runs as 2-D over an H = 1 image; 3-D pooling and
// dilation are not supported. LpPool → L2Pool2d, for p = 2 only (QNN's op has no p).
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
  if (n.op_type() == "LpPool" && n.attr_int("p", 2) < 1)
    return n.bad_input("p must be >= 1, got " + std::to_string(n.attr_int("p", 2)));
  if (n.op_type() == "LpPool" && n.attr_int("p", 2) != 2)
    return n.unsupported("p=" + std::to_string(n.attr_int("p", 2)) +
                         " is not supported: L2Pool2d computes p = 2 only");
  auto kernel = n.attr_ints("kernel_shape");
  if (kernel.empty() || kernel.size() > 2)
    return kernel.empty() ? n.bad_input("kernel_shape is missing")
                          : n.unsupported(std::to_string(kernel.size()) +
                                          "-D pooling is not supported (only 1-D and 2-D)");
  return check_window_attrs(n);
}

Expected<ir::TensorId> spatial_input(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  if (xs.size() != 4 && xs.size() != 3)
    return n.unsupported("only 1-D and 2-D pooling is supported (input has shape " +
                         ir::shape_str(xs) + ")");
  return x;
}

// A 1-D input [N, C, W] pools as an H = 1 image.
Status emit_pool(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, const std::string& op,
                 ir::Params p) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, window_input(ctx, n, x));
  return emit_window_op(ctx, n, op, ctx.graph.tensor(x).shape.size() == 3, {xl}, std::move(p));
}

Status translate_pool(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_pool(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, spatial_input(ctx, n));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  std::vector<int64_t> kernel = n.attr_ints("kernel_shape");
  if (kernel.size() + 2 != xs.size())
    return n.bad_input("kernel_shape does not match the input " + ir::shape_str(xs));
  std::vector<int64_t> in_hw(xs.begin() + 2, xs.end());
  OQNN_ASSIGN_OR_RETURN(Window2d win, resolve_window(n, kernel, in_hw));
  if (kernel.size() == 1) kernel.insert(kernel.begin(), 1);
  ir::Params p;
  p.set("filter_size", kernel);
  p.set("stride", win.stride);
  p.set("pad_amount", win.pad_amount);
  p.set("rounding_mode", n.attr_int("ceil_mode", 0) != 0 ? int64_t{1} : int64_t{0});
  if (n.op_type() == "LpPool") return emit_pool(ctx, n, x, "L2Pool2d", std::move(p));
  bool is_max = n.op_type() == "MaxPool";
  if (!is_max)
    p.set("count_pad_for_edges", int64_t{n.attr_int("count_include_pad", 0) != 0 ? 1 : 0});
  return emit_pool(ctx, n, x, is_max ? "PoolMax2d" : "PoolAvg2d", std::move(p));
}

Status translate_global_pool(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, spatial_input(ctx, n));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  ir::Params p;
  p.set("filter_size", std::vector<int64_t>{xs.size() == 3 ? 1 : xs[2], xs.back()});
  p.set("stride", std::vector<int64_t>{1, 1});
  bool is_max = n.op_type() == "GlobalMaxPool";
  if (!is_max) p.set("count_pad_for_edges", int64_t{0});
  return emit_pool(ctx, n, x, is_max ? "PoolMax2d" : "PoolAvg2d", std::move(p));
}

}  // namespace

void register_pool_translators(std::vector<Translator>& out) {
  out.push_back({"MaxPool", translate_pool, check_pool});
  out.push_back({"AveragePool", translate_pool, check_pool});
  out.push_back({"LpPool", translate_pool, check_pool});
  out.push_back({"GlobalAveragePool", translate_global_pool, nullptr});
  out.push_back({"GlobalMaxPool", translate_global_pool, nullptr});
}

}  // namespace oqnn::onnx_import
