#include "ir/verifier.h"

#include <variant>

#include "ir/op_def.h"

namespace oqnn::ir {
namespace {

bool kind_matches(ParamKind k, const ParamValue& v) {
  switch (k) {
    case ParamKind::kInt:
      return std::holds_alternative<int64_t>(v);
    case ParamKind::kFloat:
      return std::holds_alternative<double>(v) || std::holds_alternative<int64_t>(v);
    case ParamKind::kString:
      return std::holds_alternative<std::string>(v);
    case ParamKind::kInts:
      return std::holds_alternative<std::vector<int64_t>>(v);
    case ParamKind::kFloats:
      return std::holds_alternative<std::vector<double>>(v);
  }
  return false;
}

Status check_node_signature(const Graph& g, const Node& n, const OpDef& def) {
  int ni = static_cast<int>(n.inputs.size());
  if (ni < def.min_inputs || (def.max_inputs >= 0 && ni > def.max_inputs))
    return shape_error(n, "has " + std::to_string(ni) + " inputs");
  for (int i = 0; i < ni; ++i) {
    TensorId t = n.inputs[static_cast<size_t>(i)];
    if (t == kNoTensor && i < def.min_inputs)
      return shape_error(n, "required input " + std::to_string(i) + " is missing");
    if (t != kNoTensor && (t < 0 || static_cast<size_t>(t) >= g.tensors.size()))
      return shape_error(n, "input id out of range");
  }
  for (TensorId t : n.outputs)
    if (t < 0 || static_cast<size_t>(t) >= g.tensors.size())
      return shape_error(n, "output id out of range");
  for (const auto& pd : def.params) {
    if (!n.params.has(pd.name)) {
      if (pd.required) return shape_error(n, "missing parameter '" + pd.name + "'");
      continue;
    }
    if (!kind_matches(pd.kind, n.params.all().at(pd.name)))
      return shape_error(n, "parameter '" + pd.name + "' has the wrong type");
  }
  for (const auto& [name, v] : n.params.all()) {
    bool known = false;
    for (const auto& pd : def.params) known = known || pd.name == name;
    if (!known) return shape_error(n, "unknown parameter '" + name + "'");
  }
  return Status::ok();
}

}  // namespace

Status verify(const Graph& g) {
  std::vector<bool> ready(g.tensors.size(), false);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (t.kind == TensorKind::kInput || t.kind == TensorKind::kStatic) ready[i] = true;
    if (t.kind == TensorKind::kStatic &&
        (!t.data ||
         t.data->size() != static_cast<size_t>(num_elements(t.shape)) * dtype_size(t.dtype)))
      return bad_input("tensor '" + t.name + "': static data size does not match shape " +
                       shape_str(t.shape));
  }
  for (const Node& n : g.nodes) {
    const OpDef* def = find_op(n.op);
    if (!def) return unsupported("node '" + n.name + "': op '" + n.op + "' is not in the op table");
    OQNN_RETURN_IF_ERROR(check_node_signature(g, n, *def));
    for (TensorId t : n.inputs)
      if (t >= 0 && !ready[static_cast<size_t>(t)])
        return internal_error("node '" + n.name + "': input '" + g.tensor(t).name +
                              "' is used before it is produced");
    auto outs = def->infer(g, n);
    if (!outs) return outs.error();
    if (outs->size() != n.outputs.size()) return shape_error(n, "wrong number of outputs");
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      const Tensor& t = g.tensor(n.outputs[i]);
      if (t.shape != (*outs)[i].shape)
        return shape_error(n, "output '" + t.name + "' is declared " + shape_str(t.shape) +
                                  " but the shape rule gives " + shape_str((*outs)[i].shape));
      ready[static_cast<size_t>(n.outputs[i])] = true;
    }
  }
  for (TensorId t : g.outputs)
    if (!ready[static_cast<size_t>(t)])
      return bad_input("graph output '" + g.tensor(t).name + "' is never produced");
  return Status::ok();
}

Status infer_shapes(Graph& g) {
  for (const Node& n : g.nodes) {
    const OpDef* def = find_op(n.op);
    if (!def) return unsupported("node '" + n.name + "': op '" + n.op + "' is not in the op table");
    OQNN_RETURN_IF_ERROR(check_node_signature(g, n, *def));
    auto outs = def->infer(g, n);
    if (!outs) return outs.error();
    if (outs->size() != n.outputs.size()) return shape_error(n, "wrong number of outputs");
    for (size_t i = 0; i < n.outputs.size(); ++i) {
      Tensor& t = g.tensor(n.outputs[i]);
      t.shape = (*outs)[i].shape;
      t.dtype = (*outs)[i].dtype;
    }
  }
  return Status::ok();
}

}  // namespace oqnn::ir
