// What the runtime knows about one graph input or output of a plan: the name the model
// gave it, the dtype and shape the plan exchanges it in, and the encoding that maps it to
// float (absent for float tensors). Input lists, .raw files, context-binary metadata and
// profiling all describe tensors with it.
#pragma once

#include <optional>
#include <string>

#include "ir/encoding.h"
#include "ir/types.h"

namespace oqnn::rt {

struct TensorInfo {
  std::string name;
  ir::DataType dtype = ir::DataType::kFloat32;
  ir::Shape shape;
  std::optional<ir::Encoding> encoding;
  std::string layout;  // "NHWC", "NCHW", ... when known; "" otherwise

  size_t byte_size() const {
    return static_cast<size_t>(ir::num_elements(shape)) * ir::dtype_size(dtype);
  }
};

}  // namespace oqnn::rt
