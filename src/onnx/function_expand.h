// Function expansion: an ONNX op we have no translator for, whose schema (libonnx's
// registry) defines a function body — static or built from the node's context — is
// replaced by its body's nodes, instantiated for this node: values renamed apart, formal
// inputs/outputs bound to the node's (absent optional ones to ""), `ref_attr_name`
// attributes substituted. The importer translates them at the body's own opset.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/graph.h"
#include "onnx/onnx_node.h"

namespace oqnn::onnx_import {

struct FunctionBody {
  std::vector<::onnx::NodeProto> nodes;
  int64_t opset = 0;  // the body's default-domain opset (its opset_import)
};

struct FunctionContext {
  // ONNX elem types of the node's inputs (UNDEFINED where absent or not known).
  std::vector<int32_t> input_types;
  std::function<std::string(const std::string&)> fresh_value;  // a value name no one uses
  std::function<std::string(const std::string&)> fresh_node;   // a node name no one uses
};

// The ONNX elem type of an IR dtype (UNDEFINED for none), for the body builders.
int32_t onnx_elem_type(ir::DataType dt);

// nullopt when the op has no schema at this opset or its schema defines no function.
Expected<std::optional<FunctionBody>> expand_function(const OnnxNode& n, const FunctionContext& fc);

}  // namespace oqnn::onnx_import
