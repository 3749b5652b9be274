// The GPU backend's plan (a context binary's plan section): parse_plan and the checks
// deserialize() makes before any OpenCL call (the graph against the op table and the GPU's
// capability rules). Building kernels needs a device and is left to tests/unit/gpu. The
// plan's XXH64 checksum is patched into each input so that mutations reach the fields
// behind it.
#include <xxhash.h>

#include <cstring>
#include <vector>

#include "backends/gpu/capabilities.h"
#include "backends/gpu/plan_format.h"
#include "fuzz_util.h"
#include "ir/verifier.h"
#include "support/files.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data),
                               reinterpret_cast<const std::byte*>(data) + size);
  if (size >= 8) {
    uint64_t sum = XXH64(bytes.data(), size - 8, 0);
    std::memcpy(bytes.data() + size - 8, &sum, 8);
  }
  auto payload = gpu::parse_plan(make_owned_blob(std::move(bytes)));
  fuzz::check_result(payload, "parse_plan");
  if (!payload) return 0;
  Status s = ir::verify(payload->graph);
  fuzz::check_error(s, "verify");
  if (s) fuzz::check_error(gpu::check_gpu_graph(payload->graph), "check_gpu_graph");
  return 0;
}
