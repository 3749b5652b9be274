#include "backends/htp/fast/isa.h"

#include <cstdlib>
#include <string_view>

namespace oqnn::htp::fast {

std::vector<SimdLevel> supported_levels() {
  std::vector<SimdLevel> v{SimdLevel::kPortable};
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  if (__builtin_cpu_supports("avx2")) v.push_back(SimdLevel::kAvx2);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    v.push_back(SimdLevel::kAvx512);
#endif
  return v;
}

const char* level_name(SimdLevel isa) {
  switch (isa) {
    case SimdLevel::kAvx2:
      return "avx2";
    case SimdLevel::kAvx512:
      return "avx512";
    default:
      return "portable";
  }
}

SimdLevel active_level() {
  const std::vector<SimdLevel> have = supported_levels();
  SimdLevel best = have.back();
  if (const char* env = std::getenv("OQNN_HTP_ISA")) {
    // qgemm's name for the top level (fast/qgemm.h) means the same cap here.
    const std::string_view want = std::string_view(env) == "avx512vnni" ? "avx512" : env;
    for (SimdLevel i : have)
      if (want == level_name(i)) best = i;
  }
  return best;
}

}  // namespace oqnn::htp::fast
