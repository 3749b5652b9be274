#include "runtime/context_metadata.h"

#include <cmath>

#include "runtime/json_util.h"

namespace oqnn::rt {
namespace {

using nlohmann::json;

constexpr int64_t kMaxDim = int64_t{1} << 31;
constexpr int64_t kMaxElements = int64_t{1} << 40;

json encoding_to_json(const ir::Encoding& e) {
  return json{{"bitwidth", e.bitwidth}, {"is_signed", e.is_signed}, {"symmetric", e.symmetric},
              {"axis", e.axis},         {"scale", e.scale},         {"offset", e.offset}};
}

Expected<ir::Encoding> encoding_from_json(const json& j, size_t rank, const std::string& where) {
  auto fail = [&](const std::string& what) { return bad_input(where + ".encoding: " + what); };
  if (!j.is_object()) return fail("expected an object");
  ir::Encoding e;
  if (!j.contains("bitwidth") || !j["bitwidth"].is_number_integer()) return fail("bad bitwidth");
  e.bitwidth = j["bitwidth"].get<int>();
  if (e.bitwidth < 1 || e.bitwidth > 32) return fail("bitwidth out of range");
  if (!j.contains("is_signed") || !j["is_signed"].is_boolean()) return fail("bad is_signed");
  if (!j.contains("symmetric") || !j["symmetric"].is_boolean()) return fail("bad symmetric");
  if (!j.contains("axis") || !j["axis"].is_number_integer()) return fail("bad axis");
  e.is_signed = j["is_signed"].get<bool>();
  e.symmetric = j["symmetric"].get<bool>();
  int64_t axis = j["axis"].get<int64_t>();
  if (axis < -1 || axis >= static_cast<int64_t>(rank)) return fail("axis out of range");
  e.axis = static_cast<int>(axis);
  if (!j.contains("scale") || !j["scale"].is_array() || !j.contains("offset") ||
      !j["offset"].is_array() || j["scale"].size() != j["offset"].size() || j["scale"].empty())
    return fail("scale and offset must be lists of the same, non-zero length");
  for (const auto& s : j["scale"]) {
    if (!s.is_number() || !std::isfinite(s.get<double>()) || s.get<double>() <= 0)
      return fail("scale must be positive");
    e.scale.push_back(s.get<double>());
  }
  for (const auto& o : j["offset"]) {
    if (!o.is_number_integer() || o.get<int64_t>() < INT32_MIN || o.get<int64_t>() > INT32_MAX)
      return fail("offset must be a 32-bit integer");
    e.offset.push_back(static_cast<int32_t>(o.get<int64_t>()));
  }
  return e;
}

}  // namespace

json tensor_info_to_json(const TensorInfo& t) {
  json j{{"name", t.name}, {"dtype", std::string(ir::dtype_name(t.dtype))}, {"shape", t.shape}};
  if (!t.layout.empty()) j["layout"] = t.layout;
  if (t.encoding) j["encoding"] = encoding_to_json(*t.encoding);
  return j;
}

Expected<TensorInfo> tensor_info_from_json(const json& j, const std::string& where) {
  if (!j.is_object()) return bad_input(where + ": expected an object");
  TensorInfo t;
  if (!j.contains("name") || !j["name"].is_string()) return bad_input(where + ": missing name");
  t.name = j["name"].get<std::string>();
  std::string w = where + " '" + t.name + "'";
  auto dt = j.contains("dtype") && j["dtype"].is_string()
                ? ir::dtype_from_name(j["dtype"].get<std::string>())
                : std::nullopt;
  if (!dt) return bad_input(w + ": missing or unknown dtype");
  t.dtype = *dt;
  if (!j.contains("shape") || !j["shape"].is_array()) return bad_input(w + ": missing shape");
  int64_t elements = 1;
  for (const auto& d : j["shape"]) {
    if (!d.is_number_integer() || d.get<int64_t>() < 0 || d.get<int64_t>() > kMaxDim)
      return bad_input(w + ": bad dimension " + json_brief(d));
    t.shape.push_back(d.get<int64_t>());
    elements = t.shape.back() == 0 ? 0 : std::min(elements * t.shape.back(), kMaxElements + 1);
  }
  if (elements > kMaxElements) return bad_input(w + ": shape too large");
  if (j.contains("layout")) {
    if (!j["layout"].is_string()) return bad_input(w + ": layout must be a string");
    t.layout = j["layout"].get<std::string>();
  }
  if (j.contains("encoding")) {
    OQNN_ASSIGN_OR_RETURN(t.encoding, encoding_from_json(j["encoding"], t.shape.size(), w));
  }
  return t;
}

json context_metadata_to_json(const ContextInfo& info) {
  json in = json::array(), out = json::array();
  for (const auto& t : info.inputs) in.push_back(tensor_info_to_json(t));
  for (const auto& t : info.outputs) out.push_back(tensor_info_to_json(t));
  return json{{"graph", info.graph_name},
              {"inputs", in},
              {"outputs", out},
              {"attributes", info.attributes}};
}

Status context_metadata_from_json(const json& meta, const std::string& origin, ContextInfo& info) {
  const std::string where = origin + ": metadata";
  if (!meta.is_object()) return bad_input(where + ": expected an object");
  if (!meta.contains("graph") || !meta["graph"].is_string())
    return bad_input(where + ": missing graph name");
  info.graph_name = meta["graph"].get<std::string>();
  for (const char* key : {"inputs", "outputs"}) {
    if (!meta.contains(key) || !meta[key].is_array())
      return bad_input(where + ": missing " + key + " list");
    auto& list = std::string(key) == "inputs" ? info.inputs : info.outputs;
    for (size_t i = 0; i < meta[key].size(); ++i) {
      OQNN_ASSIGN_OR_RETURN(
          TensorInfo t,
          tensor_info_from_json(meta[key][i], where + "." + key + "[" + std::to_string(i) + "]"));
      list.push_back(std::move(t));
    }
  }
  if (meta.contains("attributes")) {
    const json& a = meta["attributes"];
    if (!a.is_object()) return bad_input(where + ": attributes must be an object");
    for (const auto& [k, v] : a.items()) {
      if (!v.is_string()) return bad_input(where + ": attribute '" + k + "' must be a string");
      info.attributes[k] = v.get<std::string>();
    }
  }
  return Status::ok();
}

}  // namespace oqnn::rt
