// Indexing (lower_indexing.cpp). Slices, splits, tiles and depth/space moves are strided
// copies (copy_strided in layout.cl); what is left are the kernels that choose values.

// Trilu: element (i, j) of each [rows, cols] matrix is kept when j - i >= k (upper) or
// j - i <= k (lower), else zero bits (0 in every storage type). trilu moves float tensors
// in the storage type, trilu_<n> integer and bool tensors of n bytes.
#define OQNN_TRILU(name, T)                                                               \
  __kernel void name(__global const T* in, __global T* out, int rows, int cols, int k,    \
                     int upper, int total) {                                              \
    const int e = get_global_id(0);                                                       \
    if (e >= total) return;                                                               \
    const int i = e / cols % rows, j = e % cols;                                          \
    const bool keep = upper ? j - i >= k : j - i <= k;                                    \
    out[e] = keep ? in[e] : (T)0;                                                         \
  }
OQNN_TRILU(trilu, store_bits_t)
OQNN_TRILU(trilu_1, uchar)
OQNN_TRILU(trilu_2, ushort)
OQNN_TRILU(trilu_4, uint)

// Argmax/Argmin along one axis of [outer, dim, inner]: the int32 index of the first (or,
// with `last`, the last) largest or smallest value, compared as the CPU reference does (a
// NaN never wins). arg_extreme reads the storage type, arg_extreme_i32 int32 tensors.
#define OQNN_LD_INT(p, i) ((p)[i])
#define OQNN_ARG_EXTREME(name, T, V, LOAD)                                                  \
  __kernel void name(__global const T* in, __global int* out, int outer, int dim, int inner, \
                     int is_max, int last) {                                                 \
    const int i = get_global_id(0), o = get_global_id(1);                                    \
    if (i >= inner || o >= outer) return;                                                    \
    const int base = o * dim * inner + i;                                                    \
    int best = 0;                                                                            \
    V b = LOAD(in, base);                                                                    \
    for (int k = 1; k < dim; ++k) {                                                          \
      const V v = LOAD(in, base + k * inner);                                                \
      const bool better = is_max ? (v > b || (last && v == b)) : (v < b || (last && v == b)); \
      if (better) {                                                                          \
        best = k;                                                                            \
        b = v;                                                                               \
      }                                                                                      \
    }                                                                                        \
    out[o * inner + i] = best;                                                               \
  }
OQNN_ARG_EXTREME(arg_extreme, store_t, float, LD)
OQNN_ARG_EXTREME(arg_extreme_i32, int, int, OQNN_LD_INT)

// An index along a dim of `dim`, negative counting from the end; -1 when out of range,
// after recording node + 1 in the index-error flag (the first such node wins).
inline int oqnn_wrap_index(int i, int dim, __global int* flag, int node) {
  if (i < 0) i += dim;
  if (i >= 0 && i < dim) return i;
  atomic_cmpxchg(flag, 0, node + 1);
  return -1;
}

// GatherElements: out[e] = data at e's own coordinates with idx[e] in place of the one
// along `axis` (the walk is the indices' shape). Bits by element size, as copy_strided.
#define OQNN_GATHER_ELEMENTS(name, T)                                                    \
  __kernel void name(__global const T* in, __global const int* idx, __global T* out,    \
                     __global int* flag, int node, int rank, int8 dims_v,               \
                     int8 data_strides, int axis, int dim, int total) {                 \
    const int e = get_global_id(0);                                                     \
    if (e >= total) return;                                                             \
    UNPACK8(dims_v, dims);                                                              \
    UNPACK8(data_strides, ds);                                                          \
    const int i = oqnn_wrap_index(idx[e], dim, flag, node);                             \
    if (i < 0) {                                                                        \
      out[e] = (T)0;                                                                    \
      return;                                                                           \
    }                                                                                   \
    int rem = e, off = 0;                                                               \
    for (int d = rank - 1; d >= 0; --d) {                                               \
      const int c = rem % dims[d];                                                      \
      rem /= dims[d];                                                                   \
      off += (d == axis ? i : c) * ds[d];                                               \
    }                                                                                   \
    out[e] = in[off];                                                                   \
  }
