// quantize_graph: overrides first, then what a tensor already carries, then calibration
// ranges and weight data; then encoding propagation through value-preserving ops.
#include "quant/quantize.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "ir/affine_quant.h"
#include "ir/op_def.h"
#include "quant/encoding_math.h"
#include "quant/name_match.h"
#include "quant/tensor_roles.h"
#include "quant/weight_encoding.h"
#include "support/log.h"

namespace oqnn::quant {

using detail::Role;
using detail::TensorRole;

namespace {

Status check_options(const QuantizeOptions& o) {
  if (o.act_bitwidth != 8 && o.act_bitwidth != 16)
    return usage_error(
        fmt::format("activation bitwidth {} is not supported (8 or 16)", o.act_bitwidth));
  if (o.weight_bitwidth != 4 && o.weight_bitwidth != 8 && o.weight_bitwidth != 16)
    return usage_error(
        fmt::format("weight bitwidth {} is not supported (4, 8 or 16)", o.weight_bitwidth));
  if (o.bias_bitwidth != 8 && o.bias_bitwidth != 32)
    return usage_error(fmt::format("bias bitwidth {} is not supported (8 or 32)", o.bias_bitwidth));
  if (o.param_quantizer != "symmetric" && o.param_quantizer != "tf")
    return usage_error("param quantizer '" + o.param_quantizer + "' is not supported",
                       {"use symmetric or tf"});
  return Status::ok();
}

// Everything quantize_graph works from, computed once.
struct Work {
  ir::Graph& g;
  const QuantizeOptions& opts;
  std::vector<TensorRole> roles;
  std::map<std::string, ir::TensorId> by_name;  // the graph's own names (ONNX names)
  std::map<ir::TensorId, const OverrideEntry*> named;
  std::map<ir::TensorId, int> float_bits;  // float fallback: 16 or 32
  std::vector<std::string> warnings;
};

void emit(std::vector<std::string> msgs, std::vector<std::string>* out) {
  for (auto& m : msgs) {
    if (out)
      out->push_back(std::move(m));
    else
      spdlog::warn("{}", m);
  }
}

// Finds the tensor each override names; reports the names that match nothing.
Status match_overrides(Work& w, const EncodingOverrides& ov) {
  std::vector<std::string> unknown;
  auto match = [&](const std::map<std::string, OverrideEntry>& section, bool params) {
    for (const auto& [name, entry] : section) {
      auto it = w.by_name.find(name);
      if (it == w.by_name.end()) {
        unknown.push_back(name);
        continue;
      }
      // A name in both sections: the entry from the section that fits the tensor wins.
      bool fits = params == w.g.tensor(it->second).is_static();
      if (!w.named.count(it->second) || fits) w.named[it->second] = &entry;
    }
  };
  match(ov.activations, false);
  match(ov.params, true);
  if (unknown.empty()) return Status::ok();
  std::vector<std::string> all_names;
  for (const auto& [name, id] : w.by_name) all_names.push_back(name);
  std::vector<std::string> msgs;
  for (const std::string& name : unknown) {
    auto close = closest_names(name, all_names, 3);
    msgs.push_back(
        fmt::format("{}: override '{}' matches no tensor in the graph{}", ov.source_path, name,
                    close.empty() ? "" : fmt::format(" (closest: {})", fmt::join(close, ", "))));
  }
  if (w.opts.strict)
    return bad_input(msgs[0], std::vector<std::string>(msgs.begin() + 1, msgs.end()));
  w.warnings.insert(w.warnings.end(), msgs.begin(), msgs.end());
  return Status::ok();
}

// Float fallback: named tensors, plus (QNN's rule) the weight, bias and output of any
// Conv/FC/MatMul that one of them belongs to; recorded as graph attributes.
void apply_float_fallback(Work& w) {
  const std::string prefix(kFloatFallbackAttr);
  for (const auto& [id, e] : w.named)
    if (e->is_float) w.float_bits[id] = e->bitwidth;
  for (size_t t = 0; t < w.g.tensors.size(); ++t) {  // marked by an earlier run
    auto it = w.g.attributes.find(prefix + w.g.tensors[t].name);
    auto id = static_cast<ir::TensorId>(t);
    if (it != w.g.attributes.end() && !w.named.count(id))
      w.float_bits[id] = it->second == "16" ? 16 : 32;
  }
  for (const ir::Node& n : w.g.nodes) {
    if (ir::weight_channel_axis(n.op) < 0 && n.op != "MatMul") continue;
    if (n.inputs.size() < 2 || n.outputs.empty()) continue;
    std::vector<ir::TensorId> group(n.inputs.begin() + 1, n.inputs.end());
    group.push_back(n.outputs[0]);
    auto hit = std::find_if(group.begin(), group.end(),
                            [&](ir::TensorId t) { return w.float_bits.count(t) != 0; });
    if (hit == group.end()) continue;
    int bits = w.float_bits[*hit];
    for (ir::TensorId t : group)
      if (t >= 0 && !w.float_bits.count(t) && !w.named.count(t)) w.float_bits[t] = bits;
  }
  for (const auto& [id, bits] : w.float_bits) {
    ir::Tensor& t = w.g.tensor(id);
    t.encoding.reset();
    w.g.attributes[prefix + t.name] = std::to_string(bits);
  }
}

Expected<ir::Encoding> encoding_from_override(const Work& w, ir::TensorId id,
                                              const OverrideEntry& e, const std::string& source) {
  const ir::Tensor& t = w.g.tensor(id);
  const TensorRole& r = w.roles[static_cast<size_t>(id)];
  std::string at = fmt::format("{}: override for '{}'", source, t.name);
  if (!ir::is_float(t.dtype))
    return bad_input(fmt::format("{}: the tensor is {}, only float tensors are quantized", at,
                                 ir::dtype_name(t.dtype)));
  bool ok_bw = r.role == Role::kActivation ? (e.bitwidth == 8 || e.bitwidth == 16)
               : r.role == Role::kBias     ? (e.bitwidth == 8 || e.bitwidth == 32)
                                       : (e.bitwidth == 4 || e.bitwidth == 8 || e.bitwidth == 16);
  if (!ok_bw) {
    const char* what = r.role == Role::kActivation ? "an activation (8 or 16)"
                       : r.role == Role::kBias     ? "a bias (8 or 32)"
                                                   : "a weight (4, 8 or 16)";
    return bad_input(fmt::format("{}: bitwidth {} is not supported for {}", at, e.bitwidth, what));
  }
  if (!e.per_channel()) return override_to_encoding(e, -1);
  if (r.role == Role::kActivation)
    return bad_input(at + ": per-channel encodings are supported for weights only");
  int axis = detail::channel_axis_for(t, r);
  int64_t have = axis >= 0 ? t.shape[static_cast<size_t>(axis)] : 0;
  if (have != static_cast<int64_t>(e.scale.size()))
    return bad_input(
        fmt::format("{}: {} per-channel encodings, but shape {} has {} channels "
                    "along axis {}",
                    at, e.scale.size(), ir::shape_str(t.shape), have, axis));
  return override_to_encoding(e, axis);
}

// Encodings for tensors no override names and that carry none yet.
Status fill_defaults(Work& w, const ActivationRanges* ranges) {
  auto scheme = w.opts.param_quantizer == "tf" ? WeightScheme::kTf : WeightScheme::kSymmetric;
  for (size_t i = 0; i < w.g.tensors.size(); ++i) {
    auto id = static_cast<ir::TensorId>(i);
    ir::Tensor& t = w.g.tensors[i];
    if (t.encoding || w.named.count(id) || w.float_bits.count(id)) continue;
    const TensorRole& r = w.roles[i];
    if (r.role == Role::kActivation && ranges) {
      auto it = ranges->find(t.name);
      if (it != ranges->end() && !it->second.empty())
        t.encoding = tf_encoding(it->second.min, it->second.max, w.opts.act_bitwidth);
    } else if (r.role == Role::kWeight && r.activation_width) {
      OQNN_ASSIGN_OR_RETURN(t.encoding,
                            weight_encoding(t, -1, w.opts.act_bitwidth, WeightScheme::kTf));
    } else if (r.role == Role::kWeight) {
      int axis = w.opts.per_channel ? r.channel_axis : -1;
      OQNN_ASSIGN_OR_RETURN(t.encoding, weight_encoding(t, axis, w.opts.weight_bitwidth, scheme));
    }
  }
  return Status::ok();
}

// A Dequantize's float output keeps the encoding of the codes it reads (per tensor, 8 or 16
// bits): the same values on the same grid, exactly, where a calibrated range would put them
// on another one. An override, an earlier encoding or float fallback decides otherwise.
void dequantize_encodings(Work& w, const std::vector<bool>& fixed) {
  for (const ir::Node& n : w.g.nodes) {
    if (n.op != "Dequantize" || n.inputs.empty() || n.inputs[0] < 0 || n.outputs.empty()) continue;
    ir::Tensor& out = w.g.tensor(n.outputs[0]);
    if (fixed[static_cast<size_t>(n.outputs[0])] || out.encoding) continue;
    out.encoding =
        ir::affine_encoding(ir::affine_quant_from(n.params), w.g.tensor(n.inputs[0]).dtype);
  }
}

// A float tensor read only by Quantize nodes with the same per-tensor parameters takes their
// encoding (the model says where its values go): the grid its codes land on, where a
// calibrated range would add a second, coarser rounding first.
void quantize_input_encodings(Work& w, const std::vector<bool>& fixed) {
  std::vector<std::optional<ir::Encoding>> want(w.g.tensors.size());
  std::vector<bool> other(w.g.tensors.size(), false);
  for (const ir::Node& n : w.g.nodes)
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      const ir::TensorId t = n.inputs[i];
      if (t < 0) continue;
      const auto k = static_cast<size_t>(t);
      std::optional<ir::Encoding> e;
      if (n.op == "Quantize" && i == 0 && !n.outputs.empty())
        e = ir::affine_encoding(ir::affine_quant_from(n.params), w.g.tensor(n.outputs[0]).dtype);
      if (!e || (want[k] && *want[k] != *e)) other[k] = true;
      if (e) want[k] = std::move(e);
    }
  for (size_t t = 0; t < want.size(); ++t)
    if (want[t] && !other[t] && !fixed[t] && !w.g.tensors[t].encoding &&
        w.roles[t].role == Role::kActivation)
      w.g.tensors[t].encoding = std::move(want[t]);
}

// Outputs of value-preserving ops take their input's encoding, except where an override,
// an earlier encoding or float fallback decided otherwise.
void propagate(Work& w, const std::vector<bool>& fixed) {
  for (const ir::Node& n : w.g.nodes) {
    const ir::OpDef* def = ir::find_op(n.op);
    if (!def || !def->value_preserving || n.inputs.empty() || n.inputs[0] < 0) continue;
    const auto& src = w.g.tensor(n.inputs[0]).encoding;
    if (!src) continue;
    for (ir::TensorId o : n.outputs)
      if (o >= 0 && !fixed[static_cast<size_t>(o)] &&
          w.roles[static_cast<size_t>(o)].role == Role::kActivation)
        w.g.tensor(o).encoding = src;
  }
}

void report_missing(Work& w) {
  std::vector<std::string> missing;
  for (size_t i = 0; i < w.g.tensors.size(); ++i)
    if (w.roles[i].role == Role::kActivation && !w.g.tensors[i].encoding &&
        !w.float_bits.count(static_cast<ir::TensorId>(i)))
      missing.push_back(w.g.tensors[i].name);
  if (missing.empty()) return;
  constexpr size_t kShown = 5;
  std::vector<std::string> shown(missing.begin(),
                                 missing.begin() + std::min(kShown, missing.size()));
  w.warnings.push_back(fmt::format(
      "{} activation tensor(s) have no encoding (no override and no calibration range): {}{}",
      missing.size(), fmt::join(shown, ", "), missing.size() > kShown ? ", ..." : ""));
}

}  // namespace

