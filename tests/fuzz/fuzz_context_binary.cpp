// The context-binary container (--retrieve_context). The file carries its size and an
// XXH3 checksum, which random mutations would almost never keep right: both are patched
// into each input first, so that the fuzzer reaches the header, the section table and the
// metadata JSON behind them. (A wrong size or checksum is a simple comparison, covered by
// tests/unit/runtime.)
#include <xxhash.h>

#include <cstring>
#include <vector>

#include "fuzz_util.h"
#include "runtime/context_binary.h"
#include "support/files.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  std::vector<std::byte> bytes(reinterpret_cast<const std::byte*>(data),
                               reinterpret_cast<const std::byte*>(data) + size);
  constexpr size_t kSizeField = 16, kChecksum = 8;
  if (size >= kSizeField + 8 + kChecksum) {
    uint64_t n = size;
    std::memcpy(bytes.data() + kSizeField, &n, 8);
    uint64_t sum = XXH3_64bits(bytes.data(), size - kChecksum);
    std::memcpy(bytes.data() + size - kChecksum, &sum, 8);
  }
  auto ctx = rt::parse_context_binary(make_owned_blob(std::move(bytes)), "fuzz_context.bin");
  fuzz::check_result(ctx, "parse_context_binary");
  if (!ctx) return 0;
  volatile std::byte sink{};
  for (const rt::Partition& p : ctx->partitions)
    if (p.plan->size() > 0) sink = p.plan->data()[0] ^ p.plan->data()[p.plan->size() - 1];
  (void)sink;
  return 0;
}
