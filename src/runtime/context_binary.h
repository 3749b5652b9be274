// The context binary: our container for finalized plans (DESIGN §6), what
// qnn-context-binary-generator writes and qnn-net-run --retrieve_context loads.
//
// Layout (little-endian):
//   "OQNNCTX\0", u32 format version, u32 header size, u64 file size, u32 backend id,
//   u32 section count, backend name, backend version, toolchain version (u32-length
//   strings), then the section table: {u32 kind, u32 backend id, u64 offset, u64 size,
//   name} per section. Sections start on 64-byte boundaries (a plan's weights stay aligned
//   when the file is mapped): one JSON metadata section (graph name, I/O, attributes) and
//   one plan section per partition (today one; a partitioned graph will have several,
//   each finalized by its own backend). The last 8 bytes are the XXH3-64 of all before.
//
// Reading maps the file and validates magic, version, size, checksum and every bound
// before anything is used: a damaged or foreign file is a kBadInput naming the file and
// the problem, never a crash. Plan sections are windows into the mapping (no copy).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/tensor_info.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::rt {

inline constexpr uint32_t kContextFormatVersion = 1;

struct ContextInfo {
  uint32_t backend_id = 0;
  std::string backend_name;
  std::string backend_version;
  std::string toolchain_version;
  std::string graph_name;
  std::vector<TensorInfo> inputs, outputs;
  // Graph attributes and facts about the build (optimization level, model library, ...).
  std::map<std::string, std::string> attributes;
};

// One partition's plan as a backend serialized it.
struct PartitionBytes {
  std::string name;
  uint32_t backend_id = 0;
  std::span<const std::byte> plan;
};

struct Partition {
  std::string name;
  uint32_t backend_id = 0;
  std::shared_ptr<const Blob> plan;  // a window into the mapped file
};

struct LoadedContext {
  ContextInfo info;
  std::vector<Partition> partitions;  // at least one
};

// Writes atomically (temp file, then rename).
Status write_context_binary(const std::string& path, const ContextInfo& info,
                            const std::vector<PartitionBytes>& partitions);
Status write_context_binary(const std::string& path, const ContextInfo& info,
                            std::span<const std::byte> plan);

Expected<LoadedContext> read_context_binary(const std::string& path);
// Validates and splits bytes already in memory; `origin` names them in errors.
Expected<LoadedContext> parse_context_binary(std::shared_ptr<const Blob> file,
                                             const std::string& origin);

}  // namespace oqnn::rt
