#include "codegen/cpp_source.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "codegen/c_literals.h"
#include "support/names.h"

namespace oqnn::codegen {
namespace {

constexpr const char* kDtypeMacro[] = {
    "OQNN_DTYPE_FLOAT32", "OQNN_DTYPE_FLOAT16", "OQNN_DTYPE_INT8",
    "OQNN_DTYPE_UINT8",   "OQNN_DTYPE_INT16",   "OQNN_DTYPE_UINT16",
    "OQNN_DTYPE_INT32",   "OQNN_DTYPE_INT64",   "OQNN_DTYPE_BOOL"};
constexpr const char* kKindMacro[] = {"OQNN_TENSOR_INPUT", "OQNN_TENSOR_OUTPUT",
                                      "OQNN_TENSOR_STATIC", "OQNN_TENSOR_INTERMEDIATE"};

// "{a, b, c}" wrapped so that long per-channel arrays stay readable.
template <class T, class F>
std::string brace_list(const std::vector<T>& values, F spell, const std::string& indent) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += (i % 8 == 0) ? ",\n" + indent + "    " : ", ";
    out += spell(values[i]);
  }
  return out + "}";
}

std::string int_list(const std::vector<int64_t>& v, const std::string& indent) {
  return brace_list(v, c_int64, indent);
}
std::string double_list(const std::vector<double>& v, const std::string& indent) {
  return brace_list(v, c_double, indent);
}

// Declares the OqnnTensorDesc `var` (with its arrays prefixed `var_`) and adds it.
std::string tensor_desc(const ir::Tensor& t, const std::string& name, const std::string& member,
                        const std::string& var, bool return_result) {
  const std::string in = "  ";
  std::string s;
  if (!t.shape.empty())
    s += fmt::format("{}static const int64_t {}_dims[] = {};\n", in, var, int_list(t.shape, in));
  if (t.encoding) {
    const ir::Encoding& e = *t.encoding;
    std::vector<int64_t> offsets(e.offset.begin(), e.offset.end());
    s +=
        fmt::format("{}static const double {}_scales[] = {};\n", in, var, double_list(e.scale, in));
    s += fmt::format("{}static const int32_t {}_offsets[] = {};\n", in, var, int_list(offsets, in));
    s += fmt::format(
        "{}/* bitwidth, is_signed, symmetric, axis, num_channels, scales, offsets */\n"
        "{}static const OqnnEncoding {}_encoding = {{{}, {}, {}, {}, {}u, {}_scales, "
        "{}_offsets}};\n",
        in, in, var, e.bitwidth, e.is_signed ? 1 : 0, e.symmetric ? 1 : 0, e.axis, e.scale.size(),
        var, var);
  }
  s += fmt::format("{}OqnnTensorDesc {} = {{}};\n", in, var);
  s += fmt::format("{}{}.name = {};\n", in, var, c_string(name));
  s += fmt::format("{}{}.kind = {};\n", in, var, kKindMacro[static_cast<int>(t.kind)]);
  s += fmt::format("{}{}.dtype = {};\n", in, var, kDtypeMacro[static_cast<int>(t.dtype)]);
  s += fmt::format("{}{}.rank = {}u;\n", in, var, t.shape.size());
  s += fmt::format("{}{}.dims = {};\n", in, var, t.shape.empty() ? "nullptr" : var + "_dims");
  if (t.encoding) s += fmt::format("{}{}.encoding = &{}_encoding;\n", in, var, var);
  if (!member.empty()) s += fmt::format("{}{}.data_member = {};\n", in, var, c_string(member));
  if (return_result) return s + fmt::format("{}return api->add_tensor(api->ctx, &{});\n", in, var);
  return s + fmt::format("{}if (int rc = api->add_tensor(api->ctx, &{})) return rc;\n", in, var);
}

std::string tensor_function(const ir::Graph& g, const EmitPlan& p, ir::TensorId id) {
  size_t i = static_cast<size_t>(id);
  return fmt::format("static int {}(const OqnnModelApi* api) {{\n{}}}\n\n", p.fn[i],
                     tensor_desc(g.tensor(id), p.name[i], p.member[i], "t", true));
}

std::string name_array(const EmitPlan& p, const std::vector<ir::TensorId>& ids) {
  std::string s = "{";
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) s += ", ";
    s += ids[i] == ir::kNoTensor ? std::string("\"\"")
                                 : c_string(p.name[static_cast<size_t>(ids[i])]);
  }
  return s + "}";
}

