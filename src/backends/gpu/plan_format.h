// The GPU backend's serialized plan (the payload of a context binary):
//   "OQNNGPU\0", u32 format version (2), u32 flags (1 fp16, 2 transform optimization),
//   str performance_mode, str device key, then per program (two with fp16: the storage one
//   and the float32 one that nodes touching graph I/O run; one with fp32) u64 kernel-source
//   hash and u64 size + program binary, then u64 graph offset, u64 graph size, then at that
//   64-byte-aligned offset the graph (ir::serialize_graph) with float static tensors stored as
//   float16 in fp16 precision (except Conv2d/DepthWiseConv2d/FullyConnected weights and biases,
//   which stay float32, see is_weight_input; integer and bool statics keep their type), and
//   last a u64 XXH64 checksum of everything before it.
// The program binary is reused only on a device with the same key and the same kernel
// sources; anything else rebuilds from source. Every field is validated on load.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "backends/gpu/gpu_config.h"
#include "ir/graph.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::gpu {

class GpuPlan;

struct StoredProgram {
  uint64_t source_hash = 0;
  std::vector<std::byte> binary;
};

struct PlanPayload {
  GpuConfig config;
  std::string device_key;
  StoredProgram programs[2];  // storage precision, then float32 (fp16 plans only)
  uint64_t graph_offset = 0;  // where the graph section starts in the plan bytes
  ir::Graph graph;
};

Expected<std::vector<std::byte>> serialize_plan(const GpuPlan& plan);
// Static data of the returned graph points into `blob`.
Expected<PlanPayload> parse_plan(std::shared_ptr<const Blob> blob);

}  // namespace oqnn::gpu
