// TensorProto → ConstTensor without copying bulk data: raw_data is moved out of the parsed
// proto into a Blob that owns the string, external data is a view into the mapped file,
// and only typed fields (float_data, int64_data, ...) are converted into new bytes.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <onnx/onnx_pb.h>

#include "onnx/const_tensor.h"
#include "support/status.h"

namespace oqnn::onnx_import {

std::optional<ir::DataType> dtype_from_onnx(int32_t elem_type);
std::string onnx_dtype_name(int32_t elem_type);
// " (read by node '<name>' (<OpType>))" for the first node of `g` reading `value`, else "":
// what an error about an unsupported input or initializer adds so that it names the node.
std::string reader_note(const ::onnx::GraphProto& g, const std::string& value);

// External-data files, mapped once each, addressed relative to the model's folder.
class ExternalFiles {
 public:
  explicit ExternalFiles(std::string model_dir) : model_dir_(std::move(model_dir)) {}
  Expected<std::shared_ptr<const Blob>> get(const std::string& location, const std::string& what);
  // Registers an already mapped file (the model itself, whose large payloads are views).
  void add(const std::string& location, std::shared_ptr<const Blob> file);
  // Hands back the pages of `c`'s data when they lie in a mapped file: the data will not be
  // read again (or is re-read from the file if it is).
  void release(const ConstTensor& c) const;

 private:
  std::string model_dir_;
  std::map<std::string, std::shared_ptr<const Blob>> mapped_;
};

// Converts `tp`, taking its raw_data and typed fields (they are left empty). `what` names
// the tensor for error messages, e.g. "initializer 'conv1.weight'".
Expected<ConstTensor> take_tensor_proto(::onnx::TensorProto& tp, const std::string& what,
                                        ExternalFiles& files);

// Converts a small attribute tensor by copy (ConstantOfShape's value); no external data.
Expected<ConstTensor> copy_tensor_proto(const ::onnx::TensorProto& tp, const std::string& what);

}  // namespace oqnn::onnx_import