// The params array: arrays first, then one aggregate row per parameter (sorted by name).
std::string params_block(const ir::Params& params) {
  std::string arrays, rows;
  std::set<std::string> taken;
  for (const auto& [name, v] : params.all()) {
    std::string arr = "param_" + sanitize_name(name);
    for (int i = 1; !taken.insert(arr).second; ++i)
      arr = "param_" + sanitize_name(name) + "_" + std::to_string(i);
    std::string row;
    if (auto* i = std::get_if<int64_t>(&v)) {
      row = fmt::format("OQNN_PARAM_INT, {}, 0.0, nullptr, 0u, nullptr, nullptr", c_int64(*i));
    } else if (auto* d = std::get_if<double>(&v)) {
      row = fmt::format("OQNN_PARAM_FLOAT, 0, {}, nullptr, 0u, nullptr, nullptr", c_double(*d));
    } else if (auto* str = std::get_if<std::string>(&v)) {
      row = fmt::format("OQNN_PARAM_STRING, 0, 0.0, {}, 0u, nullptr, nullptr", c_string(*str));
    } else if (auto* vi = std::get_if<std::vector<int64_t>>(&v)) {
      if (!vi->empty())
        arrays += fmt::format("  static const int64_t {}[] = {};\n", arr, int_list(*vi, "  "));
      row = fmt::format("OQNN_PARAM_INTS, 0, 0.0, nullptr, {}u, {}, nullptr", vi->size(),
                        vi->empty() ? "nullptr" : arr);
    } else if (auto* vd = std::get_if<std::vector<double>>(&v)) {
      if (!vd->empty())
        arrays += fmt::format("  static const double {}[] = {};\n", arr, double_list(*vd, "  "));
      row = fmt::format("OQNN_PARAM_FLOATS, 0, 0.0, nullptr, {}u, nullptr, {}", vd->size(),
                        vd->empty() ? "nullptr" : arr);
    }
    rows += fmt::format("      {{{}, {}}},\n", c_string(name), row);
  }
  return arrays + "  static const OqnnParam params[] = {\n" +
         "      /* name, type, i, f, s, count, ints, floats */\n" + rows + "  };\n";
}

std::string node_function(const ir::Graph& g, const EmitPlan& p, size_t index) {
  const ir::Node& n = g.nodes[index];
  std::string body;
  // Intermediate outputs are declared with the node that produces them (graph outputs
  // are declared up front, in output order).
  int k = 0;
  for (ir::TensorId o : n.outputs) {
    if (g.tensor(o).kind != ir::TensorKind::kIntermediate) continue;
    body += tensor_desc(g.tensor(o), p.name[static_cast<size_t>(o)], "", fmt::format("out{}", k++),
                        false);
    body += "\n";
  }
  if (!n.inputs.empty())
    body += fmt::format("  static const char* const inputs[] = {};\n", name_array(p, n.inputs));
  if (!n.outputs.empty())
    body += fmt::format("  static const char* const outputs[] = {};\n", name_array(p, n.outputs));
  if (!n.params.all().empty()) body += params_block(n.params);
  body += "  OqnnNodeDesc node = {};\n";
  body += fmt::format("  node.name = {};\n", c_string(n.name));
  body += "  node.package = \"qti.aisw\";\n";
  body += fmt::format("  node.type = {};\n", c_string(n.op));
  body += fmt::format("  node.num_inputs = {}u;\n", n.inputs.size());
  body += fmt::format("  node.inputs = {};\n", n.inputs.empty() ? "nullptr" : "inputs");
  body += fmt::format("  node.num_outputs = {}u;\n", n.outputs.size());
  body += fmt::format("  node.outputs = {};\n", n.outputs.empty() ? "nullptr" : "outputs");
  body += fmt::format("  node.num_params = {}u;\n", n.params.all().size());
  body += fmt::format("  node.params = {};\n", n.params.all().empty() ? "nullptr" : "params");
  body += "  return api->add_node(api->ctx, &node);\n";
  return fmt::format("static int {}(const OqnnModelApi* api) {{\n{}}}\n\n", p.node_fn[index], body);
}

