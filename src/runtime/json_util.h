// JSON parsing for the runtime's files (backend config, context metadata, profiling logs)
// without letting nlohmann's exceptions escape: errors name the file and the byte.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "support/status.h"

namespace oqnn::rt {

// Accepts // and /* */ comments: the seed's examples carry a "// file.json" first line.
Expected<nlohmann::json> parse_json(const std::string& text, const std::string& origin);
Expected<nlohmann::json> load_json_file(const std::string& path);
// A short rendering of a value for error messages ("\"8\"", "[1,2]", ...).
std::string json_brief(const nlohmann::json& v);

}  // namespace oqnn::rt
