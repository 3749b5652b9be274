#include "convert/converter.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "codegen/emit.h"
#include "ir/op_def.h"
#include "onnx/importer.h"
#include "passes/pipeline.h"
#include "quant/calibrate.h"
#include "quant/encodings_writer.h"
#include "quant/overrides.h"
#include "quant/quantize.h"
#include "runtime/backend_loader.h"
#include "runtime/graph_partition.h"
#include "runtime/input_list.h"
#include "runtime/quant_completion.h"
#include "runtime/version.h"
#include "support/files.h"

namespace oqnn::convert {
namespace {

onnx_import::ImportOptions import_options(const ConvertOptions& o) {
  onnx_import::ImportOptions io;
  io.model_path = o.input_network;
  io.input_dims = o.input_dims;
  io.out_nodes = o.out_nodes;
  io.batch = o.batch;
  io.define_symbols = o.define_symbols;
  io.keep_int64_inputs = o.keep_int64_inputs;
  return io;
}

std::string output_cpp_path(const ConvertOptions& o) {
  if (!o.output_path.empty()) return o.output_path;
  return stem_of(o.input_network) + ".cpp";
}

std::string sibling(const std::string& cpp, const std::string& suffix) {
  std::string base = cpp;
  if (base.size() > 4 && base.substr(base.size() - 4) == ".cpp") base.resize(base.size() - 4);
  return base + suffix;
}

// --target_device: every node must run on the named backend or, through CPU fallback (the
// context-binary generator and qnn-net-run split the graph), on the CPU; the nodes that
// fall back are reported.
Status check_target(const ir::Graph& g, const std::string& device) {
  std::string backend = device == "hexagon" || device == "htp" ? "htp" : device;
  auto b = rt::Backend::load(backend, "{}");
  if (!b) return b.error();
  std::vector<bool> native = rt::nodes_supported(g, b->capabilities(), backend);
  if (backend == "cpu") std::fill(native.begin(), native.end(), true);  // dtype-generic
  std::set<std::string> cpu_ops;
  auto cpu = rt::Backend::load("cpu", "{}");
  if (!cpu) return cpu.error();
  for (const auto& c : cpu->capabilities()) cpu_ops.insert(c.op);
  std::set<std::string> target_ops;
  for (const auto& c : b->capabilities()) target_ops.insert(c.op);
  for (const auto& n : g.nodes)
    if (!cpu_ops.count(n.op) && !(backend != "cpu" && target_ops.count(n.op)))
      return unsupported("node '" + n.name + "' (" + n.op + "): not supported by the " + backend +
                         " backend (--target_device " + device + ")");
  if (std::find(native.begin(), native.end(), false) != native.end())
    spdlog::warn("--target_device {}: {} will run on the CPU (fallback)", device,
                 rt::fallback_summary(g, native));
  return Status::ok();
}

Status quantize(ir::Graph& g, const ConvertOptions& o, std::vector<std::string>& warnings) {
  bool use_overrides = !o.quantization_overrides.empty() && !o.ignore_encodings;
  if (!use_overrides && o.input_list.empty()) return Status::ok();
  quant::QuantizeOptions qo;
  qo.act_bitwidth = o.act_bitwidth;
  qo.weight_bitwidth = o.weights_bitwidth;
  qo.bias_bitwidth = o.bias_bitwidth;
  qo.param_quantizer = o.param_quantizer;
  qo.strict = o.strict;
  qo.per_channel = o.per_channel;
  std::optional<quant::EncodingOverrides> overrides;
  if (use_overrides) {
    auto ov = quant::load_overrides(o.quantization_overrides);
    if (!ov) return ov.error();
    overrides = std::move(*ov);
    if (overrides->activation_bitwidth) qo.act_bitwidth = *overrides->activation_bitwidth;
    if (overrides->param_bitwidth) qo.weight_bitwidth = *overrides->param_bitwidth;
    if (overrides->bias_bitwidth) qo.bias_bitwidth = *overrides->bias_bitwidth;
  }
  std::optional<quant::ActivationRanges> ranges;
  if (!o.input_list.empty()) {
    auto list = rt::read_input_list(o.input_list);
    if (!list) return list.error();
    auto samples = rt::read_calibration_inputs(g, *list);
    if (!samples) return samples.error();
    spdlog::info("calibrating on {} inputs from {}", samples->size(), o.input_list);
    auto r = quant::calibrate(g, *samples, o.calibration_threads);
    if (!r) return r.error();
    ranges = std::move(*r);
  }
  return quant::quantize_graph(g, qo, overrides ? &*overrides : nullptr,
                               ranges ? &*ranges : nullptr, &warnings);
}

void log_io(const ir::Graph& g) {
  auto layout = [&](const std::string& name) {
    auto it = g.attributes.find("io_layout." + name);
    return it == g.attributes.end() ? std::string("?") : it->second;
  };
  for (ir::TensorId t : g.inputs)
    spdlog::info("input '{}': {} {} ({})", g.tensor(t).name, ir::dtype_name(g.tensor(t).dtype),
                 ir::shape_str(g.tensor(t).shape), layout(g.tensor(t).name));
  for (ir::TensorId t : g.outputs)
    spdlog::info("output '{}': {} {} ({})", g.tensor(t).name, ir::dtype_name(g.tensor(t).dtype),
                 ir::shape_str(g.tensor(t).shape), layout(g.tensor(t).name));
}

}  // namespace

Expected<std::vector<std::string>> dry_run(const ConvertOptions& o) {
  auto nodes = onnx_import::find_unsupported(import_options(o));
  if (!nodes) return nodes.error();
  std::vector<std::string> lines;
  for (const auto& n : *nodes)
    lines.push_back("node '" + n.node_name + "' (" + n.op_type + ", opset " +
                    std::to_string(n.opset) + "): " + n.reason);
  return lines;
}

Expected<ir::Graph> prepare_graph(const ConvertOptions& o, std::vector<std::string>& warnings) {
  auto graph = onnx_import::import_onnx(import_options(o));
  if (!graph) return graph.error();
  ir::Graph& g = *graph;

  passes::PipelineOptions po;
  po.optimization_level = o.no_simplification ? "low" : o.optimization_level;
  po.disable_batchnorm_folding = o.disable_batchnorm_folding;
  po.preserve_io_layout = o.preserve_io_layout;
  po.debug_dir = o.debug_dir;
  OQNN_RETURN_IF_ERROR(passes::run_pipeline(g, po));
  log_io(g);

  OQNN_RETURN_IF_ERROR(quantize(g, o, warnings));
  return graph;
}

Expected<ConvertResult> convert(const ConvertOptions& o) {
  ConvertResult result;
  auto graph = prepare_graph(o, result.warnings);
  if (!graph) return graph.error();
  ir::Graph& g = *graph;
  for (const auto& w : result.warnings) spdlog::warn("{}", w);
  if (!o.target_device.empty()) OQNN_RETURN_IF_ERROR(check_target(g, o.target_device));

  codegen::EmitOptions eo;
  eo.cpp_path = output_cpp_path(o);
  OutputGuard folder_guard;  // a folder made here is removed again if emitting fails
  OQNN_RETURN_IF_ERROR(folder_guard.make_dirs(dirname_of(eo.cpp_path)));
  eo.command_line = o.command_line;
  eo.flags = o.flags;
  eo.tool_version = rt::toolchain_version();
  eo.model_prefix = o.model_prefix;
  if (!o.copyright_file.empty()) {
    auto text = read_text_file(o.copyright_file);
    if (!text) return text.error();
    eo.copyright = *text;
  }
  auto files = codegen::emit_model(g, eo);
  if (!files) return files.error();
  for (const auto& f : {files->cpp, files->bin, files->net_json})
    if (!f.empty()) result.files.push_back(f);
  if (o.dump_encodings) {
    std::string path = sibling(eo.cpp_path, "_encodings.json");
    OQNN_RETURN_IF_ERROR(write_text_atomic(path, quant::encodings_to_json(g)));
    result.files.push_back(path);
  }
  folder_guard.keep();
  return result;
}

}  // namespace oqnn::convert
