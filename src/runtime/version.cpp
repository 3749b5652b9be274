#include "runtime/version.h"

namespace oqnn::rt {
// OQNN_VERSION comes from project(VERSION) in the top-level CMakeLists.txt.
std::string toolchain_version() {
  return std::string("OpenQNN ") + OQNN_VERSION;
}
}  // namespace oqnn::rt
