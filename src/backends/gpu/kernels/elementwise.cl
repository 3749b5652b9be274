// Element-wise ops (the table of eltwise_ops.h). One work-item per output element.
//
// Kernels come in per-dtype variants named by a suffix: f (float, held as store_t), i32, i16,
// u16, i8, u8 and b (bool, one byte 0 or 1). Each suffix t names its buffer type T_t, a
// load LD_t giving the compute value (float for f, long for the integer types and bool, so
// integer results wrap to the type's width exactly as the CPU reference's int64 math does),
// a store ST_t, and its compute kind K_t (F or I), which picks the op functions binary_F /
// binary_I etc. The op codes of those functions are the table's.
#define OQNN_CAT(a, b) a##b
#define OQNN_XCAT(a, b) OQNN_CAT(a, b)
#define OQNN_CAT4(a, b, c, d) a##b##c##d
#define OQNN_XCAT4(a, b, c, d) OQNN_CAT4(a, b, c, d)

#define T_f store_t
#define LD_f(p, i) LD(p, i)
#define ST_f(p, i, v) ST(p, i, (float)(v))
#define K_f F
#define OQNN_INT_TYPE(t, T)                       \
  typedef T OQNN_CAT(T_, t);                      \
  inline long OQNN_CAT(ld_, t)(__global const T* p, int i) { return (long)p[i]; }
OQNN_INT_TYPE(i32, int)
OQNN_INT_TYPE(i16, short)
OQNN_INT_TYPE(u16, ushort)
OQNN_INT_TYPE(i8, char)
OQNN_INT_TYPE(u8, uchar)
OQNN_INT_TYPE(b, uchar)
#define LD_i32(p, i) ld_i32(p, i)
#define LD_i16(p, i) ld_i16(p, i)
#define LD_u16(p, i) ld_u16(p, i)
#define LD_i8(p, i) ld_i8(p, i)
#define LD_u8(p, i) ld_u8(p, i)
#define LD_b(p, i) ld_b(p, i)
#define ST_i32(p, i, v) ((p)[i] = (int)(v))
#define ST_i16(p, i, v) ((p)[i] = (short)(v))
#define ST_u16(p, i, v) ((p)[i] = (ushort)(v))
#define ST_i8(p, i, v) ((p)[i] = (char)(v))
#define ST_u8(p, i, v) ((p)[i] = (uchar)(v))
#define ST_b(p, i, v) ((p)[i] = (uchar)((v) != 0))
#define K_i32 I
#define K_i16 I
#define K_u16 I
#define K_i8 I
#define K_u8 I
#define K_b I

// The offset of output element i in an operand with `strides` over the output `dims`
// (0 where the operand is broadcast); the host collapses walks to at most 8 dimensions.
inline int bcast_offset(int i, int rank, int8 dims_v, int8 strides_v) {
  UNPACK8(dims_v, dims);
  UNPACK8(strides_v, s);
  int rem = i, off = 0;
  for (int d = rank - 1; d >= 0; --d) {
    off += (rem % dims[d]) * s[d];
    rem /= dims[d];
  }
  return off;
}

// ---- binary ops, output the inputs' type. 0 add, 1 subtract, 2 multiply, 3 divide, 4 prelu
// (a, slope b), 5 max, 6 min (NaN propagates), 7 power, 8 fmod (sign of a), 9 mod (sign of
// b), 10 and, 11 or, 12 xor, 13 shift left, 14 shift right (10-14 integers only).
inline float binary_F(int op, float x, float y) {
  switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: return x / y;
    case 4: return x >= 0.0f ? x : x * y;
    case 5: return isnan(x) || x > y ? x : y;
    case 6: return isnan(x) || x < y ? x : y;
    case 7: return pow(x, y);
    case 8: return fmod(x, y);
    case 9: {
      const float r = fmod(x, y);
      return r != 0.0f && ((r < 0.0f) != (y < 0.0f)) ? r + y : r;
    }
    default: return 0.0f;
  }
}

// Non-negative powers by squaring, wrapping; a negative exponent truncates 1/x^-e.
inline long int_pow(long x, long e) {
  if (e < 0) return x == 1 ? 1 : x == -1 ? ((e & 1) ? -1 : 1) : 0;
  ulong r = 1, b = (ulong)x;
  for (; e > 0; e >>= 1, b *= b)
    if (e & 1) r *= b;
  return (long)r;
}

