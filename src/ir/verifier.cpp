#include "ir/verifier.h"

#include <cmath>
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

// What kernels index by: a per-axis encoding has one finite positive scale per channel.
Status check_encoding(const Tensor& t) {
  const Encoding& e = *t.encoding;
  auto fail = [&](const std::string& what) {
    return bad_input("tensor '" + t.name + "': encoding " + what);
  };
  if (e.bitwidth < 1 || e.bitwidth > 32) return fail("bit width " + std::to_string(e.bitwidth));
  if (e.scale.empty() || e.scale.size() != e.offset.size())
    return fail("needs one scale and one offset per channel");
  for (double s : e.scale)
    if (!std::isfinite(s) || s <= 0) return fail("scale " + std::to_string(s) + " is not > 0");
  if (e.axis < 0 ? e.scale.size() != 1
                 : static_cast<size_t>(e.axis) >= t.shape.size() ||
                       static_cast<int64_t>(e.scale.size()) != t.shape[e.axis])
    return fail("axis " + std::to_string(e.axis) + " does not fit shape " + shape_str(t.shape) +
                " with " + std::to_string(e.scale.size()) + " channel(s)");
  return Status::ok();
}

// Shapes, static data and encodings: graphs also come from files (context binaries).
Status check_tensor(const Tensor& t) {
  if (checked_num_elements(t.shape) < 0)
    return bad_input("tensor '" + t.name + "': shape " + shape_str(t.shape) +
                     " has a negative dimension or too many elements");
  if (t.kind == TensorKind::kStatic &&
      (!t.data ||
       t.data->size() != static_cast<size_t>(num_elements(t.shape)) * dtype_size(t.dtype)))
    return bad_input("tensor '" + t.name + "': static data size does not match shape " +
                     shape_str(t.shape));
  return t.encoding ? check_encoding(t) : Status::ok();
}

bool valid_id(const Graph& g, TensorId t) {
  return t >= 0 && static_cast<size_t>(t) < g.tensors.size();
}

Status check_graph_io(const Graph& g) {
  for (TensorId t : g.inputs) {
    if (!valid_id(g, t)) return bad_input("graph input id " + std::to_string(t) + " out of range");
    if (g.tensor(t).kind != TensorKind::kInput)
      return bad_input("graph input '" + g.tensor(t).name + "' is not an input tensor");
  }
  for (TensorId t : g.outputs)
    if (!valid_id(g, t)) return bad_input("graph output id " + std::to_string(t) + " out of range");
  return Status::ok();
}

}  // namespace

Status verify(const Graph& g) {
  std::vector<bool> ready(g.tensors.size(), false), written(g.tensors.size(), false);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const Tensor& t = g.tensors[i];
    if (t.kind == TensorKind::kStatic) ready[i] = true;
    OQNN_RETURN_IF_ERROR(check_tensor(t));
  }
  OQNN_RETURN_IF_ERROR(check_graph_io(g));
  // Only listed inputs get data at execution; an input tensor missing from the list has none.
  for (TensorId t : g.inputs) ready[static_cast<size_t>(t)] = true;
  for (const Node& n : g.nodes) {
    const OpDef* def = find_op(n.op);
    if (!def) return unsupported("node '" + n.name + "': op '" + n.op + "' is not in the op table");
    OQNN_RETURN_IF_ERROR(check_node_signature(g, n, *def));
    for (TensorId t : n.inputs)
      if (t >= 0 && !ready[static_cast<size_t>(t)])
        return bad_input("node '" + n.name + "': input '" + g.tensor(t).name +
                         "' is used before it is produced");
    for (TensorId t : n.outputs) {
      // Kernels write their outputs: never into weights, graph inputs or another node's.
      const Tensor& out = g.tensor(t);
      if (out.kind == TensorKind::kStatic || out.kind == TensorKind::kInput ||
          written[static_cast<size_t>(t)])
        return shape_error(n, "output '" + out.name + "' is " +
                                  (written[static_cast<size_t>(t)]
                                       ? std::string("written by an earlier node")
                                       : std::string(kind_name(out.kind)) + " tensor"));
      written[static_cast<size_t>(t)] = true;
    }
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
