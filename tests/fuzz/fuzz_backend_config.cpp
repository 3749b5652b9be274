// The backend config file (--config_file): the runtime's split into per-backend sections
// (both the seed's and QNN's backend_extensions forms), then each backend's own parser on
// its section and on the raw text, and --perf_profile applied to every section.
#include <string>

#include "backends/cpu/backend/cpu_backend.h"
#include "backends/gpu/gpu_config.h"
#include "backends/htp/htp_config.h"
#include "fuzz_util.h"
#include "runtime/config.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

namespace {

void parse_sections(const std::string& cpu, const std::string& gpu, const std::string& htp) {
  using namespace oqnn;
  fuzz::check_result(cpu::parse_cpu_config(cpu), "parse_cpu_config");
  fuzz::check_result(gpu::parse_gpu_config(gpu), "parse_gpu_config");
  fuzz::check_result(htp::parse_htp_config(htp), "parse_htp_config");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  std::string text(reinterpret_cast<const char*>(data), size);
  // An extension file path is the user's choice; reading a device (/dev/zero) would only
  // measure the fuzzer's patience.
  if (text.find("/dev") != std::string::npos || text.find("/proc") != std::string::npos) return 0;
  parse_sections(text, text, text);
  auto cfg = rt::parse_backend_config(text, "fuzz_config.json", fuzz::temp_dir());
  fuzz::check_result(cfg, "parse_backend_config");
  if (!cfg) return 0;
  parse_sections(cfg->cpu, cfg->gpu, cfg->htp);
  for (const char* backend : {"cpu", "gpu", "htp"}) {
    auto with_mode = rt::with_performance_mode(cfg->section(backend), "burst");
    fuzz::check_result(with_mode, "with_performance_mode");
  }
  return 0;
}
