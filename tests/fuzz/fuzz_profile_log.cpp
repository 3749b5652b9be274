// Profiling logs as qnn-profile-viewer reads them (--input_log), and the three reports it
// makes of one: the text summary, the CSV and the Chrome trace.
#include <string>

#include "fuzz_util.h"
#include "runtime/profile_report.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  oqnn::fuzz::init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace oqnn;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto log = rt::parse_profile_log(text, "fuzz_profiling.log");
  fuzz::check_result(log, "parse_profile_log");
  if (!log) return 0;
  std::vector<rt::NamedLog> logs{{"fuzz_profiling.log", std::move(*log)}};
  (void)rt::profile_summary(logs[0]);
  (void)rt::profile_csv(logs);
  (void)rt::chrome_trace(logs);
  return 0;
}
