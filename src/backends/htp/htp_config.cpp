#include "backends/htp/htp_config.h"

#include "runtime/performance_modes.h"
#include "runtime/thread_pool.h"

#include <algorithm>
#include <span>
#include <thread>

#include <nlohmann/json.hpp>

namespace oqnn::htp {
namespace {

using Json = nlohmann::json;

constexpr const char* kKeys[] = {"device_id", "performance_mode", "precision_mode",
                                 "vtcm_mb",   "enable_dma",       "hvx_threads"};

Error key_error(const std::string& key, const std::string& what, const Json& v) {
  return bad_input("htp_config: '" + key + "' " + what + ", got " + v.dump());
}

Expected<int> int_in_range(const Json& obj, const std::string& key, int lo, int hi) {
  const Json& v = obj.at(key);
  if (!v.is_number_integer()) return key_error(key, "must be an integer", v);
  const auto i = v.get<int64_t>();
  if (i < lo || i > hi)
    return key_error(key, "must be between " + std::to_string(lo) + " and " + std::to_string(hi),
                     v);
  return static_cast<int>(i);
}

Expected<std::string> one_of(const Json& obj, const std::string& key,
                             std::span<const char* const> allowed) {
  const Json& v = obj.at(key);
  std::string list;
  for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
  if (!v.is_string()) return key_error(key, "must be a string (one of " + list + ")", v);
  const auto s = v.get<std::string>();
  for (const char* a : allowed)
    if (s == a) return s;
  return key_error(key, "must be one of " + list, v);
}

}  // namespace

Expected<HtpConfig> parse_htp_config(const std::string& text) {
  HtpConfig c;
  c.hvx_threads = rt::available_cores();
  Json doc = Json::parse(text.empty() ? std::string("{}") : text, nullptr, false);
  if (doc.is_discarded()) return bad_input("htp_config: not valid JSON");
  if (doc.is_object() && doc.size() == 1 && doc.contains("htp_config")) doc = doc["htp_config"];
  if (!doc.is_object()) return bad_input("htp_config: must be a JSON object, got " + doc.dump());
  for (const auto& [key, value] : doc.items()) {
    if (std::find_if(std::begin(kKeys), std::end(kKeys),
                     [&name = key](const char* k) { return name == k; }) == std::end(kKeys)) {
      std::string known;
      for (const char* k : kKeys) known += std::string(known.empty() ? "" : ", ") + k;
      return bad_input("htp_config: unknown key '" + key + "'", {"known keys: " + known});
    }
  }
  if (doc.contains("device_id")) {
    const Json& v = doc["device_id"];
    if (!v.is_number_integer() || v.get<int64_t>() != 0)
      return key_error("device_id", "must be 0 (the host emulation has one device)", v);
  }
  if (doc.contains("performance_mode")) {
    OQNN_ASSIGN_OR_RETURN(c.performance_mode,
                          one_of(doc, "performance_mode", rt::kPerformanceModes));
  }
  if (doc.contains("precision_mode")) {
    static constexpr const char* kPrecisions[] = {"int8", "int16"};
    OQNN_ASSIGN_OR_RETURN(c.precision_mode, one_of(doc, "precision_mode", kPrecisions));
  }
  if (doc.contains("vtcm_mb")) {
    OQNN_ASSIGN_OR_RETURN(c.vtcm_mb, int_in_range(doc, "vtcm_mb", 0, 1024));
  }
  if (doc.contains("enable_dma")) {
    const Json& v = doc["enable_dma"];
    if (!v.is_boolean()) return key_error("enable_dma", "must be true or false", v);
    c.enable_dma = v.get<bool>();
  }
  if (doc.contains("hvx_threads")) {
    OQNN_ASSIGN_OR_RETURN(c.hvx_threads, int_in_range(doc, "hvx_threads", 1, 256));
  }
  return c;
}

}  // namespace oqnn::htp