OQNN_GATHER_ELEMENTS(gather_elements, store_bits_t)
OQNN_GATHER_ELEMENTS(gather_elements_1, uchar)
OQNN_GATHER_ELEMENTS(gather_elements_2, ushort)
OQNN_GATHER_ELEMENTS(gather_elements_4, uint)

// Gather: the output [outer, count, row] takes row idx[j] (of `dim`) of each outer block.
#define OQNN_GATHER(name, T)                                                               \
  __kernel void name(__global const T* in, __global const int* idx, __global T* out,      \
                     __global int* flag, int node, int count, int dim, int row, int total) { \
    const int e = get_global_id(0);                                                       \
    if (e >= total) return;                                                               \
    const int r = e % row, j = e / row % count, o = e / row / count;                      \
    const int i = oqnn_wrap_index(idx[j], dim, flag, node);                               \
    out[e] = i < 0 ? (T)0 : in[(o * dim + i) * row + r];                                  \
  }
OQNN_GATHER(gather, store_bits_t)
OQNN_GATHER(gather_1, uchar)
OQNN_GATHER(gather_2, ushort)
OQNN_GATHER(gather_4, uint)

// GatherNd: output slice s (of `slice` elements) is the data slice addressed by tuple s of
// `last` indices into dims/strides, inside batch s / tuples (batch_stride elements each).
#define OQNN_GATHER_ND(name, T)                                                            \
  __kernel void name(__global const T* in, __global const int* idx, __global T* out,      \
                     __global int* flag, int node, int last, int8 dims_v, int8 strides_v, \
                     int slice, int tuples, int batch_stride, int total) {                \
    const int e = get_global_id(0);                                                       \
    if (e >= total) return;                                                               \
    UNPACK8(dims_v, dims);                                                                \
    UNPACK8(strides_v, st);                                                               \
    const int s = e / slice;                                                              \
    int off = s / tuples * batch_stride + e % slice;                                      \
    for (int k = 0; k < last; ++k) {                                                      \
      const int i = oqnn_wrap_index(idx[s * last + k], dims[k], flag, node);              \
      if (i < 0) {                                                                        \
        out[e] = (T)0;                                                                    \
        return;                                                                           \
      }                                                                                   \
      off += i * st[k];                                                                   \
    }                                                                                     \
    out[e] = in[off];                                                                     \
  }
OQNN_GATHER_ND(gather_nd, store_bits_t)
OQNN_GATHER_ND(gather_nd_1, uchar)
OQNN_GATHER_ND(gather_nd_2, ushort)
OQNN_GATHER_ND(gather_nd_4, uint)

// OneHot: out [outer, depth, inner] is on_value where the int32 index of (outer, inner),
// negative from the end, equals the depth coordinate, else off_value (an index out of
// range leaves its line off, as in the CPU reference).
__kernel void one_hot(__global const int* idx, __global store_t* out, int depth, int inner,
                      float on, float off, int total) {
  const int e = get_global_id(0);
  if (e >= total) return;
  const int i = e % inner, d = e / inner % depth, o = e / inner / depth;
  int x = idx[o * inner + i];
  if (x < 0) x += depth;
  ST(out, e, x == d ? on : off);
}

