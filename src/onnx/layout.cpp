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
  ir::Params p;
  p.set("perm", to_channel_first_perm(rank));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId out, ctx.emit(ctx.aux_node_name(n.name() + "_to_nchw"),
                                                   "Transpose", {y}, std::move(p), n.output(0)));
  ctx.set_tensor(n.output(0), out);
  return Status::ok();
}

}  // namespace oqnn::onnx_import
