#include "quant/encodings_writer.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "quant/quantize.h"

namespace oqnn::quant {
namespace {

std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string number(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : "null";
}

std::string int_entry(const std::string& name, const ir::Encoding& e) {
  const int64_t shift = e.is_signed ? (int64_t{1} << (e.bitwidth - 1)) : 0;
  std::vector<std::string> scales, offsets;
  for (double s : e.scale) scales.push_back(number(s));
  for (int32_t o : e.offset) offsets.push_back(std::to_string(int64_t{o} - shift));
  return fmt::format(
      "{{\"name\": {}, \"enc_type\": \"{}\", \"dtype\": \"INT\", \"bw\": {}, \"is_sym\": {}, "
      "\"scale\": [{}], \"offset\": [{}]}}",
      json_string(name), e.per_axis() ? "PER_CHANNEL" : "PER_TENSOR", e.bitwidth,
      e.symmetric ? "true" : "false", fmt::join(scales, ", "), fmt::join(offsets, ", "));
}

std::string float_entry(const std::string& name, const std::string& bits) {
  return fmt::format(
      "{{\"name\": {}, \"enc_type\": \"PER_TENSOR\", \"dtype\": \"FLOAT\", \"bw\": {}}}",
      json_string(name), bits == "16" ? 16 : 32);
}

std::string section(std::vector<std::pair<std::string, std::string>> entries) {
  if (entries.empty()) return "[]";
  std::sort(entries.begin(), entries.end());
  std::string s = "[\n";
  for (size_t i = 0; i < entries.size(); ++i)
    s += "    " + entries[i].second + (i + 1 < entries.size() ? ",\n" : "\n");
  return s + "  ]";
}

}  // namespace

std::string encodings_to_json(const ir::Graph& g) {
  std::vector<std::pair<std::string, std::string>> acts, params;
  for (const ir::Tensor& t : g.tensors) {
    if (!t.encoding) continue;
    (t.is_static() ? params : acts).emplace_back(t.name, int_entry(t.name, *t.encoding));
  }
  // Looked up here rather than through Graph::find_tensor, whose index a pass may not have
  // rebuilt.
  std::map<std::string, const ir::Tensor*> by_name;
  for (const ir::Tensor& t : g.tensors) by_name.emplace(t.name, &t);
  const std::string prefix(kFloatFallbackAttr);
  for (const auto& [key, bits] : g.attributes) {
    if (key.rfind(prefix, 0) != 0) continue;
    auto it = by_name.find(key.substr(prefix.size()));
    if (it == by_name.end() || it->second->encoding) continue;
    (it->second->is_static() ? params : acts).emplace_back(it->first, float_entry(it->first, bits));
  }
  return "{\n  \"version\": \"1.0.0\",\n  \"activation_encodings\": " + section(std::move(acts)) +
         ",\n  \"param_encodings\": " + section(std::move(params)) +
         ",\n  \"excluded_layers\": []\n}\n";
}

}  // namespace oqnn::quant
