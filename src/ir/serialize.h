// Binary form of a Graph: how the runtime hands a graph to a backend across the C ABI,
// and how backends store finalized graphs inside context binaries. Static data sits in a
// 64-byte-aligned data section; deserializing maps it (views into the source blob),
// never copies it. Deserialization validates everything and fails with an error on
// malformed bytes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::ir {

std::vector<std::byte> serialize_graph(const Graph& g);
// `origin` names the file the bytes came from, for error messages. `offset` is where the
// graph starts inside `blob` (so data views can point into it).
Expected<Graph> deserialize_graph(std::shared_ptr<const Blob> blob, size_t offset, size_t size,
                                  const std::string& origin);

}  // namespace oqnn::ir
