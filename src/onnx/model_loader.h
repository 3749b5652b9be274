// Reads an ONNX file into a ModelProto. The file is mapped and parsed in place; large
// initializer payloads stay in the mapping (model_parse.h), so the weights are never
// held twice.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <onnx/onnx_pb.h>

#include "support/files.h"
#include "support/status.h"

namespace oqnn::onnx_import {

constexpr int64_t kMinOpset = 7;
constexpr int64_t kMaxOpset = 23;

struct LoadedModel {
  std::unique_ptr<::onnx::ModelProto> proto;
  // The mapped file: large initializers are external data with location = file_location.
  std::shared_ptr<const Blob> file;
  std::string file_location;
  std::string path;
  std::string dir;    // the model's folder: external data is relative to it
  int64_t opset = 0;  // opset of the default domain
};

// Errors: kBadInput naming the file for unreadable or malformed files, kUnsupported
// naming the opset when the default-domain opset is outside [kMinOpset, kMaxOpset].
Expected<LoadedModel> load_model(const std::string& path);

// Opset a node of `domain` runs under ("" and "ai.onnx" are the default domain); 0 when
// the model imports no opset for that domain.
int64_t domain_opset(const ::onnx::ModelProto& model, const std::string& domain);
bool is_default_domain(const std::string& domain);

}  // namespace oqnn::onnx_import
