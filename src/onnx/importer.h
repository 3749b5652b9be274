// The ONNX front end: reads an .onnx file (with external data) and builds the IR graph the
// rest of the converter works on. After import every shape is static (symbolic input
// dimensions are bound by the options), constant subgraphs are folded, spatial ops are
// channel-last inside Transpose pairs, and the graph verifies against the op table.
// Tensor names are the ONNX names, unsanitized.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::onnx_import {

struct ImportOptions {
  std::string model_path;
  std::vector<std::pair<std::string, ir::Shape>> input_dims;    // --input_dim NAME 1,3,224,224
  std::vector<std::string> out_nodes;                           // --out_node (tensor names)
  std::optional<int64_t> batch;                                 // --batch N
  std::vector<std::pair<std::string, int64_t>> define_symbols;  // --define_symbol SYM VAL
  bool keep_int64_inputs = false;  // --keep_int64_inputs: int64 inputs stay int64 at the I/O
};

struct UnsupportedNode {
  std::string node_name, op_type;
  int64_t opset;
  std::string reason;
};

Expected<ir::Graph> import_onnx(const ImportOptions& opts);
// For --dry_run: every node that cannot be imported, all at once (empty when all fine).
Expected<std::vector<UnsupportedNode>> find_unsupported(const ImportOptions& opts);

}  // namespace oqnn::onnx_import