inline long binary_I(int op, long x, long y) {
  switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return (long)((ulong)x * (ulong)y);
    case 3: return y == 0 ? 0 : x / y;
    case 5: return x > y ? x : y;
    case 6: return x < y ? x : y;
    case 7: return int_pow(x, y);
    case 8: return y == 0 ? 0 : x % y;
    case 9: {
      if (y == 0) return 0;
      const long r = x % y;
      return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
    }
    case 10: return x & y;
    case 11: return x | y;
    case 12: return x ^ y;
    case 13: return y < 0 || y >= 64 ? 0 : (long)((ulong)x << y);
    case 14: return y < 0 || y >= 64 ? 0 : x >> y;
    default: return 0;
  }
}

// ---- comparisons and logic, output bool. 0 ==, 1 >, 2 >=, 3 <, 4 <=, 5 and, 6 or, 7 xor.
#define OQNN_COMPARE_FN(K, V)                                  \
  inline int OQNN_CAT(compare_, K)(int op, V x, V y) {         \
    switch (op) {                                              \
      case 0: return x == y;                                   \
      case 1: return x > y;                                    \
      case 2: return x >= y;                                   \
      case 3: return x < y;                                    \
      case 4: return x <= y;                                   \
      case 5: return x != 0 && y != 0;                         \
      case 6: return x != 0 || y != 0;                         \
      default: return (x != 0) != (y != 0);                    \
    }                                                          \
  }
OQNN_COMPARE_FN(F, float)
OQNN_COMPARE_FN(I, long)

// Broadcast binary kernels: `fn` of inputs of suffix t, output of suffix tout.
#define OQNN_BINARY_KERNEL(name, fn, t, tout)                                                \
  __kernel void name(__global const OQNN_CAT(T_, t) * a, __global const OQNN_CAT(T_, t) * b, \
                     __global OQNN_CAT(T_, tout) * out, int op, int rank, int8 dims,         \
                     int8 a_strides, int8 b_strides, int total) {                            \
    const int i = get_global_id(0);                                                          \
    if (i >= total) return;                                                                  \
    OQNN_CAT(ST_, tout)                                                                      \
    (out, i,                                                                                 \
     OQNN_XCAT(fn, OQNN_CAT(K_, t))(op, OQNN_CAT(LD_, t)(a, bcast_offset(i, rank, dims, a_strides)), \
                                    OQNN_CAT(LD_, t)(b, bcast_offset(i, rank, dims, b_strides)))); \
  }
