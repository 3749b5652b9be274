// Reading --quantization_overrides files: form detection, global defaults, the sections,
// and the log line that says which offset convention was assumed.
#include "quant/overrides.h"

#include <algorithm>

#include <fmt/format.h>

#include "quant/overrides_parse.h"
#include "support/files.h"
#include "support/log.h"

namespace oqnn::quant {

using detail::ParseContext;
using nlohmann::json;

namespace {

Status parse_section(const json& section, const char* key, bool v1, const ParseContext& ctx,
                     std::map<std::string, OverrideEntry>& out) {
  std::string at = fmt::format("{}: '{}'", ctx.source, key);
  if (v1) {
    if (!section.is_array())
      return bad_input(
          fmt::format("{} must be a list in the 1.0.0 format, got {}", at, section.type_name()));
    for (size_t i = 0; i < section.size(); ++i) {
      OQNN_ASSIGN_OR_RETURN(auto named, detail::parse_v1_entry(section[i], i, ctx));
      if (!out.emplace(named.first, named.second).second)
        return bad_input(detail::where(ctx, named.first) + ": listed twice in " + key);
    }
    return Status::ok();
  }
  if (!section.is_object())
    return bad_input(
        fmt::format("{} must map tensor names to encodings, got {}", at, section.type_name()));
  for (const auto& [name, value] : section.items()) {
    OQNN_ASSIGN_OR_RETURN(OverrideEntry e, detail::parse_legacy_entry(value, name, ctx));
    out.emplace(name, std::move(e));
  }
  return Status::ok();
}

Expected<std::optional<int>> global_bitwidth(const json& root, const char* key,
                                             const std::string& source) {
  std::string at = source + ": '" + key + "'";
  OQNN_ASSIGN_OR_RETURN(auto bw, detail::get_integer(root, key, at));
  if (!bw) return std::optional<int>();
  OQNN_RETURN_IF_ERROR(detail::check_bitwidth(*bw, at));
  return std::optional<int>(static_cast<int>(*bw));
}

std::string name_list(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  constexpr size_t kShown = 5;
  std::string s;
  for (size_t i = 0; i < names.size() && i < kShown; ++i) s += (i ? ", " : "") + names[i];
  if (names.size() > kShown) s += fmt::format(" and {} more", names.size() - kShown);
  return s;
}

void log_convention(const std::string& source, const std::vector<std::string>& zero_points,
                    const std::vector<std::string>& negatives) {
  if (!zero_points.empty())
    spdlog::info("{}: positive offsets read as zero points (offset = -zero_point) for {}", source,
                 name_list(zero_points));
  if (!negatives.empty())
    spdlog::info("{}: offsets read in the QNN/AIMET convention (min = scale * offset) for {}",
                 source, name_list(negatives));
}

Expected<EncodingOverrides> parse_root(const json& root, const std::string& source) {
  if (!root.is_object())
    return bad_input(fmt::format("{}: expected a JSON object at the top level, got {}", source,
                                 root.type_name()));
  EncodingOverrides out;
  out.source_path = source;
  OQNN_ASSIGN_OR_RETURN(out.activation_bitwidth,
                        global_bitwidth(root, "activation_bitwidth", source));
  OQNN_ASSIGN_OR_RETURN(out.param_bitwidth, global_bitwidth(root, "param_bitwidth", source));
  OQNN_ASSIGN_OR_RETURN(out.bias_bitwidth, global_bitwidth(root, "bias_bitwidth", source));
  OQNN_ASSIGN_OR_RETURN(auto version, detail::get_string(root, "version", source));
  auto act = root.find("activation_encodings");
  auto par = root.find("param_encodings");
  if (act == root.end() && par == root.end())
    return bad_input(source + ": has neither 'activation_encodings' nor 'param_encodings'");
  if (version && !version->empty() && (*version)[0] == '2')
    return unsupported(source + ": AIMET " + *version + " encodings are not supported",
                       {"export encodings in the AIMET 1.0.0 or legacy format"});
  bool v1 = (version && *version == "1.0.0") || (act != root.end() && act->is_array()) ||
            (par != root.end() && par->is_array());
  std::vector<std::string> zero_points, negatives;
  ParseContext ctx{source, out.activation_bitwidth.value_or(8), &zero_points, &negatives};
  if (act != root.end() && !act->is_null())
    OQNN_RETURN_IF_ERROR(parse_section(*act, "activation_encodings", v1, ctx, out.activations));
  ctx.default_bitwidth = out.param_bitwidth.value_or(8);
  if (par != root.end() && !par->is_null())
    OQNN_RETURN_IF_ERROR(parse_section(*par, "param_encodings", v1, ctx, out.params));
  log_convention(source, zero_points, negatives);
  return out;
}

}  // namespace

Expected<EncodingOverrides> parse_overrides(const std::string& text, const std::string& source) {
  try {
    json root;
    try {
      root = json::parse(text);
    } catch (const json::exception& e) {
      return bad_input(source + ": not valid JSON: " + e.what());
    }
    return parse_root(root, source);
  } catch (const std::exception& e) {
    // The field accessors check types first, so this is a bug; still no crash.
    return internal_error(source + ": unexpected error reading encodings: " + e.what());
  }
}

Expected<EncodingOverrides> load_overrides(const std::string& path) {
  OQNN_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return parse_overrides(text, path);
}

ir::Encoding override_to_encoding(const OverrideEntry& e, int axis) {
  ir::Encoding enc;
  enc.bitwidth = e.bitwidth;
  enc.scale = e.scale;
  enc.offset = e.offset;
  enc.axis = e.per_channel() ? axis : -1;
  const int64_t half = int64_t{1} << (e.bitwidth - 1);
  auto all = [&](int64_t v) {
    return std::all_of(e.offset.begin(), e.offset.end(), [&](int32_t o) { return o == v; });
  };
  bool positive_range = e.min && *e.min >= 0.0;
  if (e.is_symmetric && (all(-half) || (all(0) && !positive_range))) {
    enc.is_signed = true;
    enc.symmetric = true;
    std::fill(enc.offset.begin(), enc.offset.end(), 0);
  }
  return enc;
}

}  // namespace oqnn::quant
