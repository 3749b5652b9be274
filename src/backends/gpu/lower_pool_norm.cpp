// PoolMax2d, PoolAvg2d, L2Pool2d and Softmax (the reductions are in lower_reduce.cpp).
#include <algorithm>

#include "backends/gpu/lowering.h"
#include "backends/gpu/table_ops.h"

namespace oqnn::gpu {
namespace {

Status lower_pool(NodeLowering& l, const ir::Node& n, const char* kernel) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& y = l.graph.tensor(n.outputs[0]).shape;
  auto k = n.params.get_ints("filter_size");
  auto s = n.params.get_ints("stride", {1, 1});
  auto p = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  std::vector<KernelArg> args = {
      arg_buffer(l.buffer(n.inputs[0])),  arg_buffer(l.buffer(n.outputs[0])),
      arg_ints({x[0], x[1], x[2], x[3]}), arg_ints({y[0], y[1], y[2], y[3]}),
      arg_ints({k[0], k[1], s[0], s[1]}), arg_ints({p[0], p[1], p[2], p[3]})};
  if (n.op == "PoolAvg2d") args.push_back(arg_int(n.params.get_int("count_pad_for_edges", 0) != 0));
  Launch launch = nhwc_launch(kernel, std::move(args), y);
  l.launches.push_back(std::move(launch));
  return Status::ok();
}

Status lower_pool_max(NodeLowering& l, const ir::Node& n) {
  return lower_pool(l, n, "pool_max2d_nhwc");
}
Status lower_pool_avg(NodeLowering& l, const ir::Node& n) {
  return lower_pool(l, n, "pool_avg2d_nhwc");
}

Status lower_softmax(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  size_t axis = static_cast<size_t>(n.params.get_int("axis", static_cast<int64_t>(x.size()) - 1));
  const auto [outer, inner] = split_at_axis(x, axis);
  Launch k;
  k.kernel = "softmax_axis";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(outer),
            arg_int(x[axis]),
            arg_int(inner),
            arg_float(n.params.get_float("beta", 1.0))};
  k.global = {static_cast<size_t>(inner), static_cast<size_t>(outer), 1};
  k.dims = 2;
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

Status lower_l2pool2d(NodeLowering& l, const ir::Node& n) {
  return lower_pool(l, n, "pool_l2_2d_nhwc");
}

void add_pool_norm_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"PoolMax2d", lower_pool_max});
  t.push_back({"PoolAvg2d", lower_pool_avg});
  t.push_back({"Softmax", lower_softmax});
}

}  // namespace oqnn::gpu
