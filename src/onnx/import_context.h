// The state of one import: the IR graph being built, what every ONNX value name stands
// for (a constant, an IR tensor, or unknown during a dry run), and the emit helpers that
// keep names right: ONNX value names are kept exactly, auxiliary tensors and nodes get
// derived names that can never take a name the ONNX graph uses.
#pragma once

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/graph.h"
#include "onnx/const_tensor.h"
#include "onnx/onnx_node.h"

namespace oqnn::onnx_import {

struct Value {
  enum class Kind : uint8_t { kConst, kTensor, kUnknown };
  Kind kind = Kind::kUnknown;
  ConstTensor c;                    // kConst
  ir::TensorId id = ir::kNoTensor;  // kTensor; for kConst, its static tensor once made
  // kUnknown (dry runs past an unsupported node): whether the value would be computed at
  // run time (else it would have been a constant, e.g. the Shape of an unknown tensor).
  bool runtime = true;
};

class ImportContext {
 public:
  ImportContext(std::set<std::string> onnx_tensor_names, std::set<std::string> onnx_node_names)
      : onnx_tensor_names_(std::move(onnx_tensor_names)),
        onnx_node_names_(std::move(onnx_node_names)) {}

  ir::Graph graph;

  const Value* find(const std::string& name) const;
  const ConstTensor* const_of(const std::string& name) const;  // null unless constant
  void set_const(const std::string& name, ConstTensor c);
  void set_tensor(const std::string& name, ir::TensorId id);
  void set_unknown(const std::string& name, bool runtime = true);
  void release(const std::string& name) { values_.erase(name); }
  // Converts a float64 or float16 constant to float32 in place (int64 constants stay int64
  // for the folders and translators, and become int32 only as static IR tensors: add_static).
  void make_ir_typed(const std::string& name);

  // The IR tensor holding a value; a constant becomes a static tensor (named after the
  // ONNX value) the first time it is needed.
  ir::TensorId tensor_of(const std::string& name);
  const ir::Shape& shape_of(const std::string& name) const;
  ir::DataType dtype_of(const std::string& name) const;
  // A static tensor named `name` when that is still free (weights keep their ONNX names
  // even when converted), else a derived name.
  ir::TensorId add_static(const std::string& name, ConstTensor c);

  // Emits one single-output IR node; its output shape comes from the op table's rule.
  // `out_name` is an ONNX value name (kept as is) or one from aux_tensor_name().
  Expected<ir::TensorId> emit(const std::string& node_name, const std::string& op,
                              std::vector<ir::TensorId> inputs, ir::Params params,
                              const std::string& out_name);
  // Emits one node with several outputs (Split, TopK, Lstm...); `out_names[j]` empty gives
  // output j a derived name. Returns the output ids in order.
  Expected<std::vector<ir::TensorId>> emit_multi(const std::string& node_name,
                                                 const std::string& op,
                                                 std::vector<ir::TensorId> inputs,
                                                 ir::Params params,
                                                 const std::vector<std::string>& out_names);
  std::string aux_tensor_name(const std::string& base) const;
  std::string aux_node_name(const std::string& base);

  // Channel-last twins of ONNX-layout tensors (layout.cpp), so that an activation feeding
  // several spatial ops is transposed once.
  std::map<ir::TensorId, ir::TensorId> channel_last;
  // Run-time tensors whose static shape a folded Shape/Size read: {tensor, {node, op}}
  // (padded_outputs.h refuses such a read of a padded tensor).
  std::vector<std::pair<ir::TensorId, std::pair<std::string, std::string>>> shape_reads;

 private:
  std::unordered_map<std::string, Value> values_;  // looked up only, never iterated
  std::set<std::string> onnx_tensor_names_, onnx_node_names_, used_node_names_;
};

}  // namespace oqnn::onnx_import
