// Builds a model library (lib<name>.so) from X.cpp and X.bin: compiles X.cpp against the
// shipped include/oqnn headers, embeds X.bin read-only with an assembler `.incbin` (no
// copy of the weights passes through the compiler), adds OqnnModel_getWeights, links
// -shared and strips. The library appears atomically: built under a temp name beside the
// destination, renamed into place; on failure nothing is left behind.
#pragma once

#include <string>
#include <vector>

#include "support/status.h"

namespace oqnn::codegen {

struct LibBuildOptions {
  std::string cpp_path;
  std::string bin_path;               // "" embeds an empty archive
  std::string output_path;            // the .so to write; its folder must exist
  std::string include_dir;            // holds oqnn/model_api.h
  std::vector<std::string> compiler;  // the driver and its own arguments, e.g. {"clang++"}
  bool debug = false;                 // -O0 -g and no stripping
};

// $CXX (split on spaces) if set, else clang++, else g++; errors when none is found.
Expected<std::vector<std::string>> find_compiler();

// Compiler failures are internal errors carrying the compiler's first error line.
Status build_model_library(const LibBuildOptions& o);

}  // namespace oqnn::codegen
