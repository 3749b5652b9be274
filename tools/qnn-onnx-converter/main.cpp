// qnn-onnx-converter: ONNX model → X.cpp, X.bin, X_net.json [, X_encodings.json], as QNN's
// tool of the same name. Flag parsing, logging and exit codes only; the work is
// convert::convert (src/convert).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <sstream>

#include "convert/converter.h"
#include "support/files.h"
#include "support/log.h"

namespace {

using namespace oqnn;
constexpr const char* kTool = "qnn-onnx-converter";

Expected<ir::Shape> parse_dims(const std::string& name, const std::string& text) {
  ir::Shape dims;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, ',')) {
    try {
      size_t used = 0;
      long long v = std::stoll(part, &used);
      if (used != part.size() || v <= 0) throw std::invalid_argument(part);
      dims.push_back(v);
    } catch (const std::exception&) {
      return usage_error("--input_dim " + name + " " + text +
                         ": dimensions must be positive "
                         "integers separated by commas, e.g. 1,3,224,224");
    }
  }
  if (dims.empty()) return usage_error("--input_dim " + name + ": no dimensions given");
  return dims;
}

struct Flags {
  convert::ConvertOptions o;
  std::vector<std::pair<std::string, std::string>> input_dims, define_symbols;
  std::vector<std::string> preserve_io;
  std::string dry_run, log_level, debug_flag, act_calibration = "min-max";
  bool dry_run_given = false, debug_given = false;
};

Status check_flags(Flags& f) {
  for (const auto& [name, dims] : f.input_dims) {
    OQNN_ASSIGN_OR_RETURN(ir::Shape s, parse_dims(name, dims));
    f.o.input_dims.emplace_back(name, s);
  }
  for (const auto& [sym, val] : f.define_symbols) {
    try {
      f.o.define_symbols.emplace_back(sym, std::stoll(val));
    } catch (const std::exception&) {
      return usage_error("--define_symbol " + sym + " " + val + ": the value must be an integer");
    }
  }
  if (!f.preserve_io.empty()) {
    if (f.preserve_io[0] != "layout")
      return unsupported(
          "--preserve_io " + f.preserve_io[0] + " is not supported yet",
          {"--preserve_io layout keeps the ONNX layout of every graph input and output"});
    if (f.preserve_io.size() > 1)
      return unsupported(
          "--preserve_io layout with tensor names is not supported yet",
          {"--preserve_io layout (no names) keeps every input's and output's layout"});
    f.o.preserve_io_layout = true;
  }
  if (f.o.param_quantizer == "enhanced" || f.o.param_quantizer == "adjusted")
    return unsupported("--param_quantizer " + f.o.param_quantizer + " is not supported yet",
                       {"use tf or symmetric"});
  if (f.act_calibration != "min-max")
    return unsupported("--act_quantizer_calibration " + f.act_calibration + " is not supported yet",
                       {"min-max (QNN's tf) is supported"});
  if (f.o.weights_bitwidth == 4) return unsupported("--weights_bitwidth 4 is not supported yet");
  if (f.o.bias_bitwidth == 8) return unsupported("--bias_bitwidth 8 is not supported yet");
  if (!file_exists(f.o.input_network))
    return bad_input(f.o.input_network + ": no such file (--input_network)");
  if (f.o.output_path.empty()) f.o.output_path = stem_of(f.o.input_network) + ".cpp";
  if (f.debug_given && f.o.debug_dir.empty()) {
    std::string cpp = f.o.output_path;
    f.o.debug_dir =
        cpp.substr(0, cpp.size() - (cpp.size() > 4 && cpp.ends_with(".cpp") ? 4 : 0)) + "_debug";
  }
  return Status::ok();
}

