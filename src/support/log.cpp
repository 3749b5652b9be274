#include "support/log.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <unistd.h>

#include <cstdio>

namespace oqnn {

void init_logging(const std::string& tool_name) {
  auto logger = spdlog::stderr_color_mt(tool_name);
  logger->set_pattern("%n: %l: %v");
  logger->set_level(spdlog::level::warn);
  spdlog::set_default_logger(logger);
}

bool set_log_level(const std::string& level) {
  using spdlog::level::level_enum;
  level_enum l;
  if (level == "error")
    l = spdlog::level::err;
  else if (level == "warn")
    l = spdlog::level::warn;
  else if (level == "info")
    l = spdlog::level::info;
  else if (level == "verbose")
    l = spdlog::level::debug;
  else if (level == "debug")
    l = spdlog::level::trace;
  else
    return false;
  spdlog::set_level(l);
  return true;
}

void log_error(const Error& error) {
  // One error line; hints follow on their own lines, not marked as errors, so that
  // `grep error:` finds exactly one line per failure.
  spdlog::error("{}", error.message);
  std::string name = spdlog::default_logger()->name();
  for (const auto& h : error.hints) std::fprintf(stderr, "%s: hint: %s\n", name.c_str(), h.c_str());
  std::fflush(stderr);
}

bool stderr_is_tty() {
  return isatty(STDERR_FILENO) == 1;
}

}  // namespace oqnn
