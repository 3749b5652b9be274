// Per-entry parsing of encodings files: field access that never throws, the legacy/dict
// and 1.0.0 entry forms, and the normalization of scale/offset (sign convention, values
// derived from min/max) that every form shares.
#include "quant/overrides_parse.h"

#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "quant/encoding_math.h"

namespace oqnn::quant::detail {

using nlohmann::json;

std::string where(const ParseContext& c, const std::string& tensor) {
  return fmt::format("{}: encoding of '{}'", c.source, tensor);
}

namespace {
const json* field(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}
// A value for a message: short strings as written, anything else by its type (never
// dump(), which recurses and may be huge on hostile input).
std::string shown(const json& v) {
  if (v.is_string() && v.get_ref<const std::string&>().size() <= 40)
    return "\"" + v.get<std::string>() + "\"";
  return v.type_name();
}
}  // namespace

Expected<std::optional<double>> get_number(const json& obj, const char* key,
                                           const std::string& at) {
  const json* v = field(obj, key);
  if (!v) return std::optional<double>();
  if (!v->is_number())
    return bad_input(fmt::format("{}: '{}' must be a number, got {}", at, key, v->type_name()));
  double d = v->get<double>();
  if (!std::isfinite(d)) return bad_input(fmt::format("{}: '{}' is not finite", at, key));
  return std::optional<double>(d);
}

Expected<std::optional<int64_t>> get_integer(const json& obj, const char* key,
                                             const std::string& at) {
  auto d = get_number(obj, key, at);
  if (!d) return d.error();
  if (!d->has_value()) return std::optional<int64_t>();
  double v = **d;
  if (v != std::floor(v) || std::fabs(v) > 9.0e15)
    return bad_input(fmt::format("{}: '{}' must be an integer, got {}", at, key, v));
  return std::optional<int64_t>(static_cast<int64_t>(v));
}

Expected<std::optional<bool>> get_bool(const json& obj, const char* key, const std::string& at) {
  const json* v = field(obj, key);
  if (!v) return std::optional<bool>();
  if (v->is_boolean()) return std::optional<bool>(v->get<bool>());
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    if (s == "True" || s == "true") return std::optional<bool>(true);
    if (s == "False" || s == "false") return std::optional<bool>(false);
  }
  return bad_input(
      fmt::format("{}: '{}' must be true/false or \"True\"/\"False\", got {}", at, key, shown(*v)));
}

Expected<std::optional<std::string>> get_string(const json& obj, const char* key,
                                                const std::string& at) {
  const json* v = field(obj, key);
  if (!v) return std::optional<std::string>();
  if (!v->is_string())
    return bad_input(fmt::format("{}: '{}' must be a string, got {}", at, key, v->type_name()));
  return std::optional<std::string>(v->get<std::string>());
}

Status check_bitwidth(int64_t bw, const std::string& at) {
  if (bw == 4 || bw == 8 || bw == 16 || bw == 32) return Status::ok();
  return bad_input(fmt::format("{}: bitwidth {} is not one of 4, 8, 16, 32", at, bw));
}

