// The vectorized inner loops of the fast element-wise kernels (eltwise_fast.cpp), one copy
// per ISA level (eltwise_loops.cpp). Every loop is quant::requantize_int32 applied lane by
// lane, so each level gives the bytes of the reference kernel; the makers check the bounds
// that keep every intermediate inside int32 before they pick these loops.
#pragma once

#include <cstdint>

#include "backends/htp/fast/isa.h"

namespace oqnn::htp::fast {

// One input of Add / Subtract rescaled as TFLite does: x = requantize_int32((q - zero) *
// 2^left_shift, multiplier, shift) with no zero point and no clamp but int32's.
struct AddSide {
  int32_t zero = 0, multiplier = 0, shift = 0;
};

struct OutQuant {
  int32_t multiplier = 0, shift = 0, zero = 0, lo = 0, hi = 255;
};

struct AddQuant {
  AddSide a, b;
  int32_t scale = 1 << 20;  // 2^left_shift
  OutQuant out;
};

// Multiply: y = requantize_int32((a - za) * (b - zb), out).
struct MulQuant {
  int32_t za = 0, zb = 0;
  OutQuant out;
};

// A run of n outputs. `vv`: both inputs advance; `vs`: `a` advances and the other operand
// is the constant already rescaled (Add: its x; Multiply: its q - zero).
template <class T>
struct EltwiseLoops {
  void (*add_vv)(const AddQuant&, const T*, const T*, T*, int64_t);
  void (*add_vs)(const AddQuant&, const T*, int32_t, T*, int64_t);
  void (*mul_vv)(const MulQuant&, const T*, const T*, T*, int64_t);
  void (*mul_vs)(const MulQuant&, const T*, int32_t, T*, int64_t);
  // add_vv with each input's rescaled value read from a table over its codes (ta[code] is
  // what add_vv computes for that code): one requantization per output instead of three.
  void (*add_vv_lut)(const OutQuant&, const int32_t*, const int32_t*, const T*, const T*, T*,
                     int64_t);
};

template <class T>
EltwiseLoops<T> eltwise_loops(SimdLevel isa);

// The level matching the GEMM engine's (gemm_isa, which tests force), for the loops of the
// GEMM-like kernels (depthwise convolution, MatMul).
SimdLevel gemm_simd_level();

// DepthWiseConv2d's (depthwise_conv2d_fast.cpp) update of one tap over a run of n channels:
// acc[i] += (src[i] - zx) * w[i], in the accumulator type A (exact: the maker picks A wide
// enough for every sum).
template <class T, class C, class A>
using DwTapLoop = void (*)(A*, const T*, const C*, A, int64_t);

template <class T, class C, class A>
DwTapLoop<T, C, A> dw_tap_loop(SimdLevel isa);

// MatMul's (matmul_fast.cpp) row update: acc[j] += a * b[j] over n columns, int32 (exact:
// the maker checks that no sum can leave int32).
using AxpyLoop = void (*)(int32_t*, int32_t, const int32_t*, int64_t);
AxpyLoop axpy_loop(SimdLevel isa);

}  // namespace oqnn::htp::fast
