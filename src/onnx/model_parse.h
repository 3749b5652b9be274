// Parsing a mapped model file without holding the file and a parsed copy of it at once.
// Large tensor payloads (raw_data of initializers, from kViewBytes on) are not parsed at
// all: the tensor is turned into external data pointing into the model file itself, so
// its data is later used straight from the mapping. The rest is parsed from a stream that
// serves the file in blocks and hands the pages of finished blocks back to the kernel.
#pragma once

#include <cstddef>
#include <string>

#include <onnx/onnx_pb.h>

#include "support/status.h"

namespace oqnn::onnx_import {

constexpr size_t kViewBytes = size_t{64} << 10;

// `data` must be a read-only file mapping (its pages are released as parsing goes on).
// `self_location` is the external-data location the views get (the model's file name).
// Returns false when the bytes are not a well-formed ModelProto.
bool parse_model(const std::byte* data, size_t size, const std::string& self_location,
                 ::onnx::ModelProto& model);

// Drops the whole pages inside [data, data + size) of a read-only file mapping from this
// process (they are re-read from the file if touched again).
void release_pages(const std::byte* data, size_t size);

}  // namespace oqnn::onnx_import
