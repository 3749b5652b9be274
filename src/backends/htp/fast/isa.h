// The instruction-set level the vectorized HTP loops run at, chosen when a kernel is made:
// the best the CPU has, capped by the environment variable OQNN_HTP_ISA (portable, avx2,
// avx512) so that tests and benchmarks can run every path on one machine. All levels give
// the same bytes (integer arithmetic); only the speed differs.
#pragma once

#include <vector>

namespace oqnn::htp::fast {

enum class SimdLevel { kPortable, kAvx2, kAvx512 };

// The levels this CPU (and this build) can run, lowest first.
std::vector<SimdLevel> supported_levels();
// The best supported level, capped by OQNN_HTP_ISA.
SimdLevel active_level();
const char* level_name(SimdLevel isa);
// The cap OQNN_HTP_ISA puts on every HTP fast path, as a rank: 0 portable, 1 avx2, 2 the
// AVX-512 level ("avx512" here, "avx512vnni" for qgemm: both names mean it); 2 when the
// variable is unset or names nothing known. Both SimdLevel and qgemm's Isa list their levels
// in this rank order.
int isa_env_cap();

}  // namespace oqnn::htp::fast
