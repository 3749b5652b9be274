// Graph inputs and their static shapes: ONNX dims, overridden or completed by --input_dim
// (whole shape, ONNX layout), --define_symbol (by dim_param name) and --batch (a symbolic
// dim 0). Initializers that are also listed as graph inputs are not inputs.
#pragma once

#include <set>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "ir/types.h"
#include "onnx/importer.h"

namespace oqnn::onnx_import {

struct BoundInput {
  std::string name;
  ir::DataType dtype = ir::DataType::kFloat32;
  ir::Shape shape;
  bool bound = true;  // false only in lenient mode, when a dim is left unknown
};

// `initializers`: names to skip. In lenient mode (dry run) unbound inputs come back with
// bound = false instead of an error.
Expected<std::vector<BoundInput>> bind_inputs(const ::onnx::GraphProto& g,
                                              const std::set<std::string>& initializers,
                                              const ImportOptions& opts, bool lenient);

}  // namespace oqnn::onnx_import
