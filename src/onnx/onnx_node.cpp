#include "onnx/onnx_node.h"

namespace oqnn::onnx_import {
namespace {
using Attr = ::onnx::AttributeProto;
const std::string kEmpty;
}  // namespace

const std::string& OnnxNode::input(size_t i) const {
  return i < num_inputs() ? proto_.input(static_cast<int>(i)) : kEmpty;
}

const std::string& OnnxNode::output(size_t i) const {
  return i < num_outputs() ? proto_.output(static_cast<int>(i)) : kEmpty;
}

const Attr* OnnxNode::find_attr(std::string_view name) const {
  for (const auto& a : proto_.attribute())
    if (a.name() == name) return &a;
  return nullptr;
}

const Attr* OnnxNode::typed_attr(std::string_view name, int type) const {
  const Attr* a = find_attr(name);
  if (!a) return nullptr;
  // Old exporters leave `type` unset; accept the attribute when the field we need is there.
  if (a->type() == type || a->type() == Attr::UNDEFINED) return a;
  if (!attr_error_)
    attr_error_ = bad_input("attribute '" + std::string(name) + "' has type " +
                            Attr::AttributeType_Name(a->type()) + ", expected " +
                            Attr::AttributeType_Name(static_cast<Attr::AttributeType>(type)));
  return nullptr;
}

int64_t OnnxNode::attr_int(std::string_view name, int64_t def) const {
  const Attr* a = typed_attr(name, Attr::INT);
  return a ? a->i() : def;
}

double OnnxNode::attr_float(std::string_view name, double def) const {
  const Attr* a = typed_attr(name, Attr::FLOAT);
  return a ? static_cast<double>(a->f()) : def;
}

std::string OnnxNode::attr_string(std::string_view name, const std::string& def) const {
  const Attr* a = typed_attr(name, Attr::STRING);
  return a ? a->s() : def;
}

std::vector<int64_t> OnnxNode::attr_ints(std::string_view name, std::vector<int64_t> def) const {
  const Attr* a = typed_attr(name, Attr::INTS);
  if (!a) return def;
  return {a->ints().begin(), a->ints().end()};
}

std::vector<double> OnnxNode::attr_floats(std::string_view name, std::vector<double> def) const {
  const Attr* a = typed_attr(name, Attr::FLOATS);
  if (!a) return def;
  return {a->floats().begin(), a->floats().end()};
}

std::vector<std::string> OnnxNode::attr_strings(std::string_view name) const {
  const Attr* a = typed_attr(name, Attr::STRINGS);
  if (!a) return {};
  return {a->strings().begin(), a->strings().end()};
}

const ::onnx::TensorProto* OnnxNode::attr_tensor(std::string_view name) const {
  const Attr* a = typed_attr(name, Attr::TENSOR);
  return a && a->has_t() ? &a->t() : nullptr;
}

std::string OnnxNode::prefix() const {
  return "node '" + name_ + "' (" + op_type() + ", opset " + std::to_string(opset_) + "): ";
}

Error OnnxNode::unsupported(const std::string& reason) const {
  return ::oqnn::unsupported(prefix() + reason);
}

Error OnnxNode::bad_input(const std::string& reason) const {
  return ::oqnn::bad_input(prefix() + reason);
}

}  // namespace oqnn::onnx_import
