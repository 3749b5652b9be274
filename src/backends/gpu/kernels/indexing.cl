// Indexing (lower_indexing.cpp). Slices, splits, tiles and depth/space moves are strided
// copies (copy_strided in layout.cl); what is left are the kernels that choose values.

// Trilu: element (i, j) of each [rows, cols] matrix is kept when j - i >= k (upper) or
// j - i <= k (lower), else zero bits (0 in every storage type).
__kernel void trilu(__global const store_bits_t* in, __global store_bits_t* out, int rows,
                    int cols, int k, int upper, int total) {
  const int e = get_global_id(0);
  if (e >= total) return;
  const int i = e / cols % rows, j = e % cols;
  const bool keep = upper ? j - i >= k : j - i <= k;
  out[e] = keep ? in[e] : (store_bits_t)0;
}