// ScatterElements (mode 0) and ScatterNd (mode 1), after out = data was copied: one
// work-item applies the `count` update rows of `row` elements in order, as the CPU
// reference does (a later duplicate index wins or accumulates). Reduction 0 none, 1 add,
// 2 mul, 3 max, 4 min; int32 add and mul wrap. Mode 0 walks the indices' shape (rank,
// dims) with data strides and the index in place of the coordinate along `axis`; mode 1
// reads tuples of `axis` indices into dims/strides.
inline float oqnn_reduce_f(int r, float a, float b) {
  return r == 1 ? a + b : r == 2 ? a * b : r == 3 ? (a < b ? b : a) : r == 4 ? (b < a ? b : a) : b;
}
inline int oqnn_reduce_i(int r, int a, int b) {
  return r == 1   ? (int)((uint)a + (uint)b)
         : r == 2 ? (int)((uint)a * (uint)b)
         : r == 3 ? (a < b ? b : a)
         : r == 4 ? (b < a ? b : a)
                  : b;
}
#define OQNN_SCATTER(name, T, LOAD, STORE, REDUCE)                                          \
  __kernel void name(__global const T* upd, __global const int* idx, __global T* out,      \
                     __global int* flag, int node, int mode, int reduction, int rank,      \
                     int8 dims_v, int8 strides_v, int axis, int dim, int row, int count) { \
    if (get_global_id(0) != 0) return;                                                     \
    UNPACK8(dims_v, dims);                                                                 \
    UNPACK8(strides_v, st);                                                                \
    for (int j = 0; j < count; ++j) {                                                      \
      int off = 0;                                                                         \
      bool ok = true;                                                                      \
      if (mode == 0) {                                                                     \
        const int i = oqnn_wrap_index(idx[j], dim, flag, node);                            \
        ok = i >= 0;                                                                       \
        int rem = j;                                                                       \
        for (int d = rank - 1; d >= 0; --d) {                                              \
          const int c = rem % dims[d];                                                     \
          rem /= dims[d];                                                                  \
          off += (d == axis ? i : c) * st[d];                                              \
        }                                                                                  \
      } else {                                                                             \
        for (int k = 0; k < axis && ok; ++k) {                                             \
          const int i = oqnn_wrap_index(idx[j * axis + k], dims[k], flag, node);           \
          ok = i >= 0;                                                                     \
          off += i * st[k];                                                                \
        }                                                                                  \
      }                                                                                    \
      if (!ok) continue;                                                                   \
      for (int r = 0; r < row; ++r)                                                        \
        STORE(out, off + r, REDUCE(reduction, LOAD(out, off + r), LOAD(upd, j * row + r)));  \
    }                                                                                      \
  }
#define OQNN_ST_INT(p, i, v) ((p)[i] = (v))
OQNN_SCATTER(scatter, store_t, LD, ST, oqnn_reduce_f)
OQNN_SCATTER(scatter_i32, int, OQNN_LD_INT, OQNN_ST_INT, oqnn_reduce_i)

// TopK along the last dim of `dim`: element e goes to its rank among its line, the count
// of values that sort before it (greater, or smaller with !largest, and equal values of a
// lower index: the CPU reference's stable sort), when that rank is below k.
#define OQNN_TOP_K(name, T, V, LOAD, STORE)                                                \
  __kernel void name(__global const T* in, __global T* values, __global int* indices,     \
                     int dim, int k, int largest, int total) {                            \
    const int e = get_global_id(0);                                                       \
    if (e >= total) return;                                                               \
    const int line = e / dim, i = e % dim;                                                \
    const V x = LOAD(in, e);                                                              \
    int rank = 0;                                                                         \
    for (int j = 0; j < dim; ++j) {                                                       \
      const V y = LOAD(in, line * dim + j);                                               \
      const bool before = largest ? y > x : y < x;                                        \
      const bool after = largest ? x > y : x < y;                                         \
      rank += before || (j < i && !after);                                                \
    }                                                                                     \
    if (rank >= k) return;                                                                \
    STORE(values, line * k + rank, x);                                                    \
    indices[line * k + rank] = i;                                                         \
  }
OQNN_TOP_K(top_k, store_t, float, LD, ST)
OQNN_TOP_K(top_k_i32, int, int, OQNN_LD_INT, OQNN_ST_INT)

// CumulativeSum on int32 (the float one is axis_line mode 3, whose arguments it takes):
// flags bit 0 exclusive, bit 1 reverse; the sum wraps, as in the CPU reference.
__kernel void cumsum_i32(__global const int* in, __global int* out, int mode, int outer,
                         int axis_len, int inner, float p, int flags) {
  const int j = get_global_id(0), o = get_global_id(1);
  if (j >= inner || o >= outer) return;
  const int base = o * axis_len * inner + j;
  const bool exclusive = (flags & 1) != 0, reverse = (flags & 2) != 0;
  uint acc = 0;
  for (int a = 0; a < axis_len; ++a) {
    const int at = base + (reverse ? axis_len - 1 - a : a) * inner;
    const uint v = (uint)in[at];
    if (!exclusive) acc += v;
    out[at] = (int)acc;
    if (exclusive) acc += v;
  }
}
