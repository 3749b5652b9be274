// Normalizations beyond Batchnorm: LayerNorm (any axes, gamma/beta broadcast, optional mean
// and inverse-std outputs), RmsNorm (the same without centering) and the channel-last InstanceNorm
// and GroupNorm — statistics per sub-box (moments_nd) then one apply pass (norm_apply) — and the
// line ops LogSoftmax, Hardmax and L2Norm (axis_line), and Lrn.
#include "backends/gpu/lowering.h"

namespace oqnn::gpu {
namespace {

bool has_input(const ir::Node& n, size_t i) {
  return n.inputs.size() > i && n.inputs[i] >= 0;
}

// Strides of `s` (numpy-aligned to the right) over `view` (0 where `s` is broadcast).
std::vector<int64_t> strides_over(const ir::Shape& s, const ir::Shape& view) {
  std::vector<int64_t> rm = row_major_strides(s), out(view.size(), 0);
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != 1) out[view.size() - s.size() + i] = rm[i];
  return out;
}

// Normalizes the input viewed as `view` over `axes`; gamma and beta (inputs 1 and 2, when
// present) are read through `gamma_strides`/`beta_strides` over the view.
Status lower_moments_norm(NodeLowering& l, const ir::Node& n, const ir::Shape& view,
                          const std::vector<int64_t>& axes, double eps,
                          const std::vector<int64_t>& gamma_strides,
                          const std::vector<int64_t>& beta_strides, bool stats_outputs,
                          bool center = true) {
  ReduceWalks w = reduce_walks(view, axes);
  OQNN_RETURN_IF_ERROR(check_rank(n, w));
  ir::Shape stat_shape = view;
  for (int64_t a : axes) stat_shape[static_cast<size_t>(a)] = 1;
  const int64_t stats = ir::num_elements(stat_shape), total = ir::num_elements(view);
  OQNN_ASSIGN_OR_RETURN(int mean, l.scratch(static_cast<size_t>(stats)));
  OQNN_ASSIGN_OR_RETURN(int inv, l.scratch(static_cast<size_t>(stats)));
  Launch m;
  m.kernel = "moments_nd";
  m.args = {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(mean), arg_buffer(inv),
            arg_buffer(stats_outputs ? l.buffer(n.outputs[1]) : -1),
            arg_buffer(stats_outputs ? l.buffer(n.outputs[2]) : -1)};
  for (KernelArg& a : reduce_walk_args(w)) m.args.push_back(a);
  m.args.push_back(arg_float(eps));
  m.args.push_back(arg_int(stats));
  m.args.push_back(arg_int(center));
  m.global = {static_cast<size_t>(stats), 1, 1};
  l.launches.push_back(std::move(m));

  std::vector<int64_t> zeros(view.size(), 0);
  Walk apply =
      collapse({view,
                {row_major_strides(view), strides_over(stat_shape, view),
                 has_input(n, 1) ? gamma_strides : zeros, has_input(n, 2) ? beta_strides : zeros}});
  OQNN_RETURN_IF_ERROR(check_rank(n, apply));
  Launch k;
  k.kernel = "norm_apply";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(mean),
            arg_buffer(inv),
            arg_buffer(has_input(n, 1) ? l.buffer(n.inputs[1]) : -1),
            arg_buffer(has_input(n, 2) ? l.buffer(n.inputs[2]) : -1),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(static_cast<int64_t>(apply.dims.size())),
            arg_int8(apply.dims),
            arg_int8(apply.strides[1]),
            arg_int8(apply.strides[2]),
            arg_int8(apply.strides[3]),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

Status lower_layer_norm(NodeLowering& l, const ir::Node& n) {
  const ir::Graph& g = l.graph;
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  std::vector<int64_t> gs, bs;
  if (has_input(n, 1)) gs = strides_over(g.tensor(n.inputs[1]).shape, x);
  if (has_input(n, 2)) bs = strides_over(g.tensor(n.inputs[2]).shape, x);
  const bool center = n.op == "LayerNorm";
  return lower_moments_norm(l, n, x, n.params.get_ints("axes"),
                            n.params.get_float("epsilon", center ? 1e-3 : 1e-6),  // QNN's defaults
                            gs, bs, n.params.get_int("stats_outputs", 0) != 0, center);
}

// InstanceNorm and GroupNorm on [N, ..., C]: the input viewed as [N, spatial, groups,
// channels per group], normalized over dims 1 and 3, gamma and beta per channel.
Status lower_channel_norm(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  int64_t spatial = 1, c = x.back();
  for (size_t d = 1; d + 1 < x.size(); ++d) spatial *= x[d];
  int64_t groups = n.op == "InstanceNorm" ? c : n.params.get_int("group", 1);
  ir::Shape view{x[0], spatial, groups, c / groups};
  std::vector<int64_t> per_channel{0, 0, c / groups, 1};
  return lower_moments_norm(l, n, view, {1, 3}, n.params.get_float("epsilon", 1e-5), per_channel,
                            per_channel, false);
}

size_t axis_of(const NodeLowering& l, const ir::Node& n) {
  const auto rank = static_cast<int64_t>(l.graph.tensor(n.inputs[0]).shape.size());
  return static_cast<size_t>(n.params.get_int("axis", rank - 1));
}

Status lower_log_softmax(NodeLowering& l, const ir::Node& n) {
  l.launches.push_back(
      axis_line_launch(l, n, 0, axis_of(l, n), n.params.get_float("beta", 1.0), 0));
  return Status::ok();
}

Status lower_hardmax(NodeLowering& l, const ir::Node& n) {
  l.launches.push_back(axis_line_launch(l, n, 1, axis_of(l, n), 0.0, 0));
  return Status::ok();
}

Status lower_l2norm(NodeLowering& l, const ir::Node& n) {
  l.launches.push_back(
      axis_line_launch(l, n, 2, axis_of(l, n), n.params.get_float("epsilon", 1e-12), 0));
  return Status::ok();
}

Status lower_lrn(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  int64_t total = ir::num_elements(x);
  Launch k;
  k.kernel = "lrn_channels";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(x.back()),
            arg_int(n.params.get_int("radius")),
            arg_float(n.params.get_float("alpha", 1e-4)),
            arg_float(n.params.get_float("beta", 0.75)),
            arg_float(n.params.get_float("bias", 1.0)),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

void add_norm_extra_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"LayerNorm", lower_layer_norm});
  t.push_back({"RmsNorm", lower_layer_norm});
  t.push_back({"InstanceNorm", lower_channel_norm});
  t.push_back({"GroupNorm", lower_channel_norm});
  t.push_back({"LogSoftmax", lower_log_softmax});
  t.push_back({"Hardmax", lower_hardmax});
  t.push_back({"L2Norm", lower_l2norm});
  t.push_back({"Lrn", lower_lrn});
}

}  // namespace oqnn::gpu
