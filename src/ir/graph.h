// The graph IR: tensors and nodes in topological order. Tensors are addressed by index
// (TensorId); a Node names its inputs and outputs by id. Passes edit a Graph through
// these plain members; helpers that answer questions about it (producers, consumers,
// static data) live here, rewrites live in src/passes.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "ir/encoding.h"
#include "ir/params.h"
#include "ir/types.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::ir {

using TensorId = int32_t;
constexpr TensorId kNoTensor = -1;

enum class TensorKind : uint8_t { kInput = 0, kOutput = 1, kStatic = 2, kIntermediate = 3 };
std::string_view kind_name(TensorKind k);

struct Tensor {
  std::string name;  // original (ONNX) name; sanitized only when emitted
  DataType dtype = DataType::kFloat32;
  Shape shape;
  TensorKind kind = TensorKind::kIntermediate;
  std::shared_ptr<const Blob> data;  // static tensors only: dense, little-endian, row-major
  std::optional<Encoding> encoding;

  bool is_static() const { return kind == TensorKind::kStatic; }
  template <class T>
  std::span<const T> values() const {
    return {reinterpret_cast<const T*>(data->data()), data->size() / sizeof(T)};
  }
};

struct Node {
  std::string name;
  std::string op;                // QNN op type, a key of the op table
  std::vector<TensorId> inputs;  // kNoTensor for an omitted optional input
  std::vector<TensorId> outputs;
  Params params;
};

class Graph {
 public:
  std::string name;
  std::vector<Tensor> tensors;
  std::vector<Node> nodes;
  std::vector<TensorId> inputs;   // graph inputs in order
  std::vector<TensorId> outputs;  // graph outputs in order
  // Free-form facts that travel with the graph (e.g. "io_layout.<name>" = "NHWC").
  std::map<std::string, std::string> attributes;

  TensorId add_tensor(Tensor t);
  TensorId add_static(const std::string& name, DataType dt, Shape shape,
                      std::shared_ptr<const Blob> data);
  // A fresh intermediate tensor; the name is made unique with a numeric suffix.
  TensorId add_intermediate(const std::string& base_name, DataType dt, Shape shape);
  std::string unique_tensor_name(const std::string& base) const;
  std::string unique_node_name(const std::string& base) const;

  Tensor& tensor(TensorId id) { return tensors[static_cast<size_t>(id)]; }
  const Tensor& tensor(TensorId id) const { return tensors[static_cast<size_t>(id)]; }
  std::optional<TensorId> find_tensor(const std::string& name) const;
  const Node* find_node(const std::string& name) const;

  // Index of the node producing each tensor (-1 for inputs/statics), and consumers.
  std::vector<int> producers() const;
  std::vector<std::vector<int>> consumers() const;
  bool is_graph_output(TensorId id) const;

  // Drops tensors no node or graph I/O refers to, renumbering ids; returns how many.
  int remove_unused_tensors();
  void rebuild_name_index();

 private:
  std::unordered_map<std::string, TensorId> name_index_;
};

}  // namespace oqnn::ir
