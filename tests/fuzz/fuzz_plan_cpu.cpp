// The CPU backend's plan (a context binary's plan section: the serialized finalized graph,
// src/ir/serialize.h) as deserialize() rebuilds it; plans small enough are executed once,
// since a plan that loads must also run without reading outside its buffers.
#include <memory>

#include "backends/cpu/backend/cpu_backend.h"
#include "fuzz_util.h"
#include "support/files.h"

namespace {
std::unique_ptr<oqnn::rt::BackendImpl>& backend() {
  static std::unique_ptr<oqnn::rt::BackendImpl> b;
  return b;
}
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  auto b = oqnn::cpu::create_cpu_backend(R"({"num_threads": 1})");
  if (!b) __builtin_trap();
  backend() = std::move(*b);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  auto plan = backend()->deserialize(make_owned_blob(data, size));
  fuzz::check_result(plan, "cpu deserialize");
  if (plan) fuzz::run_small_plan(**plan);
  return 0;
}
