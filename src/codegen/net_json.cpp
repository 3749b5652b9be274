#include "codegen/net_json.h"

#include <cstdlib>
#include <set>

#include <nlohmann/json.hpp>

#include "codegen/macs.h"

namespace oqnn::codegen {
namespace {

using Json = nlohmann::ordered_json;

// QNN's numeric tensor type (Qnn_TensorType_t): APP_WRITE, APP_READ, STATIC, NATIVE.
int qnn_tensor_type(ir::TensorKind k) {
  switch (k) {
    case ir::TensorKind::kInput:
      return 0;
    case ir::TensorKind::kOutput:
      return 1;
    case ir::TensorKind::kStatic:
      return 4;
    case ir::TensorKind::kIntermediate:
      return 3;
  }
  return 3;
}

// QNN's numeric data type (Qnn_DataType_t). A tensor with an encoding is reported as the
// fixed-point type a quantized backend runs it in, as QNN's converter reports it.
int qnn_data_type(const ir::Tensor& t) {
  if (t.encoding) return (t.encoding->is_signed ? 0x300 : 0x400) + t.encoding->bitwidth;
  switch (t.dtype) {
    case ir::DataType::kFloat32:
      return 0x232;
    case ir::DataType::kFloat16:
      return 0x216;
    case ir::DataType::kInt8:
      return 0x008;
    case ir::DataType::kUInt8:
      return 0x108;
    case ir::DataType::kInt16:
      return 0x016;
    case ir::DataType::kUInt16:
      return 0x116;
    case ir::DataType::kInt32:
      return 0x032;
    case ir::DataType::kInt64:
      return 0x064;
    case ir::DataType::kBool:
      return 0x508;
  }
  return 0x7fffffff;
}

Json quant_params(const ir::Tensor& t) {
  constexpr int kUndefined = 0x7fffffff;
  if (!t.encoding)
    return Json{{"definition", kUndefined},
                {"encoding", kUndefined},
                {"scale_offset", Json{{"scale", 0.0}, {"offset", 0}}}};
  const ir::Encoding& e = *t.encoding;
  if (!e.per_axis())
    return Json{{"definition", 1},
                {"encoding", 0},
                {"scale_offset", Json{{"bitwidth", e.bitwidth},
                                      {"minimum", e.min()},
                                      {"maximum", e.max()},
                                      {"scale", e.scale[0]},
                                      {"offset", e.offset[0]},
                                      {"is_symmetric", e.symmetric}}}};
  Json so = Json::array();
  for (size_t c = 0; c < e.scale.size(); ++c)
    so.push_back(Json{{"scale", e.scale[c]}, {"offset", e.offset[c]}});
  return Json{{"definition", 1},
              {"encoding", 1},
              {"axis_scale_offset", Json{{"axis", e.axis},
                                         {"num_scale_offsets", e.scale.size()},
                                         {"bitwidth", e.bitwidth},
                                         {"is_symmetric", e.symmetric},
                                         {"scale_offsets", so}}}};
}

Json names_of(const EmitPlan& p, const std::vector<ir::TensorId>& ids) {
  Json a = Json::array();
  for (ir::TensorId t : ids) a.push_back(t < 0 ? std::string() : p.name[static_cast<size_t>(t)]);
  return a;
}

Json node_json(const ir::Graph& g, const EmitPlan& p, const ir::Node& n) {
  Json tensor_params = Json::object(), scalar_params = Json::object();
  for (const auto& [k, v] : n.params.all()) {
    if (auto* vi = std::get_if<std::vector<int64_t>>(&v))
      tensor_params[k] = *vi;
    else if (auto* vd = std::get_if<std::vector<double>>(&v))
      tensor_params[k] = *vd;
    else if (auto* i = std::get_if<int64_t>(&v))
      scalar_params[k] = *i;
    else if (auto* d = std::get_if<double>(&v))
      scalar_params[k] = *d;
    else if (auto* s = std::get_if<std::string>(&v))
      scalar_params[k] = *s;
  }
  return Json{{"package", "qti.aisw"},
              {"type", n.op},
              {"tensor_params", tensor_params},
              {"scalar_params", scalar_params},
              {"input_names", names_of(p, n.inputs)},
              {"output_names", names_of(p, n.outputs)},
              {"macs_per_inference", node_macs(g, n)}};
}

// Tensors in the order X.cpp declares them: inputs, outputs, statics, then node outputs.
std::vector<ir::TensorId> emission_order(const ir::Graph& g, const EmitPlan& p) {
  std::vector<ir::TensorId> order(g.inputs);
  order.insert(order.end(), g.outputs.begin(), g.outputs.end());
  order.insert(order.end(), p.statics.begin(), p.statics.end());
  for (const ir::Node& n : g.nodes)
    for (ir::TensorId t : n.outputs)
      if (g.tensor(t).kind == ir::TensorKind::kIntermediate) order.push_back(t);
  return order;
}

Json io_json(const ir::Graph& g, const EmitPlan& p, const std::vector<ir::TensorId>& ids) {
  Json a = Json::array();
  for (ir::TensorId id : ids) {
    const ir::Tensor& t = g.tensor(id);
    auto it = g.attributes.find("io_layout." + t.name);
    Json e{{"name", p.name[static_cast<size_t>(id)]},
           {"dims", t.shape},
           {"data_type", std::string(ir::dtype_name(t.dtype))},
           {"layout", it != g.attributes.end() ? it->second : "as given"}};
    // A static-maximum output (NonMaxSuppression, NonZero): the output counting its rows.
    if (auto c = g.attributes.find("valid_count." + t.name); c != g.attributes.end()) {
      auto count = g.find_tensor(c->second);
      e["valid_count"] = count ? p.name[static_cast<size_t>(*count)] : c->second;
      auto axis = g.attributes.find("valid_axis." + t.name);
      e["valid_axis"] = axis != g.attributes.end() ? std::atoll(axis->second.c_str()) : 0;
    }
    a.push_back(std::move(e));
  }
  return a;
}

}  // namespace

Expected<std::string> net_json_text(const ir::Graph& g, const EmitPlan& p, const EmitOptions& o,
                                    const std::string& bin_path) {
  std::set<std::string> op_types;
  uint64_t params = 0, macs = 0;
  for (const ir::Node& n : g.nodes) {
    op_types.insert(n.op);
    macs += node_macs(g, n);
  }
  for (ir::TensorId t : p.statics)
    params += static_cast<uint64_t>(ir::num_elements(g.tensor(t).shape));

  Json tensors = Json::object();
  int id = 0;
  for (ir::TensorId t : emission_order(g, p)) {
    const ir::Tensor& tensor = g.tensor(t);
    tensors[p.name[static_cast<size_t>(t)]] = Json{{"id", id++},
                                                   {"type", qnn_tensor_type(tensor.kind)},
                                                   {"data_type", qnn_data_type(tensor)},
                                                   {"quant_params", quant_params(tensor)},
                                                   {"dims", tensor.shape}};
  }
  Json nodes = Json::object();
  for (const ir::Node& n : g.nodes) nodes[n.name] = node_json(g, p, n);

  Json j{{"model.cpp", o.cpp_path},
         {"model.bin", bin_path},
         {"converter_command", o.command_line},
         {"copyright_str", o.copyright},
         {"op_types", op_types},
         {"Total parameters", params},
         {"Total MACs per inference", macs},
         {"io", Json{{"inputs", io_json(g, p, g.inputs)}, {"outputs", io_json(g, p, g.outputs)}}},
         {"graph", Json{{"tensors", tensors}, {"nodes", nodes}}}};
  try {
    // Names that are not valid UTF-8 are written with U+FFFD rather than failing.
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  } catch (const std::exception& e) {
    return internal_error(o.cpp_path + ": cannot write the net JSON: " + e.what());
  }
}

}  // namespace oqnn::codegen
