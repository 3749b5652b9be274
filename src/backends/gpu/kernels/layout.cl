// Data movement. One work-item per element of the shape being walked.

// copy_strided: walks `dims` (at most 8) in row-major order and copies
// in[bases.x + sum c_d * in_strides_d] to out[bases.y + sum c_d * out_strides_d].
// Transpose walks the output (input strides permuted); Concat walks each input and writes
// it at its offset inside the output. Bits, not values: exact for any type of the element
// size. copy_strided moves float tensors in the storage type, copy_strided_<n> integer and
// bool tensors of n bytes.
#define OQNN_COPY_STRIDED(name, T)                                                          \
  __kernel void name(__global const T* in, __global T* out, int rank, int8 dims_v,         \
                     int8 in_strides, int8 out_strides, int2 bases, int total) {           \
    const int i = get_global_id(0);                                                        \
    if (i >= total) return;                                                                \
    UNPACK8(dims_v, dims);                                                                 \
    UNPACK8(in_strides, is);                                                               \
    UNPACK8(out_strides, os);                                                              \
    int rem = i, ii = bases.x, oi = bases.y;                                               \
    for (int d = rank - 1; d >= 0; --d) {                                                  \
      const int c = rem % dims[d];                                                         \
      rem /= dims[d];                                                                      \
      ii += c * is[d];                                                                     \
      oi += c * os[d];                                                                     \
    }                                                                                      \
    out[oi] = in[ii];                                                                      \
  }
OQNN_COPY_STRIDED(copy_strided, store_bits_t)
OQNN_COPY_STRIDED(copy_strided_1, uchar)
OQNN_COPY_STRIDED(copy_strided_2, ushort)
OQNN_COPY_STRIDED(copy_strided_4, uint)

// pad_nd: scheme 0 constant (value), 1 reflect (mirror without repeating the edge),
// 2 edge (repeat the edge).
__kernel void pad_nd(__global const store_t* in, __global store_t* out, int rank,
                     int8 out_dims_v, int8 in_dims_v, int8 before_v, int scheme, float value,
                     int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  UNPACK8(out_dims_v, od);
  UNPACK8(in_dims_v, id);
  UNPACK8(before_v, pb);
  int rem = i, ii = 0, stride = 1;
  bool inside = true;
  for (int d = rank - 1; d >= 0; --d) {
    int c = rem % od[d] - pb[d];
    rem /= od[d];
    if (c < 0 || c >= id[d]) {
      if (scheme == 1) c = c < 0 ? -c : 2 * (id[d] - 1) - c;
      else if (scheme == 2) c = c < 0 ? 0 : id[d] - 1;
      else inside = false;
    }
    ii += c * stride;
    stride *= id[d];
  }
  ST(out, i, inside ? LD(in, ii) : value);
}

// to_float / from_float: conversions between storage and float buffers. to_float widens
// a weight or bias computed at run time for the kernels that read weights as float, and
// the input of a node that runs in float because it reads or writes a graph input or
// output (those stay float32 in every precision); from_float rounds such a node's result
// into the storage buffer of an intermediate tensor.
__kernel void to_float(__global const store_t* in, __global float* out, int total) {
  const int i = get_global_id(0);
  if (i < total) out[i] = LD(in, i);
}

__kernel void from_float(__global const float* in, __global store_t* out, int total) {
  const int i = get_global_id(0);
  if (i < total) ST(out, i, in[i]);
}
