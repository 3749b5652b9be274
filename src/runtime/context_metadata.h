// The JSON metadata section of a context binary: graph name, I/O tensors (name, dtype,
// shape, layout, encoding) and attributes. Kept apart from the container so that
// qnn-context-binary-utility-style dumps can reuse it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "runtime/context_binary.h"
#include "support/status.h"

namespace oqnn::rt {

// Fills everything but the backend id/name/version and toolchain (those live in the
// container header) from `meta`.
nlohmann::json context_metadata_to_json(const ContextInfo& info);
Status context_metadata_from_json(const nlohmann::json& meta, const std::string& origin,
                                  ContextInfo& info);

nlohmann::json tensor_info_to_json(const TensorInfo& t);
Expected<TensorInfo> tensor_info_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace oqnn::rt
