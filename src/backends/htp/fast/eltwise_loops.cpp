// One copy of the element-wise loops per ISA level: the same source compiled under each
// level's target options, so the compiler vectorizes it for 16 (AVX-512), 8 (AVX2) or 4
// (SSE2) int32 lanes. Integer arithmetic: every copy gives the same bytes.
#include "backends/htp/fast/eltwise_loops.h"

#include <cstdint>

#include "backends/htp/fast/qgemm.h"
#include "quant/fixed_point.h"

namespace oqnn::htp::fast {

#define OQNN_LOOPS_NS portable
#include "backends/htp/fast/eltwise_loops.inc"
#undef OQNN_LOOPS_NS

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define OQNN_HTP_X86_LEVELS 1
#pragma GCC push_options
#pragma GCC target("avx2,bmi2,fma")
#define OQNN_LOOPS_NS avx2
#include "backends/htp/fast/eltwise_loops.inc"
#undef OQNN_LOOPS_NS
#pragma GCC pop_options

#pragma GCC push_options
#pragma GCC target("avx512f,avx512bw,avx512dq,avx512vl,avx2,bmi2,fma")
#define OQNN_LOOPS_NS avx512
#include "backends/htp/fast/eltwise_loops.inc"
#undef OQNN_LOOPS_NS
#pragma GCC pop_options
#endif

template <class T>
EltwiseLoops<T> eltwise_loops(SimdLevel isa) {
#ifdef OQNN_HTP_X86_LEVELS
  if (isa == SimdLevel::kAvx512) return avx512::loops<T>();
  if (isa == SimdLevel::kAvx2) return avx2::loops<T>();
#endif
  (void)isa;
  return portable::loops<T>();
}

template <class T, class C, class A>
DwTapLoop<T, C, A> dw_tap_loop(SimdLevel isa) {
#ifdef OQNN_HTP_X86_LEVELS
  if (isa == SimdLevel::kAvx512) return avx512::dw_tap<T, C, A>;
  if (isa == SimdLevel::kAvx2) return avx2::dw_tap<T, C, A>;
#endif
  (void)isa;
  return portable::dw_tap<T, C, A>;
}

SimdLevel gemm_simd_level() {
  const Isa isa = gemm_isa();
  return isa == Isa::kAvx512Vnni ? SimdLevel::kAvx512
         : isa == Isa::kAvx2     ? SimdLevel::kAvx2
                                 : SimdLevel::kPortable;
}

AxpyLoop axpy_loop(SimdLevel isa) {
#ifdef OQNN_HTP_X86_LEVELS
  if (isa == SimdLevel::kAvx512) return avx512::axpy;
  if (isa == SimdLevel::kAvx2) return avx2::axpy;
#endif
  (void)isa;
  return portable::axpy;
}

template EltwiseLoops<uint8_t> eltwise_loops<uint8_t>(SimdLevel);
template EltwiseLoops<uint16_t> eltwise_loops<uint16_t>(SimdLevel);
template DwTapLoop<uint8_t, int16_t, int32_t> dw_tap_loop<uint8_t, int16_t, int32_t>(SimdLevel);
template DwTapLoop<uint8_t, int32_t, int64_t> dw_tap_loop<uint8_t, int32_t, int64_t>(SimdLevel);
template DwTapLoop<uint16_t, int32_t, int64_t> dw_tap_loop<uint16_t, int32_t, int64_t>(SimdLevel);

}  // namespace oqnn::htp::fast
