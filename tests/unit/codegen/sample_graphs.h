// Graphs and folders the codegen tests share.
#pragma once

#include <string>

#include "ir/graph.h"

namespace oqnn::testing {

// A small CNN in the seed model's shape (conv, depthwise conv, pooling, reshape, FC,
// softmax) whose names exercise sanitization and escaping, with per-tensor and per-axis
// encodings, every parameter kind the op table uses, an omitted optional input, two graph
// outputs in non-production order and an io_layout attribute. `name` is the graph name.
ir::Graph sample_cnn(const std::string& name);

// A fresh, empty folder under the system temp dir, unique to this process and `name`.
std::string fresh_dir(const std::string& name);

std::string read_file(const std::string& path);

}  // namespace oqnn::testing
