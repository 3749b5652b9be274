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

}  // namespace oqnn::htp::fast
