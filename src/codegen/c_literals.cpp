#include "codegen/c_literals.h"

#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace oqnn::codegen {

std::string c_string(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      // '?' is escaped so that no "??x" sequence can ever be read as a trigraph.
      case '?':
        out += "\\?";
        break;
      default:
        // Octal escapes have at most three digits, so the next character cannot extend them
        // (hex escapes would swallow a following hex digit).
        if (u < 0x20 || u >= 0x7f)
          out += fmt::format("\\{:03o}", u);
        else
          out.push_back(c);
    }
  }
  return out + "\"";
}

std::string c_double(double v) {
  if (std::isnan(v)) return "__builtin_nan(\"\")";
  if (std::isinf(v)) return v > 0 ? "__builtin_inf()" : "-__builtin_inf()";
  std::string s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string c_int64(int64_t v) {
  if (v == INT64_MIN) return "(-9223372036854775807LL - 1)";
  return std::to_string(v);
}

std::string comment_text(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "*\\/";  // "*\/" cannot close the comment
      ++i;
    } else if (s[i] == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool is_c_identifier(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    bool ok = std::isalpha(u) || s[i] == '_' || (i > 0 && std::isdigit(u));
    if (!ok || u >= 0x80) return false;
  }
  return true;
}

}  // namespace oqnn::codegen
