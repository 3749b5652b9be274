// Element-wise ops. One work-item per output element.

// Binary ops with numpy broadcasting. The host collapses the shapes to at most 8
// dimensions and gives each operand's strides over the output dimensions (0 where the
// operand is broadcast). op: 0 add, 1 subtract, 2 multiply, 3 divide, 4 prelu (a, slope b).
__kernel void eltwise_binary(__global const store_t* a, __global const store_t* b,
                             __global store_t* out, int op, int rank, int8 out_dims,
                             int8 a_strides, int8 b_strides, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  UNPACK8(out_dims, dims);
  UNPACK8(a_strides, as);
  UNPACK8(b_strides, bs);
  int rem = i, ai = 0, bi = 0;
  for (int d = rank - 1; d >= 0; --d) {
    const int c = rem % dims[d];
    rem /= dims[d];
    ai += c * as[d];
    bi += c * bs[d];
  }
  const float x = LD(a, ai), y = LD(b, bi);
  float r;
  switch (op) {
    case 0: r = x + y; break;
    case 1: r = x - y; break;
    case 2: r = x * y; break;
    case 3: r = x / y; break;
    default: r = x >= 0.0f ? x : x * y; break;
  }
  ST(out, i, r);
}

// Unary ops. op: 0 relu, 1 clip to [p0, p1], 2 sigmoid, 3 hard swish,
// 4 hard sigmoid max(0, min(1, p0 * x + p1)).
__kernel void eltwise_unary(__global const store_t* in, __global store_t* out, int op,
                            float p0, float p1, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const float x = LD(in, i);
  float r;
  switch (op) {
    case 0: r = fmax(x, 0.0f); break;
    case 1: r = fmin(fmax(x, p0), p1); break;
    case 2: r = 1.0f / (1.0f + exp(-x)); break;
    case 3: r = x * fmax(0.0f, fmin(1.0f, x / 6.0f + 0.5f)); break;
    default: r = fmax(0.0f, fmin(1.0f, p0 * x + p1)); break;
  }
  ST(out, i, r);
}

// Batchnorm, channel-last: out = in * scale[c] + bias[c], c the innermost index.
__kernel void batchnorm_channel_last(__global const store_t* in, __global const store_t* scale,
                                     __global const store_t* bias, __global store_t* out,
                                     int channels, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int c = i % channels;
  ST(out, i, LD(in, i) * LD(scale, c) + LD(bias, c));
}
