// Spelling values as C/C++ source text for generated code: string literals that survive
// any bytes, doubles that read back bit-exact, and comment text that cannot end its comment.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace oqnn::codegen {

std::string c_string(std::string_view s);  // "..." with every unsafe byte escaped
std::string c_double(double v);            // shortest round-trip form, always a double literal
std::string c_int64(int64_t v);            // INT64_MIN spelled so it is not an overflow
// Text safe inside a /* */ comment, on one line (newlines and control bytes escaped).
std::string comment_text(std::string_view s);
bool is_c_identifier(std::string_view s);

}  // namespace oqnn::codegen
