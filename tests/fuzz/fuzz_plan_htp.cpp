// The HTP backend's plan (a context binary's plan section: the serialized quantized graph,
// src/ir/serialize.h) as deserialize() rebuilds it, with the fast kernels (what runs) and
// the reference ones. Plans small enough are executed with both: a plan that loads must
// run without reading outside its buffers, and the two kernel sets must agree bit for bit
// (the HTP's own rule, tests/unit/htp), whatever the encodings.
#include <cstdio>
#include <memory>

#include "backends/htp/htp_backend.h"
#include "fuzz_util.h"
#include "support/files.h"

namespace {
std::unique_ptr<oqnn::htp::HtpBackend> fast, reference;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  using namespace oqnn::htp;
  oqnn::fuzz::init();
  auto config = parse_htp_config(R"({"hvx_threads": 1})");
  if (!config) __builtin_trap();
  fast = std::make_unique<HtpBackend>(*config, KernelVariant::kFast);
  reference = std::make_unique<HtpBackend>(*config, KernelVariant::kReference);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  auto blob = make_owned_blob(data, size);
  auto plan = fast->deserialize(blob);
  fuzz::check_result(plan, "htp deserialize");
  if (!plan) return 0;
  auto got = fuzz::run_small_plan(**plan);
  if (!got) return 0;
  auto ref_plan = reference->deserialize(blob);
  if (!ref_plan) {
    std::fprintf(stderr, "oqnn fuzz: the fast kernels load, the reference ones do not: %s\n",
                 ref_plan.error().message.c_str());
    std::abort();
  }
  auto want = fuzz::run_small_plan(**ref_plan);
  if (!want || *want != *got) {
    std::fprintf(stderr, "oqnn fuzz: fast and reference HTP kernels disagree\n");
    std::abort();
  }
  return 0;
}
