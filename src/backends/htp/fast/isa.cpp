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

int isa_env_cap() {
  const char* env = std::getenv("OQNN_HTP_ISA");
  if (!env) return 2;
  const std::string_view want(env);
  if (want == "portable") return 0;
  if (want == "avx2") return 1;
  return 2;
}

SimdLevel active_level() {
  const std::vector<SimdLevel> have = supported_levels();  // lowest first
  SimdLevel best = have.front();
  for (SimdLevel i : have)
    if (static_cast<int>(i) <= isa_env_cap()) best = i;
  return best;
}

}  // namespace oqnn::htp::fast
