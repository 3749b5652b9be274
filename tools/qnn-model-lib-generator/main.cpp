// qnn-model-lib-generator: X.cpp + X.bin -> lib<name>.so (a model library), as QNN's tool
// of the same name. Flag parsing, logging and exit codes only; the work is
// codegen::build_model_library and rt::load_model_library.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <set>

#include "codegen/cpp_source.h"
#include "codegen/lib_builder.h"
#include "oqnn/model_api.h"
#include "runtime/model_library/backend_support.h"
#include "runtime/model_library/model_library.h"
#include "support/files.h"
#include "support/log.h"

namespace {

using namespace oqnn;

constexpr const char* kTool = "qnn-model-lib-generator";
constexpr const char* kSupportedTarget = "x86_64-linux-clang";
// Targets QNN's tool builds for that need toolchains we do not drive yet.
const std::set<std::string> kLaterTargets = {"aarch64-android",          "aarch64-ubuntu-gcc7.5",
                                             "aarch64-oe-linux-gcc11.2", "aarch64-oe-linux-gcc9.3",
                                             "aarch64-oe-linux-gcc8.2",  "aarch64-qnx",
                                             "windows-x86_64",           "windows-aarch64"};

struct Args {
  std::string cpp, bin, lib_name, output_dir = "./lib", log_level;
  std::vector<std::string> targets, backends;
  bool debug = false, disable_cpu_fallback = false;
};

Status check_targets(std::vector<std::string>& targets) {
  if (targets.empty()) targets.push_back(kSupportedTarget);
  std::vector<std::string> unique;
  for (const auto& t : targets) {
    if (kLaterTargets.count(t))
      return unsupported("target '" + t + "' is not supported yet",
                         {std::string("supported: ") + kSupportedTarget});
    if (t != kSupportedTarget)
      return usage_error("unknown target '" + t + "' for -t/--lib_targets",
                         {std::string("supported: ") + kSupportedTarget});
    if (std::find(unique.begin(), unique.end(), t) == unique.end()) unique.push_back(t);
  }
  targets = unique;
  return Status::ok();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// -o names the library itself when it ends in ".so" (as in `-o simple_model_qnn.so`);
// otherwise it is QNN's output folder: <dir>/<target>/lib<name>.so.
std::string output_path(const Args& a, const std::string& target) {
  if (ends_with(a.output_dir, ".so")) return a.output_dir;
  return join_path(join_path(a.output_dir, target), "lib" + a.lib_name + ".so");
}

Status check_inputs(Args& a) {
  if (!file_exists(a.cpp)) return bad_input(a.cpp + ": no such model source (-c/--cpp)");
  if (!a.bin.empty() && !file_exists(a.bin))
    return bad_input(a.bin + ": no such weights archive (-b/--bin)");
  if (!a.bin.empty()) {
    // Check the archive before compiling, so that a malformed one is named as such.
    OQNN_ASSIGN_OR_RETURN(auto blob, map_file(a.bin));
    auto index = rt::index_ustar(blob->span(), a.bin);
    if (!index) return index.error();
  }
  if (a.lib_name.empty()) a.lib_name = stem_of(a.bin.empty() ? a.cpp : a.bin);
  if (a.lib_name.empty() || a.lib_name.find('/') != std::string::npos)
    return usage_error("library name '" + a.lib_name + "' must be a plain file name");
  for (const auto& b : a.backends)
    if (rt::backend_library_name(b).empty())
      return usage_error("unknown backend '" + b + "' in --target_backends",
                         {"choose from htp, gpu, cpu"});
  return Status::ok();
}

Status run(Args& a) {
  OQNN_RETURN_IF_ERROR(check_targets(a.targets));
  OQNN_RETURN_IF_ERROR(check_inputs(a));
  if (ends_with(a.output_dir, ".so") && a.targets.size() > 1)
    return usage_error("-o names a single library file, but several targets were given");
  // The shipped headers and backends sit beside bin/: <exe_dir>/../include and ../lib.
  auto beside = [](const std::string& dir) {
    return std::filesystem::path(join_path(executable_dir(), dir)).lexically_normal().string();
  };
  std::string include_dir = beside("../include"), lib_dir = beside("../lib");
  if (!file_exists(join_path(include_dir, "oqnn/model_api.h")))
    return internal_error("the OpenQNN headers are missing: " + include_dir + "/oqnn/model_api.h");
  OQNN_ASSIGN_OR_RETURN(auto compiler, codegen::find_compiler());

  // The entry point's prefix (--overwrite_model_prefix at conversion) for the check below.
  OQNN_ASSIGN_OR_RETURN(std::string source, read_text_file(a.cpp));
  std::string prefix = codegen::model_prefix_of_source(source);
  if (prefix.empty()) prefix = OQNN_DEFAULT_MODEL_PREFIX;

  OutputGuard guard;  // removes the libraries (and folders) made, unless all went well
  for (const auto& target : a.targets) {
    codegen::LibBuildOptions o;
    o.cpp_path = a.cpp;
    o.bin_path = a.bin;
    o.output_path = output_path(a, target);
    o.include_dir = include_dir;
    o.compiler = compiler;
    o.debug = a.debug;
    OQNN_RETURN_IF_ERROR(guard.make_dirs(dirname_of(o.output_path)));
    spdlog::info("compiling {} for {}", a.cpp, target);
    OQNN_RETURN_IF_ERROR(codegen::build_model_library(o));
    guard.add_file(o.output_path);
    // Loading the fresh library checks the source against its weights (every member
    // present, every size right) and the graph against the op table.
    auto model = rt::load_model_library(o.output_path, prefix);
    if (!model) {
      Error e = model.error();
      if (a.bin.empty())
        e.hints.push_back("no weights archive was given: pass X.bin with -b/--bin");
      return e;
    }
    if (!a.backends.empty()) {
      std::vector<std::string> warnings;
      OQNN_RETURN_IF_ERROR(rt::check_backend_support(model->graph, a.backends, lib_dir, warnings));
      if (a.disable_cpu_fallback && !warnings.empty())
        return unsupported(warnings.front() + " (--disable_cpu_fallback)",
                           {"drop --disable_cpu_fallback to accept CPU fallback"});
      for (const auto& w : warnings) spdlog::warn("{}", w);
    }
    spdlog::info("wrote {} ({} nodes)", o.output_path, model->graph.nodes.size());
  }
  guard.keep();
  return Status::ok();
}

}  // namespace

int main(int argc, char** argv) {
  oqnn::init_logging(kTool);
  CLI::App app{
      "Builds a model library (lib<name>.so) from the model source and weights written "
      "by qnn-onnx-converter.",
      kTool};
  Args a;
  app.add_option("-c,--cpp", a.cpp, "Model source (X.cpp) written by qnn-onnx-converter")
      ->required();
  app.add_option("-b,--bin", a.bin, "Weights archive (X.bin); omit for a model without weights");
  app.add_option("-t,--lib_targets", a.targets,
                 "Targets to build for (default x86_64-linux-clang, the one supported now)")
      ->delimiter(',');
  app.add_option(
      "-l,--lib_name", a.lib_name,
      "Library name; lib<name>.so is written (default: the .bin stem, else the .cpp stem)");
  app.add_option("-o,--output_dir", a.output_dir,
                 "Output folder, written as <dir>/<target>/lib<name>.so (default ./lib); a value "
                 "ending in .so names the library file itself");
  app.add_flag("-d,--debug", a.debug, "Build with -O0 -g and do not strip");
  app.add_option("--target_backends", a.backends,
                 "Check that every op of the model runs on these backends (htp,gpu,cpu); ops a "
                 "backend lacks are reported as CPU fallback")
      ->delimiter(',');
  app.add_flag("--disable_cpu_fallback", a.disable_cpu_fallback,
               "With --target_backends: a node a backend cannot run itself is an error (exit 3), "
               "not a CPU fallback warning");
  app.add_option("--log_level", a.log_level, "error, warn, info, verbose or debug");
  app.set_version_flag("--version", OQNN_VERSION_STRING);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    oqnn::log_error(oqnn::usage_error(e.what(), {"run with --help for the flags"}));
    return 2;
  }
  if (!a.log_level.empty() && !oqnn::set_log_level(a.log_level)) {
    oqnn::log_error(oqnn::usage_error("unknown --log_level '" + a.log_level + "'",
                                      {"choose from error, warn, info, verbose, debug"}));
    return 2;
  }
  oqnn::Status s;
  try {
    s = run(a);
  } catch (const std::exception& e) {
    s = oqnn::internal_error(std::string("unexpected failure: ") + e.what());
  }
  if (s.is_ok()) return 0;
  oqnn::log_error(s.error());
  return static_cast<int>(s.error().code);
}
