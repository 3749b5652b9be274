// Data movement: Reshape (an alias: the plan gives its output the input's buffer, so it
// launches nothing), Transpose and Concat (strided copies), Pad.
#include "backends/gpu/lowering.h"

namespace oqnn::gpu {

// Float tensors move in the storage type; integer and bool ones by their element size.
std::string bits_kernel(const std::string& base, const ir::Graph& g, ir::TensorId t) {
  ir::DataType dt = g.tensor(t).dtype;
  if (ir::is_float(dt)) return base;
  return base + "_" + std::to_string(ir::dtype_size(dt));
}

std::string copy_kernel(const ir::Graph& g, ir::TensorId t) {
  return bits_kernel("copy_strided", g, t);
}

Launch copy_launch(const std::string& kernel, int in, int out, const Walk& w, int64_t in_base,
                   int64_t out_base) {
  Launch k;
  int64_t total = ir::num_elements(w.dims);
  k.kernel = kernel;
  k.args = {arg_buffer(in),
            arg_buffer(out),
            arg_int(static_cast<int64_t>(w.dims.size())),
            arg_int8(w.dims),
            arg_int8(w.strides[0]),
            arg_int8(w.strides[1]),
            arg_ints({in_base, out_base}),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  return k;
}

namespace {

Status lower_reshape(NodeLowering& l, const ir::Node& n) {
  if (l.buffer(n.inputs[0]) != l.buffer(n.outputs[0]))
    return internal_error("node '" + n.name + "' (Reshape): output does not alias its input");
  return Status::ok();
}

Status lower_transpose(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& y = l.graph.tensor(n.outputs[0]).shape;
  auto perm = n.params.get_ints("perm");
  std::vector<int64_t> xs = row_major_strides(x), in_strides(perm.size());
  for (size_t d = 0; d < perm.size(); ++d) in_strides[d] = xs[static_cast<size_t>(perm[d])];
  Walk w = collapse({y, {in_strides, row_major_strides(y)}});
  OQNN_RETURN_IF_ERROR(check_rank(n, w));
  l.launches.push_back(copy_launch(copy_kernel(l.graph, n.inputs[0]), l.buffer(n.inputs[0]),
                                   l.buffer(n.outputs[0]), w, 0, 0));
  return Status::ok();
}

Status lower_concat(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& y = l.graph.tensor(n.outputs[0]).shape;
  size_t axis = static_cast<size_t>(n.params.get_int("axis"));
  std::vector<int64_t> ys = row_major_strides(y);
  int64_t offset = 0;
  const ir::DataType dt = l.graph.tensor(n.outputs[0]).dtype;
  for (ir::TensorId t : n.inputs) {
    const ir::DataType in_dt = l.graph.tensor(t).dtype;
    if (in_dt != dt && !(ir::is_float(in_dt) && ir::is_float(dt)))
      return unsupported("node '" + n.name + "' (Concat): input '" + l.graph.tensor(t).name +
                         "' is " + std::string(ir::dtype_name(in_dt)) + ", the output " +
                         std::string(ir::dtype_name(dt)));
    const ir::Shape& x = l.graph.tensor(t).shape;
    Walk w = collapse({x, {row_major_strides(x), ys}});
    OQNN_RETURN_IF_ERROR(check_rank(n, w));
    l.launches.push_back(copy_launch(copy_kernel(l.graph, t), l.buffer(t), l.buffer(n.outputs[0]),
                                     w, 0, offset * ys[axis]));
    offset += x[axis];
  }
  return Status::ok();
}

Status lower_pad(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& y = l.graph.tensor(n.outputs[0]).shape;
  auto pad = n.params.get_ints("pad_amount");
  std::string scheme = n.params.get_string("scheme", "constant");
  int code = scheme == "reflect" ? 1 : scheme == "edge" ? 2 : 0;
  std::vector<int64_t> before(x.size());
  for (size_t d = 0; d < x.size(); ++d) before[d] = pad[2 * d];
  if (x.size() > 8)
    return unsupported("node '" + n.name + "' (Pad): rank " + std::to_string(x.size()) +
                       " is above the gpu backend's 8");
  int64_t total = ir::num_elements(y);
  Launch k;
  k.kernel = "pad_nd";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(static_cast<int64_t>(x.size())),
            arg_int8(y),
            arg_int8(x),
            arg_int8(before),
            arg_int(code),
            arg_float(n.params.get_float("pad_constant_value", 0.0)),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

void add_layout_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"Reshape", lower_reshape});
  t.push_back({"Transpose", lower_transpose});
  t.push_back({"Concat", lower_concat});
  t.push_back({"Pad", lower_pad});
}

}  // namespace oqnn::gpu
