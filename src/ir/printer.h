// A readable text form of a graph, one line per tensor and node (--debug dumps it after
// each pass). Deterministic: the same graph prints the same text.
#pragma once
#include <string>

#include "ir/graph.h"

namespace oqnn::ir {
std::string print_graph(const Graph& g);
}
