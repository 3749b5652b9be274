// The part of main() every runtime command shares (header-only, for tools/ only): the
// --log_level and --version flags, CLI11 parse errors as usage errors (exit 2), and the
// command's Status turned into one "tool: error: ..." line plus hints and its exit code
// (DESIGN §7: 1 bad input, 2 usage, 3 unsupported, 4 internal).
#pragma once

#include <CLI/CLI.hpp>

#include <exception>
#include <functional>
#include <string>

#include "runtime/version.h"
#include "support/log.h"
#include "support/status.h"

namespace oqnn::rt {

struct ToolFlags {
  std::string log_level;
};

inline void add_common_flags(CLI::App& app, ToolFlags& f) {
  app.add_option("--log_level", f.log_level, "error, warn, info, verbose or debug");
  app.set_version_flag("--version", toolchain_version());
}

inline int exit_code(const Error& e) {
  return static_cast<int>(e.code);
}

inline int parse_and_run(CLI::App& app, int argc, char** argv, const ToolFlags& f,
                         const std::function<Status()>& run) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    log_error(usage_error(e.what(), {"run with --help for the flags"}));
    return 2;
  }
  if (!f.log_level.empty() && !set_log_level(f.log_level)) {
    log_error(usage_error("unknown --log_level '" + f.log_level + "'",
                          {"choose from error, warn, info, verbose, debug"}));
    return 2;
  }
  try {
    Status s = run();
    if (s.is_ok()) return 0;
    log_error(s.error());
    return exit_code(s.error());
  } catch (const std::exception& e) {
    log_error(internal_error(std::string("internal error: ") + e.what()));
    return 4;
  }
}

}  // namespace oqnn::rt
