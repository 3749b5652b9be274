// Logging to stderr through spdlog, with QNN's --log_level names. Results go to files,
// never to the log.
#pragma once
#include <spdlog/spdlog.h>

#include <string>

#include "support/status.h"

namespace oqnn {
// error|warn|info|verbose|debug; returns false for an unknown name.
bool set_log_level(const std::string& level);
void init_logging(const std::string& tool_name);
// Prints "<tool>: error: <message>" and the hints, one per line.
void log_error(const Error& error);
bool stderr_is_tty();
}  // namespace oqnn
