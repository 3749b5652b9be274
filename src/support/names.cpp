#include "support/names.h"

#include <cctype>

namespace oqnn {

std::string sanitize_name(std::string_view name) {
  // Per character, as QNN's own output shows ("onnx::Conv_192" -> "onnx__Conv_192").
  std::string out;
  out.reserve(name.size() + 1);
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(std::isalnum(u) || c == '_' ? c : '_');
  }
  if (out.empty() || (!std::isalpha(static_cast<unsigned char>(out[0])) && out[0] != '_'))
    out.insert(0, "_");
  return out;
}

}  // namespace oqnn
