#include "onnx/constant_node.h"

namespace oqnn::onnx_import {

Expected<ConstTensor> constant_node_value(::onnx::NodeProto& proto, const OnnxNode& n,
                                          ExternalFiles& files) {
  using ir::DataType;
  for (auto& a : *proto.mutable_attribute()) {
    const std::string& k = a.name();
    if (k == "value") {
      if (!a.has_t()) return n.bad_input("attribute 'value' holds no tensor");
      return take_tensor_proto(*a.mutable_t(), n.prefix() + "value", files);
    }
    if (k == "value_float")
      return make_const_doubles(DataType::kFloat32, {}, std::vector<double>{a.f()});
    if (k == "value_int") return make_const_ints(DataType::kInt64, {}, std::vector<int64_t>{a.i()});
    if (k == "value_floats") {
      std::vector<double> v(a.floats().begin(), a.floats().end());
      return make_const_doubles(DataType::kFloat32, {static_cast<int64_t>(v.size())}, v);
    }
    if (k == "value_ints") {
      std::vector<int64_t> v(a.ints().begin(), a.ints().end());
      return make_const_ints(DataType::kInt64, {static_cast<int64_t>(v.size())}, v);
    }
    if (k == "sparse_value" || k == "value_string" || k == "value_strings")
      return n.unsupported("a Constant with '" + k + "' is not supported");
  }
  return n.bad_input("has no value attribute");
}

}  // namespace oqnn::onnx_import
