// lut_q_fast: the reference's table (ref::lut_table) stored in the output's own dtype and
// read straight from typed pointers, the elements split over threads. uint8 -> uint8 at
// the AVX-512 level (with VBMI) looks up 64 codes at a time: two two-table byte permutes
// cover entries 0-127 and 128-255, the top bit of the code picks one. Same table, same
// bytes at every level.
#include <algorithm>
#include <type_traits>
#include <vector>

#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/isa.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/ref/qtensor.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define OQNN_HTP_VBMI 1
#endif

namespace oqnn::htp::fast {
namespace {

#ifdef OQNN_HTP_VBMI
__attribute__((target("avx512f,avx512bw,avx512vbmi"))) void lut_u8_vbmi(const uint8_t* table,
                                                                        const uint8_t* x,
                                                                        uint8_t* y, int64_t n) {
  const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
  const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
  for (int64_t i = 0; i < n; i += 64) {
    const __mmask64 live = n - i >= 64 ? ~__mmask64{0} : (__mmask64{1} << (n - i)) - 1;
    const __m512i q = _mm512_maskz_loadu_epi8(live, x + i);
    const __m512i lo = _mm512_permutex2var_epi8(t0, q, t1);
    const __m512i hi = _mm512_permutex2var_epi8(t2, q, t3);
    _mm512_mask_storeu_epi8(y + i, live, _mm512_mask_blend_epi8(_mm512_movepi8_mask(q), lo, hi));
  }
}

bool vbmi_usable(SimdLevel isa) {
  return isa == SimdLevel::kAvx512 && __builtin_cpu_supports("avx512vbmi");
}
#endif

template <class TI, class TO>
class LutFast final : public rt::HostKernel {
 public:
  LutFast(const std::vector<int32_t>& table, SimdLevel isa) : table_(table.begin(), table.end()) {
#ifdef OQNN_HTP_VBMI
    vbmi_ = std::is_same_v<TI, uint8_t> && std::is_same_v<TO, uint8_t> && vbmi_usable(isa);
#else
    (void)isa;
#endif
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const TI* x = in[0].as<TI>();
    TO* y = reinterpret_cast<TO*>(out[0].data);
    const int64_t total = in[0].elements();
    constexpr int64_t kBlock = 16384;
    parallel_rows(ctx, (total + kBlock - 1) / kBlock, kBlock * 2, [&](int64_t b0, int64_t b1) {
      const int64_t e0 = b0 * kBlock, e1 = std::min(total, b1 * kBlock);
      lookup(x + e0, y + e0, e1 - e0);
    });
    return Status::ok();
  }

 private:
  void lookup(const TI* __restrict x, TO* __restrict y, int64_t n) const {
#ifdef OQNN_HTP_VBMI
    if constexpr (std::is_same_v<TI, uint8_t> && std::is_same_v<TO, uint8_t>) {
      if (vbmi_) return lut_u8_vbmi(table_.data(), x, y, n);
    }
#endif
    const TO* t = table_.data();
    for (int64_t i = 0; i < n; ++i) y[i] = t[x[i]];
  }

  std::vector<TO> table_;
  bool vbmi_ = false;
};

template <class TI>
KernelPtr lut_kernel(const std::vector<int32_t>& table, ir::DataType out, SimdLevel isa) {
  if (out == ir::DataType::kUInt8) return KernelPtr(new LutFast<TI, uint8_t>(table, isa));
  return KernelPtr(new LutFast<TI, uint16_t>(table, isa));
}

}  // namespace

Expected<KernelPtr> make_lut(const ir::Graph& g, const ir::Node& n) {
  const ir::DataType in = g.tensor(n.inputs[0]).dtype, out = g.tensor(n.outputs[0]).dtype;
  // Quantize / Dequantize codes (int8, int16, signed-indexed tables): the reference kernel.
  auto activation = [](ir::DataType t) {
    return t == ir::DataType::kUInt8 || t == ir::DataType::kUInt16;
  };
  if (!activation(in) || !activation(out)) return ref::make_lut(g, n);
  OQNN_ASSIGN_OR_RETURN(std::vector<int32_t> table, ref::lut_table(g, n));
  if (in == ir::DataType::kUInt8) return lut_kernel<uint8_t>(table, out, active_level());
  return lut_kernel<uint16_t>(table, out, active_level());
}

}  // namespace oqnn::htp::fast
