// qnn-profile-viewer: summarizes profiling logs written by qnn-net-run --profiling_level,
// as QNN's tool of the same name: a text summary on stdout, and with --output a CSV (or,
// with --reader chrome, a Chrome-trace JSON). The work is in runtime/profile_report.h.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>

#include "runtime/profile_report.h"
#include "runtime/tool_main.h"
#include "support/files.h"

namespace {

using namespace oqnn;

constexpr const char* kTool = "qnn-profile-viewer";

struct Args {
  std::vector<std::string> logs;
  std::string output, reader;
};

// QNN names its readers by library (libQnnChrometraceProfilingReader.so); "chrome" is ours.
Expected<bool> wants_chrome_trace(const std::string& reader) {
  std::string r = reader;
  std::transform(r.begin(), r.end(), r.begin(), [](unsigned char c) { return std::tolower(c); });
  if (r.empty() || r == "csv") return false;
  if (r == "chrome" || r.find("chrometrace") != std::string::npos) return true;
  return usage_error("--reader: unknown reader '" + reader + "'",
                     {"use chrome for a Chrome-trace JSON, or leave it out for CSV"});
}

Status run(const Args& a) {
  OQNN_ASSIGN_OR_RETURN(bool chrome, wants_chrome_trace(a.reader));
  if (chrome && a.output.empty())
    return usage_error("--reader chrome writes a file: give it with --output");
  std::vector<rt::NamedLog> logs;
  for (const auto& path : a.logs) {
    OQNN_ASSIGN_OR_RETURN(rt::ProfileLog log, rt::read_profile_log(path));
    logs.push_back({path, std::move(log)});
  }
  for (size_t i = 0; i < logs.size(); ++i)
    std::fputs(((i ? "\n" : "") + rt::profile_summary(logs[i])).c_str(), stdout);
  if (a.output.empty()) return Status::ok();
  OutputGuard guard;
  OQNN_RETURN_IF_ERROR(guard.make_dirs(dirname_of(a.output)));
  guard.add_file(a.output);
  OQNN_RETURN_IF_ERROR(
      write_text_atomic(a.output, chrome ? rt::chrome_trace(logs) : rt::profile_csv(logs)));
  guard.keep();
  return Status::ok();
}

}  // namespace

int main(int argc, char** argv) {
  init_logging(kTool);
  CLI::App app{"Summarizes profiling logs written by qnn-net-run --profiling_level.", kTool};
  Args a;
  rt::ToolFlags common;
  app.add_option("--input_log", a.logs, "Profiling log(s), comma-separated")
      ->required()
      ->delimiter(',');
  app.add_option("--output", a.output, "Write the rows as CSV (or the Chrome trace) to this file");
  app.add_option("--reader", a.reader, "chrome: write a Chrome-trace JSON to --output");
  rt::add_common_flags(app, common);
  return rt::parse_and_run(app, argc, argv, common, [&] { return run(a); });
}
