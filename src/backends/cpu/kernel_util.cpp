#include "backends/cpu/kernel_util.h"

#include "ir/op_def.h"

namespace oqnn::cpu {

Error node_unsupported(const ir::Node& n, const std::string& what) {
  return unsupported("node '" + n.name + "' (" + n.op + "): " + what);
}

Error node_bad_input(const ir::Node& n, const std::string& what) {
  return bad_input("node '" + n.name + "' (" + n.op + "): " + what);
}

namespace {

Status check_node_impl(const ir::Graph& g, const ir::Node& n, bool float_only) {
  const ir::OpDef* def = ir::find_op(n.op);
  if (!def) return node_unsupported(n, "op is not in the op table");
  int ni = static_cast<int>(n.inputs.size());
  if (ni < def->min_inputs || (def->max_inputs >= 0 && ni > def->max_inputs))
    return node_bad_input(n, "has " + std::to_string(ni) + " inputs");
  auto in_range = [&](ir::TensorId t) {
    return t >= 0 && static_cast<size_t>(t) < g.tensors.size();
  };
  for (int i = 0; i < ni; ++i) {
    ir::TensorId t = n.inputs[static_cast<size_t>(i)];
    if (t == ir::kNoTensor && i >= def->min_inputs) continue;
    if (!in_range(t)) return node_bad_input(n, "input " + std::to_string(i) + " is missing");
  }
  for (ir::TensorId t : n.outputs)
    if (!in_range(t)) return node_bad_input(n, "output id out of range");
  for (ir::TensorId t : n.inputs) {
    if (t == ir::kNoTensor) continue;
    const ir::Tensor& ten = g.tensor(t);
    if (float_only && ten.dtype != ir::DataType::kFloat32)
      return node_unsupported(n, "tensor '" + ten.name + "' is " +
                                     std::string(ir::dtype_name(ten.dtype)) +
                                     "; this cpu kernel runs float32 only");
    if (ten.is_static() &&
        (!ten.data || ten.data->size() != static_cast<size_t>(ir::num_elements(ten.shape)) *
                                              ir::dtype_size(ten.dtype)))
      return node_bad_input(n, "static tensor '" + ten.name + "' has the wrong data size");
  }
  auto outs = def->infer(g, n);
  if (!outs) return outs.error();
  if (outs->size() != n.outputs.size()) return node_bad_input(n, "wrong number of outputs");
  for (size_t i = 0; i < n.outputs.size(); ++i) {
    const ir::Tensor& t = g.tensor(n.outputs[i]);
    if (float_only && t.dtype != ir::DataType::kFloat32)
      return node_unsupported(n, "output '" + t.name + "' is " +
                                     std::string(ir::dtype_name(t.dtype)) +
                                     "; this cpu kernel runs float32 only");
    if (t.dtype != (*outs)[i].dtype)
      return node_bad_input(
          n, "output '" + t.name + "' is declared " + std::string(ir::dtype_name(t.dtype)) +
                 " but the shape rule gives " + std::string(ir::dtype_name((*outs)[i].dtype)));
    if (t.shape != (*outs)[i].shape)
      return node_bad_input(n, "output '" + t.name + "' is declared " + ir::shape_str(t.shape) +
                                   " but the shape rule gives " + ir::shape_str((*outs)[i].shape));
  }
  return Status::ok();
}

}  // namespace

Status check_node(const ir::Graph& g, const ir::Node& n) {
  return check_node_impl(g, n, true);
}

Status check_node_any_dtype(const ir::Graph& g, const ir::Node& n) {
  return check_node_impl(g, n, false);
}

Expected<ActivationRange> fused_activation(const ir::Node& n) {
  ActivationRange r;
  std::string act = n.params.get_string("fused_activation", "");
  if (act.empty() || act == "none") return r;
  if (act == "relu") {
    r.lo = 0.0f;
    return r;
  }
  if (act == "clip") {
    if (!n.params.has("clip_min") || !n.params.has("clip_max"))
      return node_bad_input(n, "fused_activation 'clip' needs clip_min and clip_max");
    r.lo = static_cast<float>(n.params.get_float("clip_min"));
    r.hi = static_cast<float>(n.params.get_float("clip_max"));
    if (!(r.lo <= r.hi)) return node_bad_input(n, "clip_min is greater than clip_max");
    return r;
  }
  return node_unsupported(n, "fused_activation '" + act + "' is not supported (relu, clip)");
}

}  // namespace oqnn::cpu
