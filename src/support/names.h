// QNN name sanitization: every character outside [A-Za-z0-9_] becomes '_'; a leading '_'
// is added when the name would start with a digit.
#pragma once
#include <string>
#include <string_view>

namespace oqnn {
std::string sanitize_name(std::string_view name);
}
