// .raw tensor files as qnn-net-run reads and writes them: headerless, dense,
// little-endian. Inputs are float32 unless native (then the plan's own dtype); outputs are
// written as float32 (quantized ones dequantized) to <dir>/<sanitized name>.raw, or as
// native bytes to <sanitized name>_native.raw. Conversions use the tensor's encoding.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "runtime/tensor_info.h"
#include "support/status.h"

namespace oqnn::rt {

// Float values -> the tensor's dtype (quantized with its encoding, or cast).
std::vector<std::byte> float_to_native(std::span<const float> values, const TensorInfo& t);
// The tensor's dtype -> float (dequantized with its encoding, or cast).
std::vector<float> native_to_float(std::span<const std::byte> bytes, const TensorInfo& t);

// Reads `path` for tensor `t` and returns it in t's dtype. The size must be exactly
// elements x element size of the file's dtype (float32, or t's dtype when native).
Expected<std::vector<std::byte>> read_raw_input(const std::string& path, const TensorInfo& t,
                                                bool native);

std::string output_file_name(const std::string& tensor_name, bool native);
// Writes one tensor (given in t's dtype) atomically into `dir`; returns the file's path.
Expected<std::string> write_raw_output(const std::string& dir, const TensorInfo& t,
                                       std::span<const std::byte> native_bytes, bool native);

}  // namespace oqnn::rt
