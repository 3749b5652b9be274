// A view of one ONNX NodeProto for the translators and folders: its display name, opset,
// inputs/outputs and typed attribute access. A wrongly typed attribute is remembered and
// reported after the translator ran (attr_error), so translators read attributes plainly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

#include "support/status.h"

namespace oqnn::onnx_import {

class OnnxNode {
 public:
  OnnxNode(const ::onnx::NodeProto& proto, std::string name, int64_t opset)
      : proto_(proto), name_(std::move(name)), opset_(opset) {}

  const std::string& name() const { return name_; }
  const std::string& op_type() const { return proto_.op_type(); }
  int64_t opset() const { return opset_; }
  const ::onnx::NodeProto& proto() const { return proto_; }

  size_t num_inputs() const { return static_cast<size_t>(proto_.input_size()); }
  bool has_input(size_t i) const { return i < num_inputs() && !input(i).empty(); }
  const std::string& input(size_t i) const;  // "" when absent
  size_t num_outputs() const { return static_cast<size_t>(proto_.output_size()); }
  const std::string& output(size_t i) const;

  bool has_attr(std::string_view name) const { return find_attr(name) != nullptr; }
  int64_t attr_int(std::string_view name, int64_t def) const;
  double attr_float(std::string_view name, double def) const;
  std::string attr_string(std::string_view name, const std::string& def) const;
  std::vector<int64_t> attr_ints(std::string_view name, std::vector<int64_t> def = {}) const;
  std::vector<double> attr_floats(std::string_view name, std::vector<double> def = {}) const;
  std::vector<std::string> attr_strings(std::string_view name) const;
  const ::onnx::TensorProto* attr_tensor(std::string_view name) const;
  const std::optional<Error>& attr_error() const { return attr_error_; }

  // "node '<name>' (<OpType>, opset <N>): " — every node error starts so.
  std::string prefix() const;
  Error unsupported(const std::string& reason) const;
  Error bad_input(const std::string& reason) const;

 private:
  const ::onnx::AttributeProto* find_attr(std::string_view name) const;
  const ::onnx::AttributeProto* typed_attr(std::string_view name, int type) const;

  const ::onnx::NodeProto& proto_;
  std::string name_;
  int64_t opset_;
  mutable std::optional<Error> attr_error_;
};

}  // namespace oqnn::onnx_import
