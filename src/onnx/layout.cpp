#include "onnx/layout.h"

namespace oqnn::onnx_import {
namespace {

std::string twin_suffix(size_t rank) {
  return rank == 4 ? "_nhwc" : "_channel_last";
}

}  // namespace

std::vector<int64_t> to_channel_last_perm(size_t rank) {
  std::vector<int64_t> p{0};
  for (size_t d = 2; d < rank; ++d) p.push_back(static_cast<int64_t>(d));
  p.push_back(1);
  return p;
}

std::vector<int64_t> to_channel_first_perm(size_t rank) {
  std::vector<int64_t> p{0, static_cast<int64_t>(rank) - 1};
  for (size_t d = 1; d + 1 < rank; ++d) p.push_back(static_cast<int64_t>(d));
  return p;
}

Expected<ir::TensorId> channel_last(ImportContext& ctx, const OnnxNode& n, ir::TensorId x) {
  auto it = ctx.channel_last.find(x);
  if (it != ctx.channel_last.end()) return it->second;
  const ir::Tensor& t = ctx.graph.tensor(x);
  size_t rank = t.shape.size();
  ir::Params p;
  p.set("perm", to_channel_last_perm(rank));
  std::string out_name = ctx.aux_tensor_name(t.name + twin_suffix(rank));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, ctx.emit(ctx.aux_node_name(n.name() + "_to_nhwc"),
                                                 "Transpose", {x}, std::move(p), out_name));
  ctx.channel_last[x] = y;
  return y;
}

Status emit_channel_last(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                         std::vector<ir::TensorId> inputs, ir::Params params) {
  size_t rank = ctx.graph.tensor(inputs[0]).shape.size();
  std::string twin = ctx.aux_tensor_name(n.output(0) + twin_suffix(rank));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y,
                        ctx.emit(n.name(), op, std::move(inputs), std::move(params), twin));
  return bind_channel_first(ctx, n, y, "_to_nchw");
}

Status bind_channel_first(ImportContext& ctx, const OnnxNode& n, ir::TensorId y,
                          const std::string& suffix) {
  ir::Params p;
  p.set("perm", to_channel_first_perm(ctx.graph.tensor(y).shape.size()));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId out, ctx.emit(ctx.aux_node_name(n.name() + suffix),
                                                   "Transpose", {y}, std::move(p), n.output(0)));
  ctx.set_tensor(n.output(0), out);
  return Status::ok();
}

namespace {

Expected<ir::TensorId> reshape_to(ImportContext& ctx, const std::string& node,
                                  const std::string& out, ir::TensorId x, ir::Shape shape) {
  ir::Params p;
  p.set("shape", std::move(shape));
  return ctx.emit(ctx.aux_node_name(node), "Reshape", {x}, std::move(p), ctx.aux_tensor_name(out));
}

}  // namespace

Expected<ir::TensorId> channel_last_row(ImportContext& ctx, const OnnxNode& n, ir::TensorId x) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  const ir::Tensor& t = ctx.graph.tensor(xl);
  ir::Shape s = t.shape;
  if (s.size() != 3) return n.bad_input("a 1-D window needs a rank-3 input");
  return reshape_to(ctx, n.name() + "_to_row", t.name + "_row", xl, {s[0], 1, s[1], s[2]});
}

Status emit_channel_last_row(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                             std::vector<ir::TensorId> inputs, ir::Params params) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, ctx.emit(n.name(), op, std::move(inputs), std::move(params),
                                                 ctx.aux_tensor_name(n.output(0) + "_row")));
  ir::Shape s = ctx.graph.tensor(y).shape;
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y3,
                        reshape_to(ctx, n.name() + "_from_row", n.output(0) + "_channel_last", y,
                                   {s[0], s[2], s[3]}));
  return bind_channel_first(ctx, n, y3, "_to_ncw");
}

Expected<ir::TensorId> window_input(ImportContext& ctx, const OnnxNode& n, ir::TensorId x) {
  if (ctx.graph.tensor(x).shape.size() == 3) return channel_last_row(ctx, n, x);
  return channel_last(ctx, n, x);
}

Status emit_window_op(ImportContext& ctx, const OnnxNode& n, const std::string& op, bool row,
                      std::vector<ir::TensorId> inputs, ir::Params params) {
  if (row) return emit_channel_last_row(ctx, n, op, std::move(inputs), std::move(params));
  return emit_channel_last(ctx, n, op, std::move(inputs), std::move(params));
}

}  // namespace oqnn::onnx_import
