// qnn-context-binary-generator: model library -> context binary (a finalized plan), as
// QNN's tool of the same name. Flag parsing, logging and exit codes only; the work is
// rt::generate_context_binary.
#include <CLI/CLI.hpp>

#include "runtime/context_generator.h"
#include "runtime/tool_main.h"

namespace {

using namespace oqnn;

constexpr const char* kTool = "qnn-context-binary-generator";

struct Args {
  rt::ContextGenOptions gen;
  std::string profiling_level, mem_type = "raw";
};

Status run(Args& a) {
  if (a.mem_type == "memhandle")
    return unsupported("--input_output_tensor_mem_type memhandle is not supported yet",
                       {"use raw (the default)"});
  if (!a.profiling_level.empty()) {
    OQNN_ASSIGN_OR_RETURN(a.gen.profiling, rt::parse_profiling_level(a.profiling_level));
  }
  OutputGuard guard;  // removes what was written unless everything succeeded
  OQNN_ASSIGN_OR_RETURN(rt::ContextGenResult r, rt::generate_context_binary(a.gen, guard));
  guard.keep();
  spdlog::info("context binary: {}", r.binary_path);
  return Status::ok();
}

}  // namespace

int main(int argc, char** argv) {
  init_logging(kTool);
  CLI::App app{"Finalizes a model library on a backend and saves the plan as a context binary.",
               kTool};
  Args a;
  rt::ToolFlags common;
  app.add_option("--model", a.gen.model_path, "Model library (lib<name>.so)")->required();
  app.add_option("--backend", a.gen.backend,
                 "Backend: htp, gpu, cpu, a library name (libQnnHtp.so) or a path")
      ->required();
  app.add_option("--binary_file", a.gen.binary_file,
                 "Context binary name, relative to --output_dir; .bin is appended (default "
                 "<backend>_context)");
  app.add_option("--output_dir", a.gen.output_dir, "Output folder (default ./output)");
  app.add_option("--model_prefix", a.gen.model_prefix,
                 "Prefix of the model library's entry points (default QnnModel)");
  app.add_option("--config_file", a.gen.config_file,
                 "Backend config JSON ({\"htp_config\": ...} or QNN's backend_extensions form)");
  app.add_option("--input_list", a.gen.input_list,
                 "Calibration inputs: for htp, activations without encodings are calibrated "
                 "over them");
  app.add_flag("--disable_cpu_fallback{false}", a.gen.cpu_fallback,
               "Fail (exit 3, naming them) instead of running nodes the backend cannot run on "
               "the cpu backend");
  app.add_option("--optimization_level", a.gen.optimization_level,
                 "low, medium or high (recorded in the context binary)")
      ->check(CLI::IsMember({"low", "medium", "high"}));
  app.add_option("--profiling_level", a.profiling_level,
                 "basic or detailed: writes <output_dir>/qnn-profiling-data_0.log")
      ->check(CLI::IsMember({"basic", "detailed", "backend"}));
  app.add_option("--input_output_tensor_mem_type", a.mem_type, "raw (memhandle: not supported yet)")
      ->check(CLI::IsMember({"raw", "memhandle"}));
  rt::add_common_flags(app, common);
  return rt::parse_and_run(app, argc, argv, common, [&] { return run(a); });
}
