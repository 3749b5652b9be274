// Reductions over any axes (ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceProd,
// ReduceSumSquare, ReduceL1, ReduceL2, ReduceLogSum, ReduceLogSumExp: one kernel, the op a
// code) and CumulativeSum; also the walks and line launches the normalizations share.
#include <algorithm>

#include "backends/gpu/lowering.h"

namespace oqnn::gpu {

ReduceWalks reduce_walks(const ir::Shape& x, const std::vector<int64_t>& axes) {
  std::vector<int64_t> xs = row_major_strides(x);
  ReduceWalks w{{x, {xs}}, {{}, {{}}}};
  for (size_t d = 0; d < x.size(); ++d) {
    if (std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) == axes.end()) continue;
    w.kept.dims[d] = 1;
    w.reduced.dims.push_back(x[d]);
    w.reduced.strides[0].push_back(xs[d]);
  }
  w.kept = collapse(std::move(w.kept));
  w.reduced = collapse(std::move(w.reduced));
  return w;
}

Status check_rank(const ir::Node& n, const ReduceWalks& w) {
  OQNN_RETURN_IF_ERROR(check_rank(n, w.kept));
  return check_rank(n, w.reduced);
}

std::vector<KernelArg> reduce_walk_args(const ReduceWalks& w) {
  return {arg_int(static_cast<int64_t>(w.kept.dims.size())),
          arg_int8(w.kept.dims),
          arg_int8(w.kept.strides[0]),
          arg_int(static_cast<int64_t>(w.reduced.dims.size())),
          arg_int8(w.reduced.dims),
          arg_int8(w.reduced.strides[0]),
          arg_int(ir::num_elements(w.reduced.dims))};
}

Launch axis_line_launch(NodeLowering& l, const ir::Node& n, int mode, size_t axis, double p,
                        int flags) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const auto [outer, inner] = split_at_axis(x, axis);
  Launch k;
  k.kernel = "axis_line";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(mode),
            arg_int(outer),
            arg_int(x[axis]),
            arg_int(inner),
            arg_float(p),
            arg_int(flags)};
  k.global = {static_cast<size_t>(inner), static_cast<size_t>(outer), 1};
  k.dims = 2;
  return k;
}

namespace {

// The op codes of reduce_nd (kernels/reduce.cl).
struct ReduceRow {
  const char* op;
  int code;
};
constexpr ReduceRow kReduceRows[] = {
    {"ReduceSum", 0},    {"ReduceMean", 1},      {"ReduceMax", 2}, {"ReduceMin", 3},
    {"ReduceProd", 4},   {"ReduceSumSquare", 5}, {"ReduceL1", 6},  {"ReduceL2", 7},
    {"ReduceLogSum", 8}, {"ReduceLogSumExp", 9},
};

Status lower_reduce(NodeLowering& l, const ir::Node& n) {
  const ReduceRow* row = nullptr;
  for (const ReduceRow& r : kReduceRows)
    if (n.op == r.op) row = &r;
  if (!row) return internal_error("node '" + n.name + "' (" + n.op + "): not a reduction");
  ReduceWalks w = reduce_walks(l.graph.tensor(n.inputs[0]).shape, n.params.get_ints("axes"));
  OQNN_RETURN_IF_ERROR(check_rank(n, w));
  int64_t total = ir::num_elements(w.kept.dims);
  Launch k;
  k.kernel = "reduce_nd";
  k.args = {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(l.buffer(n.outputs[0])),
            arg_int(row->code)};
  for (KernelArg& a : reduce_walk_args(w)) k.args.push_back(a);
  k.args.push_back(arg_int(total));
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

Status lower_cumsum(NodeLowering& l, const ir::Node& n) {
  int flags = (n.params.get_int("exclusive", 0) != 0 ? 1 : 0) |
              (n.params.get_int("reverse", 0) != 0 ? 2 : 0);
  Launch k =
      axis_line_launch(l, n, 3, static_cast<size_t>(n.params.get_int("axis", 0)), 0.0, flags);
  if (l.graph.tensor(n.inputs[0]).dtype == ir::DataType::kInt32)
    k.kernel = "cumsum_i32";  // indexing.cl
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

void add_reduce_lowerings(std::vector<LoweringEntry>& t) {
  for (const ReduceRow& r : kReduceRows) t.push_back({r.op, lower_reduce});
  t.push_back({"CumulativeSum", lower_cumsum});
}

}  // namespace oqnn::gpu
