#include "runtime/input_list.h"

#include <sstream>

#include "support/files.h"
#include "support/names.h"

namespace oqnn::rt {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\f\v");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\f\v");
  return s.substr(b, e - b + 1);
}

std::string input_names(const std::vector<TensorInfo>& inputs) {
  std::string s;
  for (const auto& t : inputs) s += (s.empty() ? "" : ", ") + t.name;
  return s;
}

}  // namespace

Expected<InputList> parse_input_list(const std::string& text, const std::string& origin) {
  InputList list;
  list.origin = origin;
  std::istringstream in(text);
  std::string raw;
  size_t number = 0;
  bool seen_content = false, after_header = false;
  while (std::getline(in, raw)) {
    ++number;
    std::string line = trim(raw);
    if (line.empty()) continue;
    if (!seen_content && line[0] == '#') {  // output names; we write every output anyway
      seen_content = after_header = true;
      continue;
    }
    if (after_header && line[0] == '%') {
      after_header = false;
      continue;
    }
    seen_content = true;
    after_header = false;
    InputLine parsed;
    parsed.line_number = number;
    std::istringstream tokens(line);
    std::string tok;
    while (tokens >> tok) {
      size_t sep = tok.find(":=");
      InputEntry e;
      if (sep == std::string::npos) {
        e.path = tok;
      } else {
        e.name = tok.substr(0, sep);
        e.path = tok.substr(sep + 2);
        if (e.name.empty() || e.path.empty())
          return bad_input(
              origin + ":" + std::to_string(number) + ": malformed entry '" + tok + "'",
              {"write name:=path, or only the path"});
      }
      if (!parsed.entries.empty() && parsed.entries[0].name.empty() != e.name.empty())
        return bad_input(origin + ":" + std::to_string(number) +
                         ": mixes name:=path entries with positional ones");
      parsed.entries.push_back(std::move(e));
    }
    list.lines.push_back(std::move(parsed));
  }
  if (in.bad()) return bad_input(origin + ": read failed");
  return list;
}

Expected<InputList> read_input_list(const std::string& path) {
  OQNN_ASSIGN_OR_RETURN(std::string text, read_text_file(path));
  OQNN_ASSIGN_OR_RETURN(InputList list, parse_input_list(text, path));
  if (list.lines.empty()) return bad_input(path + ": the input list has no inputs");
  return list;
}

Expected<std::vector<std::string>> assign_inputs(const InputList& list, const InputLine& line,
                                                 const std::vector<TensorInfo>& inputs) {
  std::string where = list.origin + ":" + std::to_string(line.line_number);
  if (line.entries.empty() || line.entries[0].name.empty()) {
    if (line.entries.size() != inputs.size())
      return bad_input(where + ": " + std::to_string(line.entries.size()) +
                           " input file(s) given, the graph has " + std::to_string(inputs.size()) +
                           " input(s): " + input_names(inputs),
                       {"list one file per graph input, in this order, or write name:=path"});
    std::vector<std::string> paths;
    for (const auto& e : line.entries) paths.push_back(e.path);
    return paths;
  }
  std::vector<std::string> paths(inputs.size());
  for (const auto& e : line.entries) {
    size_t match = inputs.size();
    for (size_t i = 0; i < inputs.size() && match == inputs.size(); ++i)
      if (inputs[i].name == e.name) match = i;
    for (size_t i = 0; i < inputs.size() && match == inputs.size(); ++i)
      if (sanitize_name(inputs[i].name) == sanitize_name(e.name)) match = i;
    if (match == inputs.size())
      return bad_input(where + ": '" + e.name + "' is not a graph input",
                       {"the graph's inputs are: " + input_names(inputs)});
    if (!paths[match].empty())
      return bad_input(where + ": input '" + inputs[match].name + "' is given twice");
    paths[match] = e.path;
  }
  for (size_t i = 0; i < inputs.size(); ++i)
    if (paths[i].empty())
      return bad_input(where + ": no file for graph input '" + inputs[i].name + "'");
  return paths;
}

}  // namespace oqnn::rt
