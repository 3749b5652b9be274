// Element-wise ops: binary with numpy broadcasting (and Prelu, whose slope broadcasts the
// same way), unary activations, and channel-last Batchnorm.
#include "backends/gpu/lowering.h"

namespace oqnn::gpu {
namespace {

// Strides of `s` over the output dimensions of rank `rank` (0 where `s` is broadcast).
std::vector<int64_t> broadcast_strides(const ir::Shape& s, size_t rank) {
  std::vector<int64_t> rm = row_major_strides(s), out(rank, 0);
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != 1) out[rank - s.size() + i] = rm[i];
  return out;
}

Status lower_binary(NodeLowering& l, const ir::Node& n, int op) {
  const ir::Graph& g = l.graph;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  Walk walk{y,
            {broadcast_strides(g.tensor(n.inputs[0]).shape, y.size()),
             broadcast_strides(g.tensor(n.inputs[1]).shape, y.size())}};
  walk = collapse(std::move(walk));
  OQNN_RETURN_IF_ERROR(check_rank(n, walk));
  int64_t total = ir::num_elements(y);
  Launch k;
  k.kernel = "eltwise_binary";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.inputs[1])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(op),
            arg_int(static_cast<int64_t>(walk.dims.size())),
            arg_int8(walk.dims),
            arg_int8(walk.strides[0]),
            arg_int8(walk.strides[1]),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

template <int Op>
Status lower_binary_op(NodeLowering& l, const ir::Node& n) {
  return lower_binary(l, n, Op);
}

Status lower_unary(NodeLowering& l, const ir::Node& n, int op, double p0, double p1) {
  int64_t total = elements(l.graph, n.outputs[0]);
  Launch k;
  k.kernel = "eltwise_unary";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(op),
            arg_float(p0),
            arg_float(p1),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

Status lower_relu(NodeLowering& l, const ir::Node& n) {
  return lower_unary(l, n, 0, 0, 0);
}
Status lower_relu_min_max(NodeLowering& l, const ir::Node& n) {
  return lower_unary(l, n, 1, n.params.get_float("min_value"), n.params.get_float("max_value"));
}
Status lower_sigmoid(NodeLowering& l, const ir::Node& n) {
  return lower_unary(l, n, 2, 0, 0);
}
Status lower_hard_swish(NodeLowering& l, const ir::Node& n) {
  return lower_unary(l, n, 3, 0, 0);
}
Status lower_neuron(NodeLowering& l, const ir::Node& n) {
  std::string op = n.params.get_string("operation");
  if (op != "hard_sigmoid")
    return unsupported("node '" + n.name + "' (ElementWiseNeuron): operation '" + op +
                       "' is not supported by the gpu backend");
  // ONNX HardSigmoid defaults.
  return lower_unary(l, n, 4, n.params.get_float("alpha", 0.2), n.params.get_float("beta", 0.5));
}

Status lower_batchnorm(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  int64_t total = ir::num_elements(x);
  Launch k;
  k.kernel = "batchnorm_channel_last";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.inputs[1])),
            arg_buffer(l.buffer(n.inputs[2])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(x.back()),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

void add_elementwise_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"ElementWiseAdd", lower_binary_op<0>});
  t.push_back({"ElementWiseSubtract", lower_binary_op<1>});
  t.push_back({"ElementWiseMultiply", lower_binary_op<2>});
  t.push_back({"ElementWiseDivide", lower_binary_op<3>});
  t.push_back({"Prelu", lower_binary_op<4>});
  t.push_back({"Relu", lower_relu});
  t.push_back({"ReluMinMax", lower_relu_min_max});
  t.push_back({"Sigmoid", lower_sigmoid});
  t.push_back({"HardSwish", lower_hard_swish});
  t.push_back({"ElementWiseNeuron", lower_neuron});
  t.push_back({"Batchnorm", lower_batchnorm});
}

}  // namespace oqnn::gpu
