// MaxPool, AveragePool → PoolMax2d / PoolAvg2d; GlobalAveragePool, GlobalMaxPool → the same
// with the window covering H×W. 1-D pooling runs as 2-D over an H = 1 image. 3-D pooling →
// PoolMax3d / PoolAvg3d (NDHWC), and so does every dilated MaxPool/AveragePool: QNN's 2-D
// pools have no dilation, so a dilated 1-D or 2-D pool runs as a 3-D one over a D = 1 (and
// H = 1) volume with our 3-D pools' dilation extension. LpPool → L2Pool2d, for p = 2 and no
// dilation only (QNN's op has no p).
#include <algorithm>

#include "onnx/layout.h"
#include "onnx/translators.h"
#include "onnx/window.h"

namespace oqnn::onnx_import {
namespace {

bool dilated(const OnnxNode& n) {
  auto dil = n.attr_ints("dilations");
  return std::any_of(dil.begin(), dil.end(), [](int64_t d) { return d != 1; });
}

Status check_pool(const OnnxNode& n) {
  if (n.op_type() == "MaxPool" && n.attr_int("storage_order", 0) != 0)
    return n.unsupported("storage_order=1 (column-major indices) is not supported");
  if (n.op_type() == "LpPool" && dilated(n))
    return n.unsupported("dilations other than 1 are not supported");
  if (n.op_type() == "LpPool" && n.attr_int("p", 2) < 1)
    return n.bad_input("p must be >= 1, got " + std::to_string(n.attr_int("p", 2)));
  if (n.op_type() == "LpPool" && n.attr_int("p", 2) != 2)
    return n.unsupported("p=" + std::to_string(n.attr_int("p", 2)) +
                         " is not supported: L2Pool2d computes p = 2 only");
  auto kernel = n.attr_ints("kernel_shape");
  const size_t max_rank = n.op_type() == "LpPool" ? 2 : 3;
  if (kernel.empty() || kernel.size() > max_rank)
    return kernel.empty() ? n.bad_input("kernel_shape is missing")
                          : n.unsupported(std::to_string(kernel.size()) +
                                          "-D pooling is not supported (only 1-D to " +
                                          std::to_string(max_rank) + "-D)");
  return check_window_attrs(n, max_rank);
}

Expected<ir::TensorId> spatial_input(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 3 || xs.size() > 5)
    return n.unsupported("only 1-D to 3-D pooling is supported (input has shape " +
                         ir::shape_str(xs) + ")");
  return x;
}

// A 1-D input [N, C, W] pools as an H = 1 image.
Status emit_pool(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, const std::string& op,
                 ir::Params p) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, window_input(ctx, n, x));
  return emit_window_op(ctx, n, op, ctx.graph.tensor(x).shape.size() == 3, {xl}, std::move(p));
}

// A 3-D pool over ONNX [N, C, spatial...] (1 to 3 spatial axes): the channel-last twin
// reshaped to [N, D, H, W, C] with unit leading axes, the pool, and its output reshaped
// back and transposed to the node's output 0.
Status emit_pool3d(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, const std::string& op,
                   ir::Params p) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  const ir::Shape s = ctx.graph.tensor(xl).shape;
  const size_t rank = s.size();
  if (rank == 5) return emit_channel_last(ctx, n, op, {xl}, std::move(p));
  ir::Shape v = s;
  v.insert(v.begin() + 1, 5 - rank, 1);
  ir::Params vp;
  vp.set("shape", v);
  OQNN_ASSIGN_OR_RETURN(
      xl, ctx.emit(ctx.aux_node_name(n.name() + "_to_volume"), "Reshape", {xl}, std::move(vp),
                   ctx.aux_tensor_name(n.output(0) + "_in_volume")));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, ctx.emit(n.name(), op, {xl}, std::move(p),
                                                 ctx.aux_tensor_name(n.output(0) + "_volume")));
  ir::Shape ys = ctx.graph.tensor(y).shape;
  ir::Shape back{ys[0]};  // [N, spatial..., C] of the node's rank
  back.insert(back.end(), ys.end() - static_cast<std::ptrdiff_t>(rank - 1), ys.end());
  ir::Params rp;
  rp.set("shape", back);
  OQNN_ASSIGN_OR_RETURN(
      ir::TensorId yl, ctx.emit(ctx.aux_node_name(n.name() + "_from_volume"), "Reshape", {y},
                                std::move(rp), ctx.aux_tensor_name(n.output(0) + "_channel_last")));
  return bind_channel_first(ctx, n, yl, "_to_nchw");
}

// MaxPool/AveragePool with a 3-D window or any dilation → PoolMax3d / PoolAvg3d.
Status translate_pool3d(ImportContext& ctx, const OnnxNode& n, ir::TensorId x,
                        std::vector<int64_t> kernel) {
  ir::Shape xs = ctx.graph.tensor(x).shape;
  std::vector<int64_t> in(xs.begin() + 2, xs.end());
  OQNN_ASSIGN_OR_RETURN(WindowNd win, resolve_window_nd(n, kernel, in));
  const size_t lead = 3 - kernel.size();
  kernel.insert(kernel.begin(), lead, 1);
  win.stride.insert(win.stride.begin(), lead, 1);
  win.dilation.insert(win.dilation.begin(), lead, 1);
  win.pad_amount.insert(win.pad_amount.begin(), 2 * lead, 0);
  ir::Params p;
  p.set("filter_size", kernel);
  p.set("stride", win.stride);
  p.set("dilation", win.dilation);
  p.set("pad_amount", win.pad_amount);
  p.set("rounding_mode", n.attr_int("ceil_mode", 0) != 0 ? int64_t{1} : int64_t{0});
  bool is_max = n.op_type() == "MaxPool";
  if (!is_max)
    p.set("count_pad_for_edges", int64_t{n.attr_int("count_include_pad", 0) != 0 ? 1 : 0});
  return emit_pool3d(ctx, n, x, is_max ? "PoolMax3d" : "PoolAvg3d", std::move(p));
}

Status translate_pool(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_pool(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, spatial_input(ctx, n));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  std::vector<int64_t> kernel = n.attr_ints("kernel_shape");
  if (kernel.size() + 2 != xs.size())
    return n.bad_input("kernel_shape does not match the input " + ir::shape_str(xs));
  if (kernel.size() == 3 || dilated(n)) return translate_pool3d(ctx, n, x, std::move(kernel));
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
  bool is_max = n.op_type() == "GlobalMaxPool";
  if (!is_max) p.set("count_pad_for_edges", int64_t{0});
  if (xs.size() == 5) {
    p.set("filter_size", std::vector<int64_t>{xs[2], xs[3], xs[4]});
    return emit_pool3d(ctx, n, x, is_max ? "PoolMax3d" : "PoolAvg3d", std::move(p));
  }
  p.set("filter_size", std::vector<int64_t>{xs.size() == 3 ? 1 : xs[2], xs.back()});
  p.set("stride", std::vector<int64_t>{1, 1});
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
