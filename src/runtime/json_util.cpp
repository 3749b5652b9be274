#include "runtime/json_util.h"

#include "support/files.h"

namespace oqnn::rt {

Expected<nlohmann::json> parse_json(const std::string& text, const std::string& origin) {
  try {
    return nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/true,
                                 /*ignore_comments=*/true);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() is "[json.exception.parse_error.101] parse error at line 3, column 5: ...".
    std::string what = e.what();
    size_t p = what.find("] ");
    return bad_input(origin +
                     ": invalid JSON: " + (p == std::string::npos ? what : what.substr(p + 2)));
  } catch (const std::exception& e) {
    return bad_input(origin + ": invalid JSON: " + e.what());
  }
}

Expected<nlohmann::json> load_json_file(const std::string& path) {
  OQNN_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  return parse_json(text, path);
}

std::string json_brief(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

}  // namespace oqnn::rt
