// The weights archive (X.bin, a ustar/pax archive) as qnn-model-lib-generator checks it and
// a model library indexes its embedded copy. Every member the index returns must lie
// inside the archive: its first and last bytes are read to let ASan check.
#include <span>

#include "fuzz_util.h"
#include "runtime/model_library/model_library.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  std::span<const std::byte> archive(reinterpret_cast<const std::byte*>(data), size);
  auto members = rt::index_ustar(archive, "fuzz.bin");
  fuzz::check_result(members, "index_ustar");
  if (!members) return 0;
  volatile std::byte sink{};
  for (const auto& [name, where] : *members) {
    auto [offset, length] = where;
    if (offset > size || length > size - offset) __builtin_trap();
    if (length > 0) sink = archive[offset] ^ archive[offset + length - 1];
  }
  (void)sink;
  return 0;
}