#define OQNN_BINARY_VARIANTS(t)                                         \
  OQNN_BINARY_KERNEL(eltwise_binary_##t, binary_, t, t)                 \
  OQNN_BINARY_KERNEL(eltwise_compare_##t, compare_, t, b)
OQNN_BINARY_VARIANTS(f)
OQNN_BINARY_VARIANTS(i32)
OQNN_BINARY_VARIANTS(i16)
OQNN_BINARY_VARIANTS(u16)
OQNN_BINARY_VARIANTS(i8)
OQNN_BINARY_VARIANTS(u8)
OQNN_BINARY_KERNEL(eltwise_compare_b, compare_, b, b)

// ---- unary ops. 0 relu, 1 clip to [p0, p1], 2 sigmoid, 3 hard swish, 4 hard sigmoid
// max(0, min(1, p0 * x + p1)), 5 abs, 6 neg, 7 sign, 8 floor, 9 ceil, 10 round half to
// even, 11 exp, 12 log, 13 sqrt, 14 erf, 15-25 sin cos tan asin acos atan sinh cosh asinh
// acosh atanh, 26 tanh, 27 softplus, 28 softsign, 29 mish, 30 elu (alpha p0), 31 celu
// (alpha p0), 32 selu (alpha p0, gamma p1), 33 thresholded relu (alpha p0), 34 gelu,
// 35 gelu (tanh approximation), 36 bitwise not, 37 logical not (36, 37 integers and bool),
// 38 isnan, 39 isinf (p0: detect negative, p1: detect positive) (38, 39 give 0 or 1).
inline float softplus_f(float x) {
  return x > 0.0f ? x + log1p(exp(-x)) : log1p(exp(x));  // never overflows
}

inline float unary_F(int op, float x, float p0, float p1) {
  switch (op) {
    case 0: return fmax(x, 0.0f);
    case 1: return fmin(fmax(x, p0), p1);
    case 2: return 1.0f / (1.0f + exp(-x));
    case 3: return x * fmax(0.0f, fmin(1.0f, x / 6.0f + 0.5f));
    case 4: return fmax(0.0f, fmin(1.0f, p0 * x + p1));
    case 5: return fabs(x);
    case 6: return -x;
    case 7: return x > 0.0f ? 1.0f : x < 0.0f ? -1.0f : x;  // NaN stays NaN
    case 8: return floor(x);
    case 9: return ceil(x);
    case 10: return rint(x);
    case 11: return exp(x);
    case 12: return log(x);
    case 13: return sqrt(x);
    case 14: return erf(x);
    case 15: return sin(x);
    case 16: return cos(x);
    case 17: return tan(x);
    case 18: return asin(x);
    case 19: return acos(x);
    case 20: return atan(x);
    case 21: return sinh(x);
    case 22: return cosh(x);
    case 23: return asinh(x);
    case 24: return acosh(x);
    case 25: return atanh(x);
    case 26: return tanh(x);
    case 27: return softplus_f(x);
    case 28: return x / (1.0f + fabs(x));
    case 29: return x * tanh(softplus_f(x));
    case 30: return x < 0.0f ? p0 * expm1(x) : x;
    case 31: return fmax(0.0f, x) + fmin(0.0f, p0 * expm1(x / p0));
    case 32: return p1 * (x <= 0.0f ? p0 * expm1(x) : x);
    case 33: return x > p0 ? x : 0.0f;
    case 34: return 0.5f * x * (1.0f + erf(x * M_SQRT1_2_F));
    case 35: return 0.5f * x * (1.0f + tanh(0.7978845608f * (x + 0.044715f * x * x * x)));
    case 38: return isnan(x) ? 1.0f : 0.0f;
    case 39: return isinf(x) && (x > 0.0f ? p1 != 0.0f : p0 != 0.0f) ? 1.0f : 0.0f;
    default: return x;
  }
}

inline long unary_I(int op, long x, float p0, float p1) {
  switch (op) {
    case 5: return x < 0 ? -x : x;
    case 6: return -x;
    case 7: return x > 0 ? 1 : x < 0 ? -1 : 0;
    case 36: return ~x;
    case 37: return x == 0;
    default: return x;
  }
}

#define OQNN_UNARY_KERNEL(name, t, tout)                                                      \
  __kernel void name(__global const OQNN_CAT(T_, t) * in, __global OQNN_CAT(T_, tout) * out, \
                     int op, float p0, float p1, int total) {                                \
    const int i = get_global_id(0);                                                          \
    if (i >= total) return;                                                                  \
    OQNN_CAT(ST_, tout)                                                                      \
    (out, i, OQNN_XCAT(unary_, OQNN_CAT(K_, t))(op, OQNN_CAT(LD_, t)(in, i), p0, p1));       \
  }
OQNN_UNARY_KERNEL(eltwise_unary_f, f, f)
OQNN_UNARY_KERNEL(eltwise_unary_f_b, f, b)
OQNN_UNARY_KERNEL(eltwise_unary_i32, i32, i32)
OQNN_UNARY_KERNEL(eltwise_unary_i16, i16, i16)
OQNN_UNARY_KERNEL(eltwise_unary_u16, u16, u16)
OQNN_UNARY_KERNEL(eltwise_unary_i8, i8, i8)
OQNN_UNARY_KERNEL(eltwise_unary_u8, u8, u8)
OQNN_UNARY_KERNEL(eltwise_unary_b, b, b)

// ---- select (ONNX Where): out = cond ? a : b with three-way broadcasting, bit copies by
// element size (the storage type's bits for float tensors).
#define OQNN_SELECT_KERNEL(name, T)                                                          \
  __kernel void name(__global const uchar* cond, __global const T* a, __global const T* b,  \
                     __global T* out, int rank, int8 dims, int8 c_strides, int8 a_strides,  \
                     int8 b_strides, int total) {                                           \
    const int i = get_global_id(0);                                                         \
    if (i >= total) return;                                                                 \
    out[i] = cond[bcast_offset(i, rank, dims, c_strides)]                                   \
                 ? a[bcast_offset(i, rank, dims, a_strides)]                                \
                 : b[bcast_offset(i, rank, dims, b_strides)];                               \
  }
OQNN_SELECT_KERNEL(eltwise_select, store_bits_t)
OQNN_SELECT_KERNEL(eltwise_select_1, uchar)
OQNN_SELECT_KERNEL(eltwise_select_2, ushort)
OQNN_SELECT_KERNEL(eltwise_select_4, uint)

// ---- cast_<from>_<to> for every pair of suffixes, as the CPU reference casts: float to an
// integer type truncates toward zero, saturating at the type's range, NaN to 0; integers
// wrap to the target width (ST_); anything to bool is value != 0 (ST_b).
inline long float_to_int(float x, long lo, long hi) {
  // (float)hi may round up (2^31 for int32): x below it converts exactly.
  return isnan(x) ? 0 : x <= (float)lo ? lo : x >= (float)hi ? hi : (long)x;
}
#define CONV_F_f(x) (x)
#define CONV_F_b(x) (x)
#define CONV_F_i32(x) float_to_int(x, -2147483648L, 2147483647L)
#define CONV_F_i16(x) float_to_int(x, -32768L, 32767L)
#define CONV_F_u16(x) float_to_int(x, 0L, 65535L)
#define CONV_F_i8(x) float_to_int(x, -128L, 127L)
#define CONV_F_u8(x) float_to_int(x, 0L, 255L)
#define CONV_I(x) (x)

#define OQNN_CAST_KERNEL(from, to, conv)                                                     \
  __kernel void cast_##from##_##to(__global const OQNN_CAT(T_, from) * in,                  \
                                   __global OQNN_CAT(T_, to) * out, int total) {            \
    const int i = get_global_id(0);                                                         \
    if (i >= total) return;                                                                 \
    const OQNN_XCAT(V_, OQNN_CAT(K_, from)) x = OQNN_CAT(LD_, from)(in, i);                  \
    OQNN_CAT(ST_, to)(out, i, conv(x));                                                     \
  }
#define V_F float
#define V_I long
#define OQNN_CAST_FROM_F(to) OQNN_CAST_KERNEL(f, to, CONV_F_##to)
#define OQNN_CAST_FROM_I(from)         \
  OQNN_CAST_KERNEL(from, f, CONV_I)    \
  OQNN_CAST_KERNEL(from, i32, CONV_I)  \
  OQNN_CAST_KERNEL(from, i16, CONV_I)  \
  OQNN_CAST_KERNEL(from, u16, CONV_I)  \
  OQNN_CAST_KERNEL(from, i8, CONV_I)   \
  OQNN_CAST_KERNEL(from, u8, CONV_I)   \
  OQNN_CAST_KERNEL(from, b, CONV_I)
OQNN_CAST_FROM_F(f)
OQNN_CAST_FROM_F(i32)
OQNN_CAST_FROM_F(i16)
OQNN_CAST_FROM_F(u16)
OQNN_CAST_FROM_F(i8)
OQNN_CAST_FROM_F(u8)
OQNN_CAST_FROM_F(b)
OQNN_CAST_FROM_I(i32)
OQNN_CAST_FROM_I(i16)
OQNN_CAST_FROM_I(u16)
OQNN_CAST_FROM_I(i8)
OQNN_CAST_FROM_I(u8)
OQNN_CAST_FROM_I(b)

// Batchnorm, channel-last: out = in * scale[c] + bias[c], c the innermost index.
__kernel void batchnorm_channel_last(__global const store_t* in, __global const store_t* scale,
                                     __global const store_t* bias, __global store_t* out,
                                     int channels, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int c = i % channels;
  ST(out, i, LD(in, i) * LD(scale, c) + LD(bias, c));
}

// ---- dequantize_<t> (Dequantize, ir/affine_quant.h): float(q - zero_point) * scale in fp32,
// with the parameters of element i: per tensor (geo.x = dim 0), per axis (geo.z = block 0:
// index (i / inner) % dim) or blocked (blocks of geo.z along the axis, geo.w blocks).
#define OQNN_DEQUANTIZE_KERNEL(t)                                                               \
  __kernel void dequantize_##t(__global const OQNN_CAT(T_, t) * in, __global store_t * out,     \
                               __global const float* scale, __global const float* zero,         \
                               int4 geo, int total) {                                           \
    const int i = get_global_id(0);                                                             \
    if (i >= total) return;                                                                     \
    const int dim = geo.x, inner = geo.y, block = geo.z, blocks = geo.w;                        \
    int c = 0;                                                                                  \
    if (dim > 0) {                                                                              \
      const int a = (i / inner) % dim;                                                          \
      c = block == 0 ? a : ((i / (dim * inner)) * blocks + a / block) * inner + i % inner;      \
    }                                                                                           \
    ST_f(out, i, (float)(OQNN_CAT(LD_, t)(in, i) - (long)zero[c]) * scale[c]);                 \
  }
OQNN_DEQUANTIZE_KERNEL(i32)
OQNN_DEQUANTIZE_KERNEL(i16)
OQNN_DEQUANTIZE_KERNEL(u16)
OQNN_DEQUANTIZE_KERNEL(i8)
OQNN_DEQUANTIZE_KERNEL(u8)
