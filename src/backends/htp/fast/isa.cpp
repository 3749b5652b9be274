#include "backends/htp/fast/isa.h"

#include <cstdlib>
#include <string_view>

namespace oqnn::htp::fast {

std::vector<Isa> supported_isas() {
  std::vector<Isa> v{Isa::kPortable};
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  if (__builtin_cpu_supports("avx2")) v.push_back(Isa::kAvx2);
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
      __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl"))
    v.push_back(Isa::kAvx512);
#endif
  return v;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::kAvx2:
      return "avx2";
    case Isa::kAvx512:
      return "avx512";
    default:
      return "portable";
  }
}

Isa active_isa() {
  const std::vector<Isa> have = supported_isas();
  Isa best = have.back();
  if (const char* env = std::getenv("OQNN_HTP_ISA")) {
    const std::string_view want(env);
    for (Isa i : have)
      if (want == isa_name(i)) best = i;
  }
  return best;
}

}  // namespace oqnn::htp::fast
