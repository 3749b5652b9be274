#include "backends/cpu/fast/micro_kernel.h"

#include <vector>

namespace oqnn::cpu::fast {
namespace {

std::vector<MicroKernel> detect() {
  std::vector<MicroKernel> ks;
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("fma"))
    ks.push_back(
        {"gemm_f32_12x32_avx512", 12, 32, gemm_f32_12x32_avx512, gemm_f32_12x32_avx512_rows});
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    ks.push_back({"gemm_f32_6x16_avx2", 6, 16, gemm_f32_6x16_avx2, gemm_f32_6x16_avx2_rows});
#endif
  ks.push_back({"gemm_f32_4x8_generic", 4, 8, gemm_f32_4x8_generic, gemm_f32_4x8_generic_rows});
  return ks;
}

}  // namespace

std::span<const MicroKernel> micro_kernels() {
  static const std::vector<MicroKernel> kKernels = detect();  // read-only after first use
  return kKernels;
}

}  // namespace oqnn::cpu::fast
