// oqnn-conformance: the ONNX backend node tests (onnx/backend/test/data/node), run
// in-process on the cpu, gpu and htp backends. Every test is converted once, with the
// converter's own import and pass pipeline; each backend finalizes and executes it and the
// outputs are judged against the test's expected values (judge.h). The outcomes are
// checked against the expected-failure lists (expectations.h), or written into them with
// --update, and the pass rates are printed. docs/conformance.md describes the run.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>

#include "conformance_run.h"
#include "support/log.h"

namespace {

std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(',', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace oqnn;
  using namespace oqnn::conformance;
  init_logging("oqnn-conformance");
  RunOptions o;
  std::string backends = "cpu,gpu,htp,gpu+cpu,htp+cpu", log_level = "error";
  CLI::App app{"Runs the ONNX backend node tests on the OpenQNN backends"};
  app.add_option("--data", o.data_dir, "onnx/backend/test/data/node")->required();
  app.add_option("--lists", o.lists_dir, "folder of expected_failures_<backend>.txt")->required();
  app.add_option("--backends", backends,
                 "comma-separated: cpu, gpu, htp, gpu+cpu, htp+cpu (with cpu fallback)");
  app.add_option("--filter", o.filter, "POSIX extended regex; only tests whose name it matches");
  app.add_flag("--update", o.update, "rewrite the lists from this run instead of checking them");
  app.add_option("--report", o.report_path, "write every outcome to this TSV file");
  app.add_flag("--verbose", o.verbose, "print every outcome, not only the surprising ones");
  app.add_option("--log_level", log_level, "error, warn, info, verbose or debug");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (!set_log_level(log_level)) {
    log_error(usage_error("unknown --log_level '" + log_level + "'"));
    return 2;
  }
  o.backends = split_commas(backends);
  for (const auto& b : o.backends)
    if (b != "cpu" && b != "gpu" && b != "htp" && !is_fallback_run(b)) {
      log_error(usage_error("unknown backend '" + b + "' in --backends"));
      return 2;
    }
  auto t0 = std::chrono::steady_clock::now();
  auto ok = run_conformance(o);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!ok) {
    log_error(ok.error());
    return static_cast<int>(ok.error().code);
  }
  std::printf("conformance: %.1f s\n", secs);
  if (!*ok)
    std::printf(
        "conformance: FAILED: a run that disagrees with the lists (REGRESSION / STALE "
        "LIST lines above)\n");
  return *ok ? 0 : 1;
}