// Removes what a failed conversion may have left (emitters write atomically; this covers
// the set of files as a whole).
void remove_outputs(const convert::ConvertOptions& o) {
  std::string base = o.output_path.ends_with(".cpp")
                         ? o.output_path.substr(0, o.output_path.size() - 4)
                         : o.output_path;
  for (const auto& f : {o.output_path, base + ".bin", base + "_net.json", base + "_encodings.json"})
    std::remove(f.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  init_logging(kTool);
  CLI::App app{"Converts an ONNX model into QNN model sources (X.cpp, X.bin, X_net.json).", kTool};
  Flags f;
  auto& o = f.o;
  app.add_option("-i,--input_network", o.input_network, "ONNX model (.onnx)")->required();
  app.add_option("-o,--output_path", o.output_path,
                 "Model source to write (X.cpp); X.bin and X_net.json go beside it "
                 "(default: the model's name with .cpp)");
  app.add_option(
      "-d,--input_dim", f.input_dims,
      "NAME DIMS: bind an input's shape, in the model's layout (e.g. input 1,3,224,224)");
  app.add_option("--out_node,--out_name", o.out_nodes, "Graph output tensor name (repeatable)");
  app.add_option("-b,--batch", o.batch, "Batch size for inputs whose first dimension is symbolic");
  app.add_option("-s,--define_symbol", f.define_symbols, "SYMBOL VALUE: bind a symbolic dimension");
  app.add_option("--preserve_io", f.preserve_io,
                 "layout: keep the ONNX layout of graph inputs and outputs (default: image I/O "
                 "becomes NHWC, as QNN does)")
      ->expected(1, 8);
  app.add_flag("--keep_int64_inputs", o.keep_int64_inputs,
               "Keep int64 graph inputs int64 (raw files of int64 values); the graph narrows "
               "them to int32 inside (default: the inputs themselves become int32)");
  app.add_option("--dry_run", f.dry_run, "List every unsupported node and exit (info|debug)")
      ->expected(0, 1);
  app.add_flag("--disable_batchnorm_folding", o.disable_batchnorm_folding,
               "Keep BatchNormalization as its own op");
  app.add_flag("-n,--no_simplification", o.no_simplification,
               "Only fold constants and remove dead code (same as --optimization_level low)");
  app.add_option("--debug", f.debug_flag,
                 "Write the IR after each pass into X_debug/ (or the folder given)")
      ->expected(0, 1);
  app.add_option("--copyright_file", o.copyright_file, "Text placed in X.cpp's header comment");
  app.add_option("--overwrite_model_prefix", o.model_prefix,
                 "Entry point prefix: <prefix>_composeGraphs (default QnnModel)");
  app.add_option("--input_list", o.input_list,
                 "Calibration inputs (QNN input list of float32 .raw files): quantize the model");
  app.add_option("--quantization_overrides", o.quantization_overrides,
                 "Encodings JSON (seed dict form, AIMET legacy or 1.0.0): quantize the model");
  app.add_flag("--ignore_encodings", o.ignore_encodings, "Ignore --quantization_overrides");
  app.add_flag("--strict", o.strict, "An override naming no tensor is an error, not a warning");
  app.add_option("--param_quantizer", o.param_quantizer,
                 "Weights: symmetric (int8, default) or tf (uint8 asymmetric)")
      ->check(CLI::IsMember({"tf", "symmetric", "enhanced", "adjusted"}));
  app.add_option("--act_quantizer_calibration", f.act_calibration,
                 "Activation calibration: min-max (QNN tf)")
      ->check(CLI::IsMember({"min-max", "sqnr", "entropy", "mse", "percentile"}));
  app.add_option("--act_bitwidth,--act_bw", o.act_bitwidth, "Activation bit width: 8 or 16")
      ->check(CLI::IsMember({8, 16}));
  app.add_option("--weights_bitwidth,--weight_bw", o.weights_bitwidth, "Weight bit width: 8")
      ->check(CLI::IsMember({4, 8}));
  app.add_option("--bias_bitwidth,--bias_bw", o.bias_bitwidth, "Bias bit width: 32")
      ->check(CLI::IsMember({8, 32}));
  app.add_flag("--use_per_channel_quantization", o.per_channel,
               "Conv/FC weights get one symmetric encoding per output channel");
  app.add_flag("--dump_encodings", o.dump_encodings,
               "Also write the encodings used as X_encodings.json (AIMET 1.0.0 format)");
  app.add_option("--target_device", o.target_device,
                 "Check every op against this target's backend: hexagon (htp), gpu or cpu; nodes "
                 "it lacks are reported as CPU fallback")
      ->check(CLI::IsMember({"hexagon", "htp", "gpu", "cpu"}));
  app.add_option("--optimization_level", o.optimization_level,
                 "Pass pipeline: low, medium (default) or high")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  app.add_option("--log_level", f.log_level, "error, warn, info, verbose or debug");
  app.set_version_flag("--version", "OpenQNN " OQNN_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    log_error(usage_error(e.what(), {"run with --help for the flags"}));
    return 2;
  }
  if (!f.log_level.empty() && !set_log_level(f.log_level)) {
    log_error(usage_error("unknown --log_level '" + f.log_level + "'",
                          {"choose from error, warn, info, verbose, debug"}));
    return 2;
  }
  f.dry_run_given = app.count("--dry_run") > 0;
  f.debug_given = app.count("--debug") > 0;
  o.debug_dir = f.debug_flag;
  if (f.debug_given && f.log_level.empty()) set_log_level("debug");
  for (int i = 0; i < argc; ++i) o.command_line += (i ? " " : "") + std::string(argv[i]);
  for (const auto* opt : app.get_options()) {
    if (opt->count() == 0 || opt->get_name() == "--help") continue;
    std::string value;
    for (const auto& r : opt->results()) value += (value.empty() ? "" : " ") + r;
    o.flags.emplace_back(opt->get_name(), value);
  }
  std::sort(o.flags.begin(), o.flags.end());

  Status s = check_flags(f);
  if (s.is_ok() && f.dry_run_given) {
    auto lines = convert::dry_run(o);
    if (!lines) {
      s = lines.error();
    } else {
      for (const auto& l : *lines) std::printf("%s\n", l.c_str());
      if (lines->empty()) std::printf("%s: all nodes are supported\n", o.input_network.c_str());
      return lines->empty() ? 0 : 3;
    }
  }
  if (s.is_ok()) {
    auto r = convert::convert(o);
    if (r) {
      for (const auto& file : r->files) spdlog::info("wrote {}", file);
      return 0;
    }
    s = r.error();
    remove_outputs(o);
  }
  log_error(s.error());
  return static_cast<int>(s.error().code);
}
