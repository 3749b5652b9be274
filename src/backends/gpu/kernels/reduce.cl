// Reductions and normalizations (lower_reduce.cpp, lower_norm_extra.cpp). Each work-item
// walks its own line or sub-box serially, so results are deterministic; sums are float.

// The offset of element `i` of a row-major walk over `dims` with `strides`.
inline int walk_offset(int i, int rank, const int* dims, const int* strides) {
  int off = 0;
  for (int d = rank - 1; d >= 0; --d) {
    off += (i % dims[d]) * strides[d];
    i /= dims[d];
  }
  return off;
}

// The offset of the r-th element of the reduced sub-box (a single stride when collapsed).
inline int box_offset(int r, int red_rank, const int* rd, const int* rs) {
  return red_rank == 1 ? r * rs[0] : walk_offset(r, red_rank, rd, rs);
}

// Reduce<op> over a sub-box: the output is walked over `out_dims` with the input strides
// of the kept dimensions; each element combines the `red_dims` sub-box at its base.
// op: 0 sum, 1 mean, 2 max, 3 min, 4 prod, 5 sum of squares, 6 L1, 7 L2, 8 log-sum,
// 9 log-sum-exp (max-shifted, so exp never overflows).
__kernel void reduce_nd(__global const store_t* in, __global store_t* out, int op, int rank,
                        int8 out_dims_v, int8 kept_strides_v, int red_rank, int8 red_dims_v,
                        int8 red_strides_v, int red_count, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  UNPACK8(out_dims_v, od);
  UNPACK8(kept_strides_v, ks);
  UNPACK8(red_dims_v, rd);
  UNPACK8(red_strides_v, rs);
  const int base = walk_offset(i, rank, od, ks);
  float acc = op == 2 ? -INFINITY : op == 3 ? INFINITY : op == 4 ? 1.0f : 0.0f;
  float m = 0.0f;
  if (op == 9) {
    m = -INFINITY;
    for (int r = 0; r < red_count; ++r) m = fmax(m, LD(in, base + box_offset(r, red_rank, rd, rs)));
    if (!isfinite(m)) {
      ST(out, i, m);
      return;
    }
  }
  for (int r = 0; r < red_count; ++r) {
    const float v = LD(in, base + box_offset(r, red_rank, rd, rs));
    switch (op) {
      case 2: acc = fmax(acc, v); break;
      case 3: acc = fmin(acc, v); break;
      case 4: acc *= v; break;
      case 5:
      case 7: acc += v * v; break;
      case 6: acc += fabs(v); break;
      case 9: acc += exp(v - m); break;
      default: acc += v; break;
    }
  }
  if (op == 1) acc /= (float)red_count;
  else if (op == 7) acc = sqrt(acc);
  else if (op == 8) acc = log(acc);
  else if (op == 9) acc = m + log(acc);
  ST(out, i, acc);
}

// Mean and 1/sqrt(variance + eps) of each sub-box (two passes), into float buffers for
// norm_apply and, when given, into the node's mean and inverse-std outputs. center 0
// (RmsNorm): the mean is taken as 0, so the variance is the mean of squares.
__kernel void moments_nd(__global const store_t* in, __global float* mean_f,
                         __global float* inv_f, __global store_t* mean_out,
                         __global store_t* inv_out, int rank, int8 out_dims_v,
                         int8 kept_strides_v, int red_rank, int8 red_dims_v, int8 red_strides_v,
                         int red_count, float eps, int total, int center) {
  const int i = get_global_id(0);
  if (i >= total) return;
  UNPACK8(out_dims_v, od);
  UNPACK8(kept_strides_v, ks);
  UNPACK8(red_dims_v, rd);
  UNPACK8(red_strides_v, rs);
  const int base = walk_offset(i, rank, od, ks);
  float s = 0.0f;
  if (center)
    for (int r = 0; r < red_count; ++r) s += LD(in, base + box_offset(r, red_rank, rd, rs));
  const float mean = s / (float)red_count;
  float sq = 0.0f;
  for (int r = 0; r < red_count; ++r) {
    const float d = LD(in, base + box_offset(r, red_rank, rd, rs)) - mean;
    sq += d * d;
  }
  const float inv = 1.0f / sqrt(sq / (float)red_count + eps);
  mean_f[i] = mean;
  inv_f[i] = inv;
  if (mean_out) ST(mean_out, i, mean);
  if (inv_out) ST(inv_out, i, inv);
}