Status quantize_graph(ir::Graph& g, const QuantizeOptions& o, const EncodingOverrides* overrides,
                      const ActivationRanges* ranges, std::vector<std::string>* warnings) {
  OQNN_RETURN_IF_ERROR(check_options(o));
  Work w{g, o, detail::classify_tensors(g), {}, {}, {}, {}};
  for (size_t i = 0; i < g.tensors.size(); ++i)
    w.by_name.emplace(g.tensors[i].name, static_cast<ir::TensorId>(i));
  if (overrides) OQNN_RETURN_IF_ERROR(match_overrides(w, *overrides));
  apply_float_fallback(w);
  std::vector<bool> fixed(g.tensors.size(), false);
  for (size_t i = 0; i < g.tensors.size(); ++i) fixed[i] = g.tensors[i].encoding.has_value();
  for (const auto& [id, entry] : w.named) {
    fixed[static_cast<size_t>(id)] = true;
    if (entry->is_float) continue;
    OQNN_ASSIGN_OR_RETURN(g.tensor(id).encoding,
                          encoding_from_override(w, id, *entry, overrides->source_path));
    g.attributes.erase(std::string(kFloatFallbackAttr) + g.tensor(id).name);
  }
  for (const auto& [id, bits] : w.float_bits) fixed[static_cast<size_t>(id)] = true;
  dequantize_encodings(w, fixed);
  quantize_input_encodings(w, fixed);
  OQNN_RETURN_IF_ERROR(fill_defaults(w, ranges));
  propagate(w, fixed);
  report_missing(w);
  emit(std::move(w.warnings), warnings);
  return Status::ok();
}

}  // namespace oqnn::quant