namespace {

// One channel (or a whole tensor) as a file describes it, before normalization.
struct Channel {
  int bitwidth = 8;
  bool is_sym = false;
  bool is_float = false;
  std::optional<double> min, max, scale;
  std::optional<int64_t> offset;
};

// Offsets are negative in QNN and AIMET (min = scale * offset); some examples, the seed's
// among them, write the positive zero point instead. A positive offset is read as a zero
// point when min says so, or when there is no min to ask (a QNN offset above zero would
// put the whole range above zero, which the tf rule never produces).
int64_t normalize_offset(const Channel& c, const std::string& name, const ParseContext& ctx) {
  int64_t o = *c.offset;
  if (o > 0) {
    bool zero_point = true;
    if (c.min) {
      double s = *c.scale, as_qnn = s * static_cast<double>(o);
      zero_point = std::fabs(*c.min + as_qnn) < std::fabs(*c.min - as_qnn);
    }
    if (zero_point) {
      ctx.zero_point_names->push_back(name);
      return -o;
    }
  }
  if (o != 0) ctx.negative_offset_names->push_back(name);
  return o;
}

// Final (scale, offset) of a channel: normalized when given, derived from min/max when not.
Expected<std::pair<double, int32_t>> resolve(Channel c, const std::string& name,
                                             const std::string& at, const ParseContext& ctx) {
  const int64_t half = int64_t{1} << (c.bitwidth - 1);
  const bool offset_from_file = c.offset.has_value() && c.scale.has_value();
  if (c.min && c.max && *c.min > *c.max)
    return bad_input(fmt::format("{}: min {} is greater than max {}", at, *c.min, *c.max));
  if (!c.scale) {
    if (!c.min || !c.max) return bad_input(at + ": needs scale and offset, or min and max");
    if (c.is_sym) {
      ir::Encoding e = symmetric_encoding(*c.min, *c.max, c.bitwidth);
      c.scale = e.scale[0];
      c.offset = -half;  // signed symmetric written over the unsigned range
    } else {
      if (c.bitwidth == 32)
        return bad_input(at + ": a 32-bit asymmetric encoding needs explicit scale and offset");
      ir::Encoding e = tf_encoding(*c.min, *c.max, c.bitwidth);
      c.scale = e.scale[0];
      c.offset = e.offset[0];
    }
  }
  if (!(*c.scale > 0.0)) return bad_input(fmt::format("{}: scale {} must be > 0", at, *c.scale));
  if (!c.offset) {
    if (c.is_sym)
      c.offset = -half;
    else if (c.min)
      c.offset = static_cast<int64_t>(std::llround(*c.min / *c.scale));
    else
      return bad_input(at + ": has scale but no offset (and no min to derive it from)");
  }
  int64_t o = offset_from_file ? normalize_offset(c, name, ctx) : *c.offset;
  if (o < std::numeric_limits<int32_t>::min() || o > std::numeric_limits<int32_t>::max())
    return bad_input(fmt::format("{}: offset {} does not fit in int32", at, o));
  return std::pair<double, int32_t>(*c.scale, static_cast<int32_t>(o));
}

// dtype "int"/"float" (legacy) or "INT"/"FLOAT" (1.0.0); absent means int.
Expected<bool> read_is_float(const json& obj, const std::string& at) {
  auto dtype = get_string(obj, "dtype", at);
  if (!dtype) return dtype.error();
  if (!dtype->has_value() || **dtype == "int" || **dtype == "INT") return false;
  if (**dtype == "float" || **dtype == "FLOAT") return true;
  return bad_input(fmt::format("{}: dtype '{}' is neither int nor float", at, **dtype));
}

Expected<int> read_bitwidth(const json& obj, const char* key, bool is_float, const std::string& at,
                            const ParseContext& ctx) {
  auto bw = get_integer(obj, key, at);
  if (!bw) return bw.error();
  int64_t v = bw->value_or(is_float ? 32 : ctx.default_bitwidth);
  OQNN_RETURN_IF_ERROR(check_bitwidth(v, at));
  if (is_float && v != 16 && v != 32)
    return bad_input(fmt::format("{}: a float encoding must be 16 or 32 bits, got {}", at, v));
  return static_cast<int>(v);
}

Expected<Channel> parse_legacy_channel(const json& obj, const std::string& at,
                                       const ParseContext& ctx) {
  if (!obj.is_object())
    return bad_input(fmt::format("{}: expected an object, got {}", at, obj.type_name()));
  Channel c;
  OQNN_ASSIGN_OR_RETURN(c.is_float, read_is_float(obj, at));
  OQNN_ASSIGN_OR_RETURN(c.bitwidth, read_bitwidth(obj, "bitwidth", c.is_float, at, ctx));
  OQNN_ASSIGN_OR_RETURN(auto sym, get_bool(obj, "is_symmetric", at));
  c.is_sym = sym.value_or(false);
  OQNN_ASSIGN_OR_RETURN(c.min, get_number(obj, "min", at));
  OQNN_ASSIGN_OR_RETURN(c.max, get_number(obj, "max", at));
  OQNN_ASSIGN_OR_RETURN(c.scale, get_number(obj, "scale", at));
  OQNN_ASSIGN_OR_RETURN(c.offset, get_integer(obj, "offset", at));
  return c;
}

}  // namespace

Expected<OverrideEntry> parse_legacy_entry(const json& value, const std::string& name,
                                           const ParseContext& ctx) {
  const std::string at = where(ctx, name);
  std::vector<Channel> channels;
  if (value.is_array()) {
    if (value.empty()) return bad_input(at + ": the list of encodings is empty");
    for (size_t i = 0; i < value.size(); ++i) {
      std::string at_i = value.size() > 1 ? fmt::format("{} (channel {})", at, i) : at;
      OQNN_ASSIGN_OR_RETURN(Channel c, parse_legacy_channel(value[i], at_i, ctx));
      channels.push_back(c);
    }
  } else {
    OQNN_ASSIGN_OR_RETURN(Channel c, parse_legacy_channel(value, at, ctx));
    channels.push_back(c);
  }
  OverrideEntry e;
  e.bitwidth = channels[0].bitwidth;
  e.is_symmetric = channels[0].is_sym;
  e.is_float = channels[0].is_float;
  for (const Channel& c : channels)
    if (c.bitwidth != e.bitwidth || c.is_sym != e.is_symmetric || c.is_float != e.is_float)
      return bad_input(at + ": channels disagree on bitwidth, is_symmetric or dtype");
  if (e.is_float) return e;
  if (channels.size() == 1) {
    e.min = channels[0].min;
    e.max = channels[0].max;
  }
  for (size_t i = 0; i < channels.size(); ++i) {
    std::string at_i = channels.size() > 1 ? fmt::format("{} (channel {})", at, i) : at;
    OQNN_ASSIGN_OR_RETURN(auto so, resolve(channels[i], name, at_i, ctx));
    e.scale.push_back(so.first);
    e.offset.push_back(so.second);
  }
  return e;
}

