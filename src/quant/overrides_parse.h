// Internals of the overrides reader, shared by its two source files: typed access to JSON
// fields that reports wrong types as errors instead of throwing, and the per-entry
// parsers of each form. Not for use outside src/quant.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "quant/overrides.h"

namespace oqnn::quant::detail {

// What entry parsers need to know about the file being read.
struct ParseContext {
  std::string source;    // file name for messages
  int default_bitwidth;  // from activation_bitwidth / param_bitwidth, else 8
  // Names whose positive offsets were read as zero points, and names read with QNN's
  // negative-offset convention (for the one log line that says which was assumed).
  std::vector<std::string>* zero_point_names;
  std::vector<std::string>* negative_offset_names;
};

// Prefix for every message about one tensor's encoding.
std::string where(const ParseContext& c, const std::string& tensor);

// Field accessors: nullopt when absent (or null); an error when present with a wrong type.
Expected<std::optional<double>> get_number(const nlohmann::json& obj, const char* key,
                                           const std::string& at);
Expected<std::optional<int64_t>> get_integer(const nlohmann::json& obj, const char* key,
                                             const std::string& at);
// Accepts true/false and AIMET's "True"/"False" strings.
Expected<std::optional<bool>> get_bool(const nlohmann::json& obj, const char* key,
                                       const std::string& at);
Expected<std::optional<std::string>> get_string(const nlohmann::json& obj, const char* key,
                                                const std::string& at);
Status check_bitwidth(int64_t bw, const std::string& at);

// The seed's dict form ({bitwidth, min, max, scale, offset}) or AIMET's legacy list of
// such objects (one per channel).
Expected<OverrideEntry> parse_legacy_entry(const nlohmann::json& value, const std::string& name,
                                           const ParseContext& ctx);
// One element of an AIMET 1.0.0 encodings list; returns its name with the entry.
Expected<std::pair<std::string, OverrideEntry>> parse_v1_entry(const nlohmann::json& value,
                                                               size_t index,
                                                               const ParseContext& ctx);

}  // namespace oqnn::quant::detail
