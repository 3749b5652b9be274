// DepthToSpace/SpaceToDepth (channel-last IR ops), ArgMax/ArgMin → Argmax/Argmin (int32
// indices), TopK (QNN's runs along the last dim: another axis is transposed there and
// back), CumSum → CumulativeSum, Trilu → Trilu (QNN has no equivalent).
#include <algorithm>

#include "onnx/indexing_util.h"
#include "onnx/layout.h"
#include "onnx/shape_rules.h"

namespace oqnn::onnx_import {
namespace {

Status check_depth_space(const OnnxNode& n) {
  std::string mode = n.attr_string("mode", "DCR");
  if (n.op_type() == "DepthToSpace" && mode != "DCR" && mode != "CRD")
    return n.bad_input("mode must be DCR or CRD, got '" + mode + "'");
  if (n.attr_int("blocksize", 0) < 1) return n.bad_input("blocksize must be positive");
  return Status::ok();
}

Status translate_depth_space(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_depth_space(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  if (ctx.graph.tensor(x).shape.size() != 4) return n.bad_input("input must be rank 4");
  int64_t b = n.attr_int("blocksize", 0);
  ir::Params p;
  p.set("block_size", std::vector<int64_t>{b, b});
  p.set("mode", n.op_type() == "DepthToSpace" ? n.attr_string("mode", "DCR") : "DCR");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  return emit_channel_last(ctx, n, n.op_type(), {xl}, std::move(p));
}

Status translate_arg(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  OQNN_ASSIGN_OR_RETURN(int64_t axis, node_axis(n, 0, rank));
  ir::Params p;
  p.set("axis", axis);
  p.set("keep_dims", int64_t{n.attr_int("keepdims", 1) != 0 ? 1 : 0});
  p.set("select_last_index", int64_t{n.attr_int("select_last_index", 0) != 0 ? 1 : 0});
  return emit_main(ctx, n, n.op_type() == "ArgMax" ? "Argmax" : "Argmin", {x}, std::move(p));
}

// The permutation swapping dims `a` and `b` (its own inverse).
std::vector<int64_t> swap_perm(size_t rank, int64_t a, int64_t b) {
  std::vector<int64_t> p;
  for (size_t d = 0; d < rank; ++d) p.push_back(static_cast<int64_t>(d));
  std::swap(p[static_cast<size_t>(a)], p[static_cast<size_t>(b)]);
  return p;
}

Status translate_top_k(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  size_t rank = ctx.graph.tensor(x).shape.size();
  OQNN_ASSIGN_OR_RETURN(int64_t axis, node_axis(n, -1, static_cast<int64_t>(rank)));
  int64_t k = n.attr_int("k", 0);
  if (n.opset() >= 10) {
    OQNN_ASSIGN_OR_RETURN(const ConstTensor* kc, const_input(ctx, n, 1, "K"));
    if (kc->numel() != 1) return n.bad_input("K must hold one value");
    k = to_ints(*kc)[0];
  }
  const auto last = static_cast<int64_t>(rank) - 1;
  const bool moved = axis != last;
  ir::Params t;
  t.set("perm", swap_perm(rank, axis, last));
  if (moved) {
    OQNN_ASSIGN_OR_RETURN(x, emit_aux(ctx, n, "Transpose", {x}, t, "_last"));
  }
  ir::Params p;
  p.set("k", k);
  p.set("largest", int64_t{n.attr_int("largest", 1) != 0 ? 1 : 0});
  std::vector<std::string> names;
  for (size_t j = 0; j < 2; ++j)
    names.push_back(moved ? ctx.aux_tensor_name(n.output(j) + "_last") : n.output(j));
  OQNN_ASSIGN_OR_RETURN(auto ids, ctx.emit_multi(n.name(), "TopK", {x}, std::move(p), names));
  for (size_t j = 0; j < 2 && j < n.num_outputs(); ++j) {
    if (n.output(j).empty()) continue;
    ir::TensorId y = ids[j];
    if (moved) {
      OQNN_ASSIGN_OR_RETURN(
          y, ctx.emit(ctx.aux_node_name(n.name() + "_back"), "Transpose", {y}, t, n.output(j)));
    }
    ctx.set_tensor(n.output(j), y);
  }
  return Status::ok();
}

Status translate_cumsum(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* a, const_input(ctx, n, 1, "axis"));
  if (a->numel() != 1) return n.bad_input("axis must hold one value");
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  auto axis = normalize_axis(to_ints(*a)[0], rank);
  if (!axis) return n.bad_input("axis is out of range for rank " + std::to_string(rank));
  ir::Params p;
  p.set("axis", *axis);
  p.set("exclusive", int64_t{n.attr_int("exclusive", 0) != 0 ? 1 : 0});
  p.set("reverse", int64_t{n.attr_int("reverse", 0) != 0 ? 1 : 0});
  return emit_main(ctx, n, "CumulativeSum", {x}, std::move(p));
}

Status translate_trilu(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  int64_t k = 0;
  if (n.has_input(1)) {
    OQNN_ASSIGN_OR_RETURN(const ConstTensor* kc, const_input(ctx, n, 1, "k"));
    if (kc->numel() != 1) return n.bad_input("k must hold one value");
    k = std::clamp(to_ints(*kc)[0], -ir::kMaxElements, ir::kMaxElements);
  }
  ir::Params p;
  p.set("upper", int64_t{n.attr_int("upper", 1) != 0 ? 1 : 0});
  p.set("k", k);
  return emit_main(ctx, n, "Trilu", {x}, std::move(p));
}

}  // namespace

void register_indexing_select_translators(std::vector<Translator>& out) {
  out.push_back({"DepthToSpace", translate_depth_space, check_depth_space});
  out.push_back({"SpaceToDepth", translate_depth_space, check_depth_space});
  out.push_back({"ArgMax", translate_arg});
  out.push_back({"ArgMin", translate_arg});
  out.push_back({"TopK", translate_top_k});
  out.push_back({"CumSum", translate_cumsum});
  out.push_back({"Trilu", translate_trilu});
}

}  // namespace oqnn::onnx_import
