// Reductions. Each work-item reduces one row serially, so results are deterministic.

// Softmax over the middle axis of [outer, axis_len, inner]: exp(beta*x - max) / sum.
__kernel void softmax_axis(__global const store_t* in, __global store_t* out, int outer,
                           int axis_len, int inner, float beta) {
  const int j = get_global_id(0);
  const int o = get_global_id(1);
  if (j >= inner || o >= outer) return;
  const int base = o * axis_len * inner + j;
  float m = -INFINITY;
  for (int a = 0; a < axis_len; ++a) m = fmax(m, beta * LD(in, base + a * inner));
  float s = 0.0f;
  for (int a = 0; a < axis_len; ++a) s += exp(beta * LD(in, base + a * inner) - m);
  const float inv = 1.0f / s;
  for (int a = 0; a < axis_len; ++a)
    ST(out, base + a * inner, exp(beta * LD(in, base + a * inner) - m) * inv);
}

// ReduceMean. The output is walked over `out_dims` (reduced dimensions have size 1) with
// the input strides of the kept dimensions; each element sums the `red_dims` sub-box.
__kernel void reduce_mean_nd(__global const store_t* in, __global store_t* out, int rank,
                             int8 out_dims_v, int8 kept_strides_v, int red_rank,
                             int8 red_dims_v, int8 red_strides_v, int red_count, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  UNPACK8(out_dims_v, od);
  UNPACK8(kept_strides_v, ks);
  UNPACK8(red_dims_v, rd);
  UNPACK8(red_strides_v, rs);
  int rem = i, base = 0;
  for (int d = rank - 1; d >= 0; --d) {
    base += (rem % od[d]) * ks[d];
    rem /= od[d];
  }
  float s = 0.0f;
  if (red_rank == 1) {
    for (int r = 0; r < red_count; ++r) s += LD(in, base + r * rs[0]);
  } else {
    for (int r = 0; r < red_count; ++r) {
      int rr = r, off = base;
      for (int d = red_rank - 1; d >= 0; --d) {
        off += (rr % rd[d]) * rs[d];
        rr /= rd[d];
      }
      s += LD(in, off);
    }
  }
  ST(out, i, s / (float)red_count);
}
