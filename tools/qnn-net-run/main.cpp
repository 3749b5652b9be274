// qnn-net-run: runs a model library or a context binary on a backend over an input list,
// as QNN's tool of the same name. Flag parsing, logging and exit codes only; the work is
// rt::run_network.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "runtime/config.h"
#include "runtime/net_runner.h"
#include "runtime/tool_main.h"

namespace {

using namespace oqnn;

constexpr const char* kTool = "qnn-net-run";

struct Args {
  rt::NetRunOptions run;
  std::string profiling_level, input_data_type, output_data_type;
};

// "[12/100] inferences" on the terminal, nothing when the output is redirected.
void show_progress(size_t done, size_t total) {
  if (total < 2) return;
  std::fprintf(stderr, "\r%s: [%zu/%zu] inferences", kTool, done, total);
  if (done == total) std::fputc('\n', stderr);
  std::fflush(stderr);
}

Status run(Args& a) {
  if (a.run.model_path.empty() == a.run.context_path.empty())
    return usage_error("give exactly one of --model and --retrieve_context");
  if (!a.profiling_level.empty()) {
    OQNN_ASSIGN_OR_RETURN(a.run.profiling, rt::parse_profiling_level(a.profiling_level));
  }
  if (a.input_data_type == "native") a.run.native_inputs = true;
  if (!a.output_data_type.empty()) {
    if (a.run.native_outputs && a.output_data_type == "float_only")
      return usage_error("--output_data_type float_only contradicts --use_native_output_files");
    a.run.native_outputs = a.run.native_outputs || a.output_data_type != "float_only";
    a.run.float_outputs = a.output_data_type != "native_only";
  }
  if (isatty(STDOUT_FILENO) && isatty(STDERR_FILENO)) a.run.progress = show_progress;
  OutputGuard guard;  // removes what was written unless everything succeeded
  OQNN_ASSIGN_OR_RETURN(rt::NetRunResult r, rt::run_network(a.run, guard));
  guard.keep();
  spdlog::info("ran {} inference(s); outputs in {}", r.inferences, a.run.output_dir);
  return Status::ok();
}

}  // namespace

int main(int argc, char** argv) {
  init_logging(kTool);
  CLI::App app{"Runs a model library or a context binary on a backend over an input list.", kTool};
  Args a;
  rt::ToolFlags common;
  rt::NetRunOptions& o = a.run;
  app.add_option("--model", o.model_path, "Model library (lib<name>.so), finalized now");
  app.add_option("--retrieve_context", o.context_path,
                 "Context binary written by qnn-context-binary-generator");
  app.add_option("--backend", o.backend,
                 "Backend: htp, gpu, cpu, a library name (libQnnCpu.so) or a path")
      ->required();
  app.add_option("--input_list", o.input_list,
                 "One line per inference: input .raw files, positional or name:=path")
      ->required();
  app.add_option("--output_dir", o.output_dir,
                 "Output folder: Result_<i>/<tensor>.raw per inference (default ./output)");
  app.add_flag("--use_native_input_files", o.native_inputs,
               "Input files hold the graph's own dtypes (e.g. uint8), not float32");
  app.add_option("--native_input_tensor_names", o.native_input_names,
                 "Inputs (comma-separated) whose files hold the graph's own dtype")
      ->delimiter(',');
  app.add_flag("--use_native_output_files", o.native_outputs,
               "Write outputs in the graph's own dtypes (<name>_native.raw)");
  app.add_option("--input_data_type", a.input_data_type,
                 "float (default) or native: the same as --use_native_input_files")
      ->check(CLI::IsMember({"float", "native"}));
  app.add_option("--output_data_type", a.output_data_type,
                 "float_only (default), native_only (= --use_native_output_files) or "
                 "float_and_native (both files per output)")
      ->check(CLI::IsMember({"float_only", "native_only", "float_and_native"}));
  app.add_option("--profiling_level", a.profiling_level,
                 "basic or detailed (per-node times): writes <output_dir>/qnn-profiling-data_0.log")
      ->check(CLI::IsMember({"basic", "detailed", "backend"}));
  app.add_option("--perf_profile", o.perf_profile, "Backend performance mode")
      ->check(CLI::IsMember(rt::performance_modes()));
  app.add_option("--config_file", o.config_file,
                 "Backend config JSON ({\"htp_config\": ...} or QNN's backend_extensions form)");
  app.add_option("--num_inferences", o.num_inferences,
                 "Run this many inferences, repeating the input list as needed")
      ->check(CLI::PositiveNumber);
  app.add_option("--keep_num_outputs", o.keep_num_outputs,
                 "Write the outputs of the first N inferences only")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--model_prefix", o.model_prefix,
                 "Prefix of the model library's entry points (default QnnModel)");
  app.add_flag("--disable_cpu_fallback{false}", o.cpu_fallback,
               "With --model on gpu/htp: fail (exit 3, naming them) instead of running nodes "
               "the backend cannot run on the cpu backend");
  app.add_flag("--debug", o.debug,
               "Also write every intermediate tensor (float32) into Result_<i>/");
  rt::add_common_flags(app, common);
  return rt::parse_and_run(app, argc, argv, common, [&] { return run(a); });
}
