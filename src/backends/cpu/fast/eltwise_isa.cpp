#include "backends/cpu/fast/eltwise.h"

#include <vector>

namespace oqnn::cpu::fast {
namespace {

std::vector<EltwiseIsa> detect() {
  std::vector<EltwiseIsa> isas;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) isas.push_back(kEltwiseAvx512);
  if (__builtin_cpu_supports("avx2")) isas.push_back(kEltwiseAvx2);
#endif
  isas.push_back(kEltwiseGeneric);
  return isas;
}

}  // namespace

std::span<const EltwiseIsa> eltwise_isas() {
  static const std::vector<EltwiseIsa> kIsas = detect();  // read-only after first use
  return kIsas;
}

}  // namespace oqnn::cpu::fast
