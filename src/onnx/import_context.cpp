#include "onnx/import_context.h"

#include <cassert>

#include "ir/op_def.h"

namespace oqnn::onnx_import {

const Value* ImportContext::find(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

const ConstTensor* ImportContext::const_of(const std::string& name) const {
  const Value* v = find(name);
  return v && v->kind == Value::Kind::kConst ? &v->c : nullptr;
}

void ImportContext::set_const(const std::string& name, ConstTensor c) {
  Value v;
  v.kind = Value::Kind::kConst;
  v.c = std::move(c);
  values_[name] = std::move(v);
}

void ImportContext::set_tensor(const std::string& name, ir::TensorId id) {
  Value v;
  v.kind = Value::Kind::kTensor;
  v.id = id;
  values_[name] = std::move(v);
}

void ImportContext::set_unknown(const std::string& name, bool runtime) {
  Value v;
  v.runtime = runtime;
  values_[name] = std::move(v);
}

ir::TensorId ImportContext::tensor_of(const std::string& name) {
  Value& v = values_.at(name);
  if (v.id == ir::kNoTensor && v.kind == Value::Kind::kConst) v.id = add_static(name, v.c);
  return v.id;
}

void ImportContext::make_ir_typed(const std::string& name) {
  auto it = values_.find(name);
  if (it != values_.end() && it->second.kind == Value::Kind::kConst &&
      (it->second.c.float64 || it->second.c.dtype == ir::DataType::kFloat16))
    it->second.c = to_ir_const(it->second.c);
}

const ir::Shape& ImportContext::shape_of(const std::string& name) const {
  const Value& v = values_.at(name);
  return v.kind == Value::Kind::kConst ? v.c.shape : graph.tensor(v.id).shape;
}

ir::DataType ImportContext::dtype_of(const std::string& name) const {
  const Value& v = values_.at(name);
  return v.kind == Value::Kind::kConst ? v.c.dtype : graph.tensor(v.id).dtype;
}

ir::TensorId ImportContext::add_static(const std::string& name, ConstTensor c) {
  c = to_ir_const(c);
  std::string n = graph.find_tensor(name) ? aux_tensor_name(name) : name;
  ir::Tensor t;
  t.name = n;
  t.dtype = c.dtype;
  t.shape = std::move(c.shape);
  t.kind = ir::TensorKind::kStatic;
  t.data = std::move(c.data);
  return graph.add_tensor(std::move(t));
}

Expected<ir::TensorId> ImportContext::emit(const std::string& node_name, const std::string& op,
                                           std::vector<ir::TensorId> inputs, ir::Params params,
                                           const std::string& out_name) {
  OQNN_ASSIGN_OR_RETURN(
      auto ids, emit_multi(node_name, op, std::move(inputs), std::move(params), {out_name}));
  if (ids.size() != 1) return internal_error("node '" + node_name + "': expected one output");
  return ids[0];
}

Expected<std::vector<ir::TensorId>> ImportContext::emit_multi(
    const std::string& node_name, const std::string& op, std::vector<ir::TensorId> inputs,
    ir::Params params, const std::vector<std::string>& out_names) {
  const ir::OpDef* def = ir::find_op(op);
  if (!def)
    return internal_error("node '" + node_name + "': op '" + op + "' is not in the op table");
  ir::Node node{node_name, op, std::move(inputs), {}, std::move(params)};
  auto outs = def->infer(graph, node);
  if (!outs) return outs.error();
  if (outs->size() != out_names.size())
    return internal_error("node '" + node_name + "': the shape rule gives " +
                          std::to_string(outs->size()) + " outputs, " +
                          std::to_string(out_names.size()) + " named");
  std::vector<ir::TensorId> ids;
  for (size_t j = 0; j < outs->size(); ++j) {
    const ir::OutputInfo& o = (*outs)[j];
    if (ir::checked_num_elements(o.shape) < 0)  // the verifier's bound, named here
      return bad_input("node '" + node_name + "' (" + op + "): output shape " +
                       ir::shape_str(o.shape) + " has more than 2^40 elements");
    std::string base = out_names[j].empty() ? node_name + "_out" + std::to_string(j) : out_names[j];
    std::string name =
        out_names[j].empty() || graph.find_tensor(base) ? aux_tensor_name(base) : base;
    ir::Tensor t;
    t.name = name;
    t.dtype = o.dtype;
    t.shape = o.shape;
    ids.push_back(graph.add_tensor(std::move(t)));
  }
  node.outputs = ids;
  used_node_names_.insert(node.name);
  graph.nodes.push_back(std::move(node));
  return ids;
}

std::string ImportContext::aux_tensor_name(const std::string& base) const {
  auto taken = [&](const std::string& n) {
    return onnx_tensor_names_.count(n) != 0 || graph.find_tensor(n).has_value();
  };
  if (!taken(base)) return base;
  for (int i = 1;; ++i) {
    std::string n = base + "_" + std::to_string(i);
    if (!taken(n)) return n;
  }
}

std::string ImportContext::aux_node_name(const std::string& base) {
  auto taken = [&](const std::string& n) {
    return onnx_node_names_.count(n) != 0 || used_node_names_.count(n) != 0;
  };
  std::string n = base;
  for (int i = 1; taken(n); ++i) n = base + "_" + std::to_string(i);
  used_node_names_.insert(n);
  return n;
}

}  // namespace oqnn::onnx_import
