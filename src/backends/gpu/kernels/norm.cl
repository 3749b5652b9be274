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