namespace {
// A number or a list of numbers (1.0.0 writes lists; accept a bare number too).
Expected<std::optional<std::vector<double>>> get_numbers(const json& obj, const char* key,
                                                         const std::string& at) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::vector<double>>();
  std::vector<double> out;
  auto take = [&](const json& v) -> Status {
    if (!v.is_number())
      return bad_input(fmt::format("{}: '{}' must hold numbers, got {}", at, key, shown(v)));
    out.push_back(v.get<double>());
    if (!std::isfinite(out.back()))
      return bad_input(fmt::format("{}: '{}' is not finite", at, key));
    return Status::ok();
  };
  // No copy of the value: a copy recurses, and hostile input may nest deeply.
  if (it->is_array()) {
    for (const json& v : *it) OQNN_RETURN_IF_ERROR(take(v));
  } else {
    OQNN_RETURN_IF_ERROR(take(*it));
  }
  if (out.empty()) return bad_input(fmt::format("{}: '{}' is empty", at, key));
  return std::optional<std::vector<double>>(std::move(out));
}
}  // namespace

Expected<std::pair<std::string, OverrideEntry>> parse_v1_entry(const json& value, size_t index,
                                                               const ParseContext& ctx) {
  std::string at = fmt::format("{}: encoding #{}", ctx.source, index);
  if (!value.is_object())
    return bad_input(fmt::format("{}: expected an object, got {}", at, value.type_name()));
  OQNN_ASSIGN_OR_RETURN(auto name, get_string(value, "name", at));
  if (!name || name->empty()) return bad_input(at + ": has no 'name'");
  at = where(ctx, *name);
  OQNN_ASSIGN_OR_RETURN(auto enc_type, get_string(value, "enc_type", at));
  std::string type = enc_type.value_or("PER_TENSOR");
  if (type == "PER_BLOCK" || type == "LPBQ")
    return unsupported(at + ": block-wise encodings (" + type + ") are not supported",
                       {"use PER_TENSOR or PER_CHANNEL encodings"});
  if (type != "PER_TENSOR" && type != "PER_CHANNEL")
    return bad_input(at + ": unknown enc_type '" + type + "'");
  OverrideEntry e;
  OQNN_ASSIGN_OR_RETURN(e.is_float, read_is_float(value, at));
  OQNN_ASSIGN_OR_RETURN(e.bitwidth, read_bitwidth(value, "bw", e.is_float, at, ctx));
  OQNN_ASSIGN_OR_RETURN(auto sym, get_bool(value, "is_sym", at));
  e.is_symmetric = sym.value_or(false);
  if (e.is_float) return std::pair{*name, e};
  OQNN_ASSIGN_OR_RETURN(auto scales, get_numbers(value, "scale", at));
  OQNN_ASSIGN_OR_RETURN(auto offsets, get_numbers(value, "offset", at));
  if (!scales) return bad_input(at + ": has no 'scale'");
  if (offsets && offsets->size() != scales->size())
    return bad_input(
        fmt::format("{}: {} scales but {} offsets", at, scales->size(), offsets->size()));
  if (type == "PER_TENSOR" && scales->size() != 1)
    return bad_input(fmt::format("{}: PER_TENSOR with {} scales", at, scales->size()));
  for (size_t i = 0; i < scales->size(); ++i) {
    Channel c;
    c.bitwidth = e.bitwidth;
    c.is_sym = e.is_symmetric;
    c.scale = (*scales)[i];
    if (offsets) {
      double o = (*offsets)[i];
      if (o != std::floor(o) || std::fabs(o) > 9.0e15)
        return bad_input(fmt::format("{}: offset {} is not an integer", at, o));
      c.offset = static_cast<int64_t>(o);
    }
    std::string at_i = scales->size() > 1 ? fmt::format("{} (channel {})", at, i) : at;
    OQNN_ASSIGN_OR_RETURN(auto so, resolve(c, *name, at_i, ctx));
    e.scale.push_back(so.first);
    e.offset.push_back(so.second);
  }
  return std::pair{*name, e};
}

}  // namespace oqnn::quant::detail
