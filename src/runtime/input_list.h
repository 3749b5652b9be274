// QNN's --input_list: one line per inference; the inputs of a line are separated by
// spaces, either positional (in the graph's input order) or `name:=path`. Relative paths
// are relative to the current folder (as QNN's tools read them). Empty lines are
// skipped, and so are a first line starting with '#' (output names) and a '%' line
// right after it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "runtime/tensor_info.h"
#include "support/status.h"

namespace oqnn::rt {

struct InputEntry {
  std::string name;  // empty for a positional entry
  std::string path;
};

struct InputLine {
  size_t line_number = 0;  // 1-based, for messages
  std::vector<InputEntry> entries;
};

struct InputList {
  std::string origin;  // the file, for messages
  std::vector<InputLine> lines;
};

Expected<InputList> parse_input_list(const std::string& text, const std::string& origin);
Expected<InputList> read_input_list(const std::string& path);

// The file of each graph input for one line, in the order of `inputs`. A name matches an
// input's original name or its sanitized form.
Expected<std::vector<std::string>> assign_inputs(const InputList& list, const InputLine& line,
                                                 const std::vector<TensorInfo>& inputs);

}  // namespace oqnn::rt