std::string header_comment(const ir::Graph& g, const EmitPlan& p, const EmitOptions& o,
                           const std::string& graph_name, const std::string& bin_name) {
  std::string s;
  if (!o.copyright.empty()) {
    s += "/*\n";
    size_t start = 0;
    std::string text = o.copyright;
    while (!text.empty() && text.back() == '\n') text.pop_back();
    while (start <= text.size()) {
      size_t end = std::min(text.find('\n', start), text.size());
      std::string line = comment_text(text.substr(start, end - start));
      s += line.empty() ? " *\n" : " * " + line + "\n";
      start = end + 1;
    }
    s += " */\n\n";
  }
  s += fmt::format("/* Generated by {}. Do not edit: convert the model again instead.\n",
                   comment_text(o.tool_version));
  s += " *\n * Command line:\n *   " + comment_text(o.command_line) + "\n";
  auto flags = o.flags;
  std::sort(flags.begin(), flags.end());
  if (!flags.empty()) {
    s += " *\n * Flags:\n";
    for (const auto& [k, v] : flags) s += " *   " + comment_text(k + "=" + v) + "\n";
  }
  s += fmt::format(" *\n * Graph \"{}\": inputs {}, outputs {}, static tensors {}, nodes {}.\n",
                   comment_text(graph_name), g.inputs.size(), g.outputs.size(), p.statics.size(),
                   g.nodes.size());
  if (!bin_name.empty())
    s += fmt::format(
        " * Static tensor data is not in this file: each static tensor names its\n"
        " * member of {}, which qnn-model-lib-generator embeds in the library.\n",
        comment_text(bin_name));
  return s + " */\n\n#include \"oqnn/model_api.h\"\n\n";
}

std::string entry_points(const ir::Graph& g, const EmitPlan& p, const EmitOptions& o,
                         const std::string& graph_name) {
  std::vector<std::string> steps;
  for (ir::TensorId t : g.inputs) steps.push_back(p.fn[static_cast<size_t>(t)]);
  for (ir::TensorId t : g.outputs) steps.push_back(p.fn[static_cast<size_t>(t)]);
  for (ir::TensorId t : p.statics) steps.push_back(p.fn[static_cast<size_t>(t)]);
  for (const auto& f : p.node_fn) steps.push_back(f);
  const std::string exported = "extern \"C\" __attribute__((visibility(\"default\"))) int ";
  std::string s = exported + o.model_prefix + "_composeGraphs(const OqnnModelApi* api) {\n";
  s += "  if (api == nullptr || api->version < OQNN_MODEL_API_VERSION) return 1;\n";
  s += fmt::format("  if (int rc = api->create_graph(api->ctx, {})) return rc;\n",
                   c_string(graph_name));
  for (const auto& [k, v] : g.attributes)
    s += fmt::format("  if (int rc = api->set_attribute(api->ctx, {}, {})) return rc;\n",
                     c_string(k), c_string(v));
  if (!steps.empty()) {
    s += "  /* Graph inputs, graph outputs, static tensors, then nodes in graph order. */\n";
    s += "  static int (*const steps[])(const OqnnModelApi*) = {\n";
    for (const auto& f : steps) s += "      " + f + ",\n";
    s += "  };\n";
    s += "  for (int (*step)(const OqnnModelApi*) : steps) {\n";
    s += "    if (int rc = step(api)) return rc;\n  }\n";
  }
  s += "  return 0;\n}\n\n";
  s += "/* Nothing to free: the runtime owns the graph it composed. */\n";
  s += exported + o.model_prefix + "_freeGraphsInfo(void) { return 0; }\n";
  return s;
}

}  // namespace

std::string model_prefix_of_source(const std::string& cpp_text) {
  static const std::string kEntry = "_composeGraphs(const OqnnModelApi* api)";
  size_t end = cpp_text.find(kEntry);
  if (end == std::string::npos) return "";
  size_t begin = end;
  while (begin > 0 && is_c_identifier(cpp_text.substr(begin - 1, end - begin + 1))) --begin;
  return cpp_text.substr(begin, end - begin);
}

std::string model_cpp_source(const ir::Graph& g, const EmitPlan& p, const EmitOptions& o,
                             const std::string& graph_name, const std::string& bin_name) {
  std::string s = header_comment(g, p, o, graph_name, bin_name);
  if (!g.inputs.empty() || !g.outputs.empty()) s += "/* ---- Graph inputs and outputs ---- */\n\n";
  for (ir::TensorId t : g.inputs) s += tensor_function(g, p, t);
  for (ir::TensorId t : g.outputs) s += tensor_function(g, p, t);
  if (!p.statics.empty()) s += "/* ---- Static tensors (data in the weights archive) ---- */\n\n";
  for (ir::TensorId t : p.statics) s += tensor_function(g, p, t);
  if (!g.nodes.empty()) s += "/* ---- Nodes ---- */\n\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) s += node_function(g, p, i);
  return s + "/* ---- Entry points ---- */\n\n" + entry_points(g, p, o, graph_name);
}

}  // namespace oqnn::codegen
