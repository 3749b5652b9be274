// Vectorized element-wise loops (unary activations, binary arithmetic, row reductions)
// behind a table of function pointers, one table per ISA. Every table is compiled from
// eltwise_impl.inc with 16-float vectors (one zmm, two ymm or four xmm registers) and
// without contraction, so all tables give bit-identical results; eltwise_isas() lists
// those this CPU runs, best first, and tests run each. Every element goes through the
// same vector code whatever its position (tails are padded into a full vector), so the
// results do not depend on how a kernel splits its work among threads.
#pragma once

#include <cstdint>
#include <span>

namespace oqnn::cpu::fast {

enum class UnaryOp { kRelu, kClamp, kSigmoid, kTanh, kExp, kHardSwish, kHardSigmoid };
struct UnaryParams {
  float a = 0.0f, b = 0.0f;  // kClamp: [a, b]; kHardSigmoid: min(1, max(0, a * x + b))
};

enum class BinaryOp { kAdd, kSub, kMul, kDiv, kMax, kMin, kPrelu };

// y[i] = op(a[i * sa], b[i * sb]) for i < n; sa and sb are 0 (a broadcast scalar) or 1.
template <class T>
using BinaryFn = void (*)(BinaryOp op, const T* a, int64_t sa, const T* b, int64_t sb, T* y,
                          int64_t n);

struct EltwiseIsa {
  const char* name;  // e.g. "eltwise_f32_avx512"
  void (*unary)(UnaryOp op, const UnaryParams& p, const float* x, float* y, int64_t n);
  BinaryFn<float> binary_f32;
  BinaryFn<int32_t> binary_i32;  // kAdd, kSub, kMul (wrapping), kMax, kMin
  // Softmax of one contiguous row of n: max in float, e^(beta x - max) in float, their sum
  // in double (lanes in a fixed order).
  void (*softmax_row)(const float* x, float* y, int64_t n, float beta);
  // LayerNorm (center) or RmsNorm of one contiguous row of n: statistics in double, then
  // y = (x - mean) * inv_std * gamma + beta in double; gamma and beta (length n) may be null.
  void (*norm_row)(const float* x, const float* gamma, const float* beta, float* y, int64_t n,
                   double eps, bool center);
  // Pooling over channel runs of c: acc[i] = std::max(acc[i], x[i]) (NaNs in x never win),
  // and sum[i] += double(x[i]).
  void (*max_into)(float* acc, const float* x, int64_t c);
  void (*sum_into)(double* sum, const float* x, int64_t c);
};

// Available on this CPU, best first; never empty (the portable table is always there).
std::span<const EltwiseIsa> eltwise_isas();
inline const EltwiseIsa& best_eltwise_isa() {
  return eltwise_isas().front();
}

// The tables (defined in eltwise_<isa>.cpp).
extern const EltwiseIsa kEltwiseGeneric;
#if defined(__x86_64__)
extern const EltwiseIsa kEltwiseAvx2;
extern const EltwiseIsa kEltwiseAvx512;
#endif

}  // namespace oqnn::cpu::fast
