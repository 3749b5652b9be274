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
