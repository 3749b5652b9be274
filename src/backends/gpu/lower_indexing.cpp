// Data movement by constant parameters, all strided copies of bits (exact in any storage):
// StridedSlice (negative strides walk backwards from their begin), Split (one copy per
// output), Tile (each dim d walked as [multiples[d], x[d]] with the input stride 0 along
// the repeats), DepthToSpace and SpaceToDepth (a 6-d transpose, DCR or CRD),
// ChannelShuffle (the axis as [groups, C/groups] read transposed), and Trilu;
// then Argmax/Argmin, which choose an index along one axis.
#include <algorithm>

#include "backends/gpu/lowering.h"
#include "ir/ops/indexing.h"

namespace oqnn::gpu {
namespace {

Status push_copy(NodeLowering& l, const ir::Node& n, ir::TensorId in, ir::TensorId out, Walk w,
                 int64_t in_base, int64_t out_base) {
  w = collapse(std::move(w));
  OQNN_RETURN_IF_ERROR(check_rank(n, w));
  l.launches.push_back(
      copy_launch(copy_kernel(l.graph, in), l.buffer(in), l.buffer(out), w, in_base, out_base));
  return Status::ok();
}

Status lower_strided_slice(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  OQNN_ASSIGN_OR_RETURN(auto dims, ir::resolve_strided_slice(n, x));
  std::vector<int64_t> xs = row_major_strides(x);
  Walk w;
  w.strides.resize(2);
  int64_t base = 0;
  for (size_t d = 0; d < dims.size(); ++d) {
    w.dims.push_back(dims[d].count);
    w.strides[0].push_back(dims[d].step * xs[d]);
    base += dims[d].begin * xs[d];
  }
  w.strides[1] = row_major_strides(w.dims);
  return push_copy(l, n, n.inputs[0], n.outputs[0], std::move(w), base, 0);
}

Status lower_split(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  std::vector<int64_t> xs = row_major_strides(x);
  int64_t offset = 0;
  for (ir::TensorId t : n.outputs) {
    const ir::Shape& y = l.graph.tensor(t).shape;
    OQNN_RETURN_IF_ERROR(
        push_copy(l, n, n.inputs[0], t, {y, {xs, row_major_strides(y)}}, offset * xs[axis], 0));
    offset += y[axis];
  }
  return Status::ok();
}

Status lower_tile(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  auto m = n.params.get_ints("multiples");
  std::vector<int64_t> xs = row_major_strides(x);
  Walk w;
  w.strides.resize(2);
  for (size_t d = 0; d < x.size(); ++d) {
    w.dims.insert(w.dims.end(), {m[d], x[d]});
    w.strides[0].insert(w.strides[0].end(), {0, xs[d]});
  }
  w.strides[1] = row_major_strides(w.dims);  // the output's layout: y[d] = m[d] * x[d]
  return push_copy(l, n, n.inputs[0], n.outputs[0], std::move(w), 0, 0);
}

// The space tensor [n, h*bh, w*bw, c] walked as [n, h, bh, w, bw, c] with its own strides
// and the matching strides of the depth tensor [n, h, w, c*bh*bw], whose channel is
// block * c + ch (DCR) or ch * bh*bw + block (CRD).
Status lower_depth_space(NodeLowering& l, const ir::Node& n, bool to_space) {
  const ir::Shape& space = l.graph.tensor(to_space ? n.outputs[0] : n.inputs[0]).shape;
  auto bs = n.params.get_ints("block_size");
  bool dcr = n.params.get_string("mode", "DCR") == "DCR";
  const int64_t bh = bs[0], bw = bs[1], c = space[3], h = space[1] / bh, w = space[2] / bw;
  const int64_t cd = c * bh * bw;
  ir::Shape dims{space[0], h, bh, w, bw, c};
  std::vector<int64_t> space_strides = row_major_strides(dims);
  std::vector<int64_t> depth_strides{h * w * cd, w * cd,      dcr ? bw * c : bw,
                                     cd,         dcr ? c : 1, dcr ? 1 : bh * bw};
  if (to_space)
    return push_copy(l, n, n.inputs[0], n.outputs[0], {dims, {depth_strides, space_strides}}, 0, 0);
  return push_copy(l, n, n.inputs[0], n.outputs[0], {dims, {space_strides, depth_strides}}, 0, 0);
}

Status lower_depth_to_space(NodeLowering& l, const ir::Node& n) {
  return lower_depth_space(l, n, true);
}
Status lower_space_to_depth(NodeLowering& l, const ir::Node& n) {
  return lower_depth_space(l, n, false);
}

Status lower_channel_shuffle(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const auto axis =
      static_cast<size_t>(n.params.get_int("axis", static_cast<int64_t>(x.size()) - 1));
  const auto [outer, inner] = split_at_axis(x, axis);
  const int64_t groups = n.params.get_int("num_groups"), per = x[axis] / groups;
  ir::Shape dims{outer, per, groups, inner};  // the output's order
  std::vector<int64_t> in_strides{groups * per * inner, inner, per * inner, 1};
  return push_copy(l, n, n.inputs[0], n.outputs[0], {dims, {in_strides, row_major_strides(dims)}},
                   0, 0);
}

Status lower_trilu(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  int64_t total = ir::num_elements(x);
  int64_t k = std::clamp<int64_t>(n.params.get_int("k", 0), -(int64_t{1} << 30), int64_t{1} << 30);
  Launch launch;
  launch.kernel = bits_kernel("trilu", l.graph, n.inputs[0]);
  launch.args = {arg_buffer(l.buffer(n.inputs[0])),
                 arg_buffer(l.buffer(n.outputs[0])),
                 arg_int(x[x.size() - 2]),
                 arg_int(x.back()),
                 arg_int(k),
                 arg_int(n.params.get_int("upper", 1) != 0),
                 arg_int(total)};
  launch.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(launch));
  return Status::ok();
}

// Argmax/Argmin: one work-item per line of the axis (keep_dims only changes the shape).
Status lower_arg_extreme(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  const auto [outer, inner] = split_at_axis(x, axis);
  bool is_int = l.graph.tensor(n.inputs[0]).dtype == ir::DataType::kInt32;
  Launch k;
  k.kernel = is_int ? "arg_extreme_i32" : "arg_extreme";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(outer),
            arg_int(x[axis]),
            arg_int(inner),
            arg_int(n.op == "Argmax"),
            arg_int(n.params.get_int("select_last_index", 0) != 0)};
  k.global = {static_cast<size_t>(inner), static_cast<size_t>(outer), 1};
  k.dims = 2;
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// Gather, GatherElements and GatherNd: one work-item per output element, reading data
// (input 0) through the int32 indices (input 1) with the index-error flag; `params`
// follow those five arguments.
Status push_index_launch(NodeLowering& l, const ir::Node& n, const std::string& kernel,
                         std::vector<KernelArg> params) {
  OQNN_ASSIGN_OR_RETURN(int flag, l.index_flag());
  int64_t total = ir::num_elements(l.graph.tensor(n.outputs[0]).shape);
  Launch k;
  k.kernel = bits_kernel(kernel, l.graph, n.inputs[0]);
  k.args = {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(l.buffer(n.inputs[1])),
            arg_buffer(l.buffer(n.outputs[0])), arg_buffer(flag), arg_int(l.node_index)};
  k.args.insert(k.args.end(), params.begin(), params.end());
  k.args.push_back(arg_int(total));
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// GatherElements: one work-item per index, walking the indices' shape.
Status lower_gather_elements(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& idx = l.graph.tensor(n.inputs[1]).shape;
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  if (idx.size() > 8)
    return unsupported("node '" + n.name + "' (GatherElements): rank " +
                       std::to_string(idx.size()) + " is above the gpu backend's 8");
  return push_index_launch(
      l, n, "gather_elements",
      {arg_int(static_cast<int64_t>(idx.size())), arg_int8(idx), arg_int8(row_major_strides(x)),
       arg_int(static_cast<int64_t>(axis)), arg_int(x[axis])});
}

Status lower_gather(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  int64_t row = 1;
  for (size_t d = axis + 1; d < x.size(); ++d) row *= x[d];
  int64_t count = ir::num_elements(l.graph.tensor(n.inputs[1]).shape);
  return push_index_launch(l, n, "gather", {arg_int(count), arg_int(x[axis]), arg_int(row)});
}

Status lower_gather_nd(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& idx = l.graph.tensor(n.inputs[1]).shape;
  auto b = static_cast<size_t>(n.params.get_int("batch_dims", 0));
  auto last = static_cast<size_t>(idx.back());
  if (last > 8)
    return unsupported("node '" + n.name + "' (GatherNd): index tuples of " + std::to_string(last) +
                       " are above the gpu backend's 8");
  std::vector<int64_t> xs = row_major_strides(x);
  std::vector<int64_t> dims(x.begin() + static_cast<std::ptrdiff_t>(b),
                            x.begin() + static_cast<std::ptrdiff_t>(b + last));
  std::vector<int64_t> strides(xs.begin() + static_cast<std::ptrdiff_t>(b),
                               xs.begin() + static_cast<std::ptrdiff_t>(b + last));
  int64_t tuples = 1, slice = 1, batch_stride = 1;
  for (size_t d = b; d + 1 < idx.size(); ++d) tuples *= idx[d];
  for (size_t d = b + last; d < x.size(); ++d) slice *= x[d];
  for (size_t d = b; d < x.size(); ++d) batch_stride *= x[d];
  return push_index_launch(l, n, "gather_nd",
                           {arg_int(static_cast<int64_t>(last)), arg_int8(dims), arg_int8(strides),
                            arg_int(slice), arg_int(tuples), arg_int(batch_stride)});
}

Status lower_one_hot(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& idx = l.graph.tensor(n.inputs[0]).shape;
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  int64_t inner = 1;
  for (size_t d = axis; d < idx.size(); ++d) inner *= idx[d];
  int64_t total = ir::num_elements(l.graph.tensor(n.outputs[0]).shape);
  Launch k;
  k.kernel = "one_hot";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(n.params.get_int("depth")),
            arg_int(inner),
            arg_float(n.params.get_float("on_value", 1.0)),
            arg_float(n.params.get_float("off_value", 0.0)),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// ScatterElements and ScatterNd: out = data (a strided copy), then one serial launch of
// the updates in order (kernels/indexing.cl, scatter).
Status lower_scatter(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& idx = l.graph.tensor(n.inputs[1]).shape;
  const bool nd = n.op == "ScatterNd";
  std::vector<int64_t> xs = row_major_strides(x), dims = idx, strides = xs;
  int64_t axis = n.params.get_int("axis", 0), row = 1, count = ir::num_elements(idx);
  if (nd) {
    axis = idx.back();
    dims.assign(x.begin(), x.begin() + axis);
    strides.assign(xs.begin(), xs.begin() + axis);
    for (size_t d = static_cast<size_t>(axis); d < x.size(); ++d) row *= x[d];
    count /= axis;
  }
  if (dims.size() > 8)
    return unsupported("node '" + n.name + "' (" + n.op + "): rank " + std::to_string(dims.size()) +
                       " is above the gpu backend's 8");
  OQNN_RETURN_IF_ERROR(push_copy(l, n, n.inputs[0], n.outputs[0], {x, {xs, xs}}, 0, 0));
  OQNN_ASSIGN_OR_RETURN(int flag, l.index_flag());
  const std::string r = n.params.get_string("reduction", "none");
  const int reduction = r == "add" ? 1 : r == "mul" ? 2 : r == "max" ? 3 : r == "min" ? 4 : 0;
  Launch k;
  k.kernel = ir::is_float(l.graph.tensor(n.inputs[0]).dtype) ? "scatter" : "scatter_i32";
  k.args = {arg_buffer(l.buffer(n.inputs[2])),
            arg_buffer(l.buffer(n.inputs[1])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_buffer(flag),
            arg_int(l.node_index),
            arg_int(nd),
            arg_int(reduction),
            arg_int(static_cast<int64_t>(dims.size())),
            arg_int8(dims),
            arg_int8(strides),
            arg_int(axis),
            arg_int(nd ? 0 : x[static_cast<size_t>(axis)]),
            arg_int(row),
            arg_int(count)};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// TopK: one work-item per input element, placed at its rank in the sorted line.
Status lower_top_k(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  int64_t total = ir::num_elements(x);
  Launch k;
  k.kernel = ir::is_float(l.graph.tensor(n.inputs[0]).dtype) ? "top_k" : "top_k_i32";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_buffer(l.buffer(n.outputs[1])),
            arg_int(x.back()),
            arg_int(n.params.get_int("k")),
            arg_int(n.params.get_int("largest", 1) != 0),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

void add_indexing_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"StridedSlice", lower_strided_slice});
  t.push_back({"Split", lower_split});
  t.push_back({"Tile", lower_tile});
  t.push_back({"DepthToSpace", lower_depth_to_space});
  t.push_back({"SpaceToDepth", lower_space_to_depth});
  t.push_back({"Trilu", lower_trilu});
  t.push_back({"ChannelShuffle", lower_channel_shuffle});
  t.push_back({"Argmax", lower_arg_extreme});
  t.push_back({"Argmin", lower_arg_extreme});
  t.push_back({"GatherElements", lower_gather_elements});
  t.push_back({"Gather", lower_gather});
  t.push_back({"GatherNd", lower_gather_nd});
  t.push_back({"OneHot", lower_one_hot});
  t.push_back({"ScatterElements", lower_scatter});
  t.push_back({"ScatterNd", lower_scatter});
  t.push_back({"TopK", lower_top_k});
}

}  // namespace oqnn::gpu
