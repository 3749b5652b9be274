#include "onnx/function_expand.h"

#include <exception>
#include <map>

#include <onnx/defs/schema.h>

namespace oqnn::onnx_import {
namespace {

// The value a ref_attr_name attribute takes: the node's own, else the schema's default;
// nullptr drops the attribute (the body op's own default applies).
const ::onnx::AttributeProto* actual_attr(const OnnxNode& n, const ::onnx::OpSchema& s,
                                          const std::string& ref) {
  for (const auto& a : n.proto().attribute())
    if (a.name() == ref) return &a;
  auto it = s.attributes().find(ref);
  if (it != s.attributes().end() && it->second.default_value.type() != 0)
    return &it->second.default_value;
  return nullptr;
}

Status instantiate(const OnnxNode& n, const ::onnx::OpSchema& s, const ::onnx::FunctionProto& fp,
                   const FunctionContext& fc, FunctionBody& body) {
  std::map<std::string, std::string> rename;
  for (int i = 0; i < fp.input_size(); ++i)
    rename[fp.input(i)] = n.input(static_cast<size_t>(i));  // "" when not given
  for (int j = 0; j < fp.output_size(); ++j) {
    auto jj = static_cast<size_t>(j);
    bool given = jj < n.num_outputs() && !n.output(jj).empty();
    rename[fp.output(j)] = given ? n.output(jj) : fc.fresh_value(n.name() + "/" + fp.output(j));
  }
  auto mapped = [&](const std::string& v) {
    if (v.empty()) return v;
    auto it = rename.find(v);
    if (it == rename.end()) it = rename.emplace(v, fc.fresh_value(n.name() + "/" + v)).first;
    return it->second;
  };
  for (int k = 0; k < fp.node_size(); ++k) {
    ::onnx::NodeProto nd = fp.node(k);
    for (auto& in : *nd.mutable_input()) in = mapped(in);
    for (auto& out : *nd.mutable_output()) out = mapped(out);
    std::string base = nd.name().empty() ? nd.op_type() + "_" + std::to_string(k) : nd.name();
    nd.set_name(fc.fresh_node(n.name() + "/" + base));
    ::google::protobuf::RepeatedPtrField<::onnx::AttributeProto> attrs;
    for (const auto& a : nd.attribute()) {
      if (a.ref_attr_name().empty()) {
        *attrs.Add() = a;
        continue;
      }
      const ::onnx::AttributeProto* v = actual_attr(n, s, a.ref_attr_name());
      if (!v) continue;
      if (v->type() != a.type() && a.type() != 0)
        return n.bad_input("attribute '" + a.ref_attr_name() + "' has the wrong type for its " +
                           "function body");
      ::onnx::AttributeProto* c = attrs.Add();
      *c = *v;
      c->set_name(a.name());
    }
    *nd.mutable_attribute() = std::move(attrs);
    body.nodes.push_back(std::move(nd));
  }
  return Status::ok();
}

// What the schema checks (input/output counts, attribute names and types), then the value
// rules of expanded ops that their bodies would otherwise read as some default.
Status verify(const OnnxNode& n, const ::onnx::OpSchema& s) {
  try {
    s.Verify(n.proto());
  } catch (const std::exception& e) {
    return n.bad_input(e.what());
  }
  bool loss =
      n.op_type() == "NegativeLogLikelihoodLoss" || n.op_type() == "SoftmaxCrossEntropyLoss";
  std::string red = n.attr_string("reduction", "mean");
  if (loss && red != "none" && red != "sum" && red != "mean")
    return n.bad_input("reduction '" + red + "' is not one of none, sum, mean");
  return Status::ok();
}

int64_t default_opset(const ::onnx::FunctionProto& fp, const ::onnx::OpSchema& s) {
  for (const auto& o : fp.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx") return o.version();
  return s.since_version();
}

}  // namespace

int32_t onnx_elem_type(ir::DataType dt) {
  using TP = ::onnx::TensorProto;
  switch (dt) {
    case ir::DataType::kFloat32:
      return TP::FLOAT;
    case ir::DataType::kFloat16:
      return TP::FLOAT16;
    case ir::DataType::kInt8:
      return TP::INT8;
    case ir::DataType::kUInt8:
      return TP::UINT8;
    case ir::DataType::kInt16:
      return TP::INT16;
    case ir::DataType::kUInt16:
      return TP::UINT16;
    case ir::DataType::kInt32:
      return TP::INT32;
    case ir::DataType::kInt64:
      return TP::INT64;
    case ir::DataType::kBool:
      return TP::BOOL;
    default:
      return TP::UNDEFINED;
  }
}

Expected<std::optional<FunctionBody>> expand_function(const OnnxNode& n,
                                                      const FunctionContext& fc) {
  const ::onnx::OpSchema* s =
      ::onnx::OpSchemaRegistry::Schema(n.op_type(), static_cast<int>(n.opset()), "");
  if (!s) return std::optional<FunctionBody>{};
  if (!s->HasContextDependentFunction() && !s->GetFunction()) return std::optional<FunctionBody>{};
  OQNN_RETURN_IF_ERROR(verify(n, *s));
  ::onnx::FunctionProto built;
  const ::onnx::FunctionProto* fp = nullptr;
  try {
    if (s->HasContextDependentFunction()) {
      std::vector<::onnx::TypeProto> types(fc.input_types.size());
      for (size_t i = 0; i < types.size(); ++i)
        if (fc.input_types[i] != 0)
          types[i].mutable_tensor_type()->set_elem_type(fc.input_types[i]);
      ::onnx::FunctionBodyBuildContextImpl bctx(n.proto(), types);
      if (!s->BuildContextDependentFunction(bctx, built))
        return n.unsupported("its function body cannot be built for these attributes/inputs");
      fp = &built;
    } else {
      fp = s->GetFunction();
    }
  } catch (const std::exception& e) {
    return n.bad_input(std::string("its function body cannot be built: ") + e.what());
  }
  if (!fp) return std::optional<FunctionBody>{};
  FunctionBody body;
  body.opset = default_opset(*fp, *s);
  OQNN_RETURN_IF_ERROR(instantiate(n, *s, *fp, fc, body));
  return std::optional<FunctionBody>{std::move(body)};
}

}  // namespace oqnn::onnx_import
