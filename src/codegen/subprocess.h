// Runs a program (no shell, so paths need no quoting) and captures what it prints, for
// driving the C++ compiler from qnn-model-lib-generator.
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace oqnn::codegen {

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr together
};

// Searches PATH for argv[0] when it has no '/'. Fails only when the program cannot start.
Expected<ProcessResult> run_process(const std::vector<std::string>& argv);
// The full path of `program` found on PATH, or "" when there is none.
std::string find_on_path(const std::string& program);

}  // namespace oqnn::codegen