// (x - mean) * inv * gamma + beta over the input walked as `dims` (row-major, so element
// i is in[i]); the statistics, gamma and beta are read through their own strides (0 along
// the dimensions they are broadcast in). gamma and beta may be NULL.
__kernel void norm_apply(__global const store_t* in, __global const float* mean_f,
                         __global const float* inv_f, __global const store_t* gamma,
                         __global const store_t* beta, __global store_t* out, int rank,
                         int8 dims_v, int8 stat_strides_v, int8 gamma_strides_v,
                         int8 beta_strides_v, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  UNPACK8(dims_v, dims);
  UNPACK8(stat_strides_v, ss);
  UNPACK8(gamma_strides_v, gs);
  UNPACK8(beta_strides_v, bs);
  int rem = i, so = 0, go = 0, bo = 0;
  for (int d = rank - 1; d >= 0; --d) {
    const int c = rem % dims[d];
    rem /= dims[d];
    so += c * ss[d];
    go += c * gs[d];
    bo += c * bs[d];
  }
  float v = (LD(in, i) - mean_f[so]) * inv_f[so];
  if (gamma) v *= LD(gamma, go);
  if (beta) v += LD(beta, bo);
  ST(out, i, v);
}

// One line of [outer, axis_len, inner] per work-item. mode 0 LogSoftmax (p = beta),
// 1 Hardmax (1 at the first maximum), 2 L2Norm (p = epsilon), 3 CumulativeSum (flags bit 0
// exclusive, bit 1 reverse).
__kernel void axis_line(__global const store_t* in, __global store_t* out, int mode, int outer,
                        int axis_len, int inner, float p, int flags) {
  const int j = get_global_id(0);
  const int o = get_global_id(1);
  if (j >= inner || o >= outer) return;
  const int base = o * axis_len * inner + j;
  if (mode == 0) {
    float m = -INFINITY;
    for (int a = 0; a < axis_len; ++a) m = fmax(m, p * LD(in, base + a * inner));
    float s = 0.0f;
    for (int a = 0; a < axis_len; ++a) s += exp(p * LD(in, base + a * inner) - m);
    const float ls = log(s);
    for (int a = 0; a < axis_len; ++a)
      ST(out, base + a * inner, p * LD(in, base + a * inner) - m - ls);
  } else if (mode == 1) {
    int best = 0;
    float bv = LD(in, base);
    for (int a = 1; a < axis_len; ++a) {
      const float v = LD(in, base + a * inner);
      if (v > bv) {
        best = a;
        bv = v;
      }
    }
    for (int a = 0; a < axis_len; ++a) ST(out, base + a * inner, a == best ? 1.0f : 0.0f);
  } else if (mode == 2) {
    float sq = 0.0f;
    for (int a = 0; a < axis_len; ++a) {
      const float v = LD(in, base + a * inner);
      sq += v * v;
    }
    const float inv = 1.0f / sqrt(fmax(sq, p));
    for (int a = 0; a < axis_len; ++a)
      ST(out, base + a * inner, LD(in, base + a * inner) * inv);
  } else {
    const bool exclusive = (flags & 1) != 0, reverse = (flags & 2) != 0;
    float acc = 0.0f;
    for (int a = 0; a < axis_len; ++a) {
      const int at = base + (reverse ? axis_len - 1 - a : a) * inner;
      const float v = LD(in, at);
      if (!exclusive) acc += v;
      ST(out, at, acc);
      if (exclusive) acc += v;
    }
  }
}

// Lrn across the channels of a channel-last [rows, channels] tensor:
// x / (bias + alpha * sum of x^2 over c-radius..c+radius)^beta.
__kernel void lrn_channels(__global const store_t* in, __global store_t* out, int channels,
                           int radius, float alpha, float beta, float bias, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int c = i % channels, row = i - c;
  const int lo = max(0, c - radius), hi = min(channels - 1, c + radius);
  float sq = 0.0f;
  for (int k = lo; k <= hi; ++k) {
    const float v = LD(in, row + k);
    sq += v * v;
  }
  ST(out, i, LD(in, i) / pow(bias + alpha * sq, beta));
}
