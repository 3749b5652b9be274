// The conversion driver behind qnn-onnx-converter: ONNX import → passes → quantization
// (overrides, calibration) → target check → emit model.cpp / model.bin / model_net.json
// [/ model_encodings.json]. The tool only parses flags and maps errors to exit codes.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "ir/types.h"
#include "support/status.h"

namespace oqnn::convert {

struct ConvertOptions {
  std::string input_network;
  std::string output_path;  // X.cpp (default: the input's basename with .cpp)
  std::vector<std::pair<std::string, ir::Shape>> input_dims;
  std::vector<std::string> out_nodes;
  std::optional<int64_t> batch;
  std::vector<std::pair<std::string, int64_t>> define_symbols;
  bool preserve_io_layout = false;
  bool keep_int64_inputs = false;  // int64 graph inputs stay int64 at the I/O boundary
  bool disable_batchnorm_folding = false;
  bool no_simplification = false;
  std::string optimization_level = "medium";
  std::string debug_dir;  // --debug: IR after each pass
  // Quantization.
  std::string input_list;
  std::string quantization_overrides;
  bool ignore_encodings = false;
  bool strict = false;
  std::string param_quantizer = "symmetric";
  int act_bitwidth = 8;
  int weights_bitwidth = 8;
  int bias_bitwidth = 32;
  bool per_channel = false;
  bool dump_encodings = false;
  // Target check (--target_device): "hexagon" → htp, "gpu", "cpu"; "" for none.
  std::string target_device;
  // Emission.
  std::string model_prefix = "QnnModel";
  std::string copyright_file;
  std::string command_line;
  std::vector<std::pair<std::string, std::string>> flags;  // for the .cpp header
  int calibration_threads = 0;                             // 0: all cores
};

struct ConvertResult {
  std::vector<std::string> files;     // written, in order
  std::vector<std::string> warnings;  // already logged
};

Expected<ConvertResult> convert(const ConvertOptions& o);

// What convert() emits, kept in memory: ONNX import, the pass pipeline and quantization
// (overrides, calibration) as `o` asks; no target check, nothing written. Warnings are
// appended to `warnings` (not logged). In-process callers (tests/conformance) run the
// converter's exact graph through backends with it.
Expected<ir::Graph> prepare_graph(const ConvertOptions& o, std::vector<std::string>& warnings);

// --dry_run: the unsupported nodes, one line each; empty when the model converts.
Expected<std::vector<std::string>> dry_run(const ConvertOptions& o);

}  // namespace oqnn::convert
