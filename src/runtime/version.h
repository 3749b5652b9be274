// The toolchain's version as the tools print it ("OpenQNN 0.1.0") and as context binaries
// record it.
#pragma once

#include <string>

namespace oqnn::rt {
std::string toolchain_version();
}
