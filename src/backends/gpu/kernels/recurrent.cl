// Lstm, Gru and Rnn (ONNX semantics, as src/backends/cpu/ref/recurrent_ref.cpp computes
// them): per step s, rnn_gates computes every gate's pre-activation W x_t + R h (+ biases)
// of every (direction, batch row), then rnn_cell applies the activations and updates the
// state (Gru without linear_before_reset first runs rnn_gru_reset for r * h). A row whose
// sequence_lens is past s keeps its state; the reverse direction walks a row's steps from
// its last. The state lives in float scratch buffers [D, B, H]; h is double-buffered
// (each step reads one and writes the other), c is updated in place. W, R, B and P are
// float (as Conv2d's weights); X, the initial states and the outputs are activations.
// cfg: seq, batch, input size, hidden, directions, kind (0 Lstm, 1 Gru, 2 Rnn), layout,
// flags (RNN_* below).
#define RNN_REVERSE 1
#define RNN_INPUT_FORGET 2
#define RNN_LINEAR_BEFORE_RESET 4
#define RNN_HAS_B 8
#define RNN_HAS_P 16
#define RNN_HAS_LENS 32
#define RNN_HAS_H0 64
#define RNN_HAS_C0 128

// The activation `code` (recurrent_ref.cpp's Fn order) with its alpha and beta.
inline float rnn_act(int code, float a, float b, float v) {
  switch (code) {
    case 0: return 1.0f / (1.0f + exp(-v));
    case 1: return tanh(v);
    case 2: return fmax(v, 0.0f);
    case 3: return clamp(a * v + b, 0.0f, 1.0f);
    case 4: return v >= 0.0f ? v : a * v;
    case 5: return v > a ? v : 0.0f;
    case 6: return a * v + b;
    case 7: return a * tanh(b * v);
    case 8: return v >= 0.0f ? v : a * (exp(v) - 1.0f);
    case 9: return v / (1.0f + fabs(v));
    case 10: return log1p(exp(v));
  }
  return v;
}

// Activation k of direction d: codes (int8) and acts = [alpha x 8, beta x 8].
#define RNN_ACT(k, v) rnn_act(codes[d * per_dir + (k)], acts[d * per_dir + (k)], \
                              acts[8 + d * per_dir + (k)], (v))

inline float rnn_clip(float v, float clip) {
  return clip > 0.0f ? clamp(v, -clip, clip) : v;
}

// The length of batch row b's sequence, clamped to [0, seq].
inline int rnn_len(__global const int* lens, int b, int seq, int flags) {
  return (flags & RNN_HAS_LENS) ? clamp(lens[b], 0, seq) : seq;
}

// Index of (d, b, j) in the ONNX state tensors (initial_h/c, Y_h, Y_c).
inline int rnn_state_index(int layout, int dirs, int batch, int hidden, int d, int b, int j) {
  return (layout ? b * dirs + d : d * batch + b) * hidden + j;
}

inline int rnn_y_index(int layout, int seq, int dirs, int batch, int hidden, int t, int d, int b,
                       int j) {
  const int row = layout ? (b * seq + t) * dirs + d : (t * dirs + d) * batch + b;
  return row * hidden + j;
}

#define RNN_UNPACK_CFG                                                               \
  UNPACK8(cfg_v, cfg);                                                              \
  const int seq = cfg[0], batch = cfg[1], insz = cfg[2], hidden = cfg[3], dirs = cfg[4]; \
  const int kind = cfg[5], layout = cfg[6], flags = cfg[7];                         \
  const int gates = kind == 0 ? 4 : kind == 1 ? 3 : 1;                               \
  const int per_dir = kind == 0 ? 3 : kind == 1 ? 2 : 1;                             \
  const int gw = gates * hidden + (kind == 1 ? hidden : 0); /* a gates row */       \
  (void)seq, (void)batch, (void)insz, (void)dirs, (void)layout, (void)flags, (void)per_dir, \
      (void)gw

// The initial state, and Y zeroed (steps past a row's length stay 0).
__kernel void rnn_init(__global const store_t* h0, __global const store_t* c0,
                       __global store_t* y, __global float* h, __global float* c, int8 cfg_v) {
  RNN_UNPACK_CFG;
  const int j = get_global_id(0), b = get_global_id(1), d = get_global_id(2);
  if (j >= hidden || b >= batch || d >= dirs) return;
  const int si = rnn_state_index(layout, dirs, batch, hidden, d, b, j);
  const int i = (d * batch + b) * hidden + j;
  h[i] = (flags & RNN_HAS_H0) ? LD(h0, si) : 0.0f;
  c[i] = (flags & RNN_HAS_C0) ? LD(c0, si) : 0.0f;
  for (int t = 0; t < seq; ++t) ST(y, rnn_y_index(layout, seq, dirs, batch, hidden, t, d, b, j), 0.0f);
}

// Row `row` of W (width insz) or R (width hidden) of direction d dotted with v.
inline float rnn_dot_x(__global const float* m, int row, int width, __global const store_t* v) {
  float s = 0.0f;
  for (int i = 0; i < width; ++i) s += m[row * width + i] * LD(v, i);
  return s;
}
inline float rnn_dot_h(__global const float* m, int row, int width, __global const float* v) {
  float s = 0.0f;
  for (int i = 0; i < width; ++i) s += m[row * width + i] * v[i];
  return s;
}

// gates[d, b, k] for k < gates * hidden; Gru's candidate gate holds W x + Wb only, and with
// linear_before_reset its R h + Rb goes to gates[d, b, 3 * hidden + j].
__kernel void rnn_gates(__global const store_t* x, __global const float* w,
                        __global const float* r, __global const float* bias,
                        __global const int* lens, __global const float* h,
                        __global float* g, int8 cfg_v, int s) {
  RNN_UNPACK_CFG;
  const int k = get_global_id(0), b = get_global_id(1), d = get_global_id(2);
  const int gh = gates * hidden;
  if (k >= gh || b >= batch || d >= dirs) return;
  const int len = rnn_len(lens, b, seq, flags);
  if (s >= len) return;
  const int t = ((flags & RNN_REVERSE) || d == 1) ? len - 1 - s : s;
  __global const store_t* xr = x + (layout ? b * seq + t : t * batch + b) * insz;
  __global const float* hr = h + (d * batch + b) * hidden;
  __global const float* bb = bias + d * 2 * gh;
  __global float* out = g + (d * batch + b) * gw;
  const int row = d * gh + k;
  const float xw = rnn_dot_x(w, row, insz, xr);
  if (kind == 1 && k >= 2 * hidden) {
    out[k] = xw + ((flags & RNN_HAS_B) ? bb[k] : 0.0f);
    if (flags & RNN_LINEAR_BEFORE_RESET)
      out[gh + k - 2 * hidden] = rnn_dot_h(r, row, hidden, hr) + ((flags & RNN_HAS_B) ? bb[gh + k] : 0.0f);
    return;
  }
  const float bk = (flags & RNN_HAS_B) ? bb[k] + bb[gh + k] : 0.0f;
  out[k] = xw + rnn_dot_h(r, row, hidden, hr) + bk;
}

// Gru without linear_before_reset: gates[d, b, 3 * hidden + j] = r_j * h_j.
__kernel void rnn_gru_reset(__global const int* lens, __global const float* h, __global float* g,
                            __global const float* acts, int8 codes_v, int8 cfg_v, float clip,
                            int s) {
  RNN_UNPACK_CFG;
  UNPACK8(codes_v, codes);
  const int j = get_global_id(0), b = get_global_id(1), d = get_global_id(2);
  if (j >= hidden || b >= batch || d >= dirs) return;
  if (s >= rnn_len(lens, b, seq, flags)) return;
  __global float* row = g + (d * batch + b) * gw;
  const int i = (d * batch + b) * hidden + j;
  row[3 * hidden + j] = RNN_ACT(0, rnn_clip(row[hidden + j], clip)) * h[i];
}

// One step's activations and state update; writes h_next (h_cur for rows past their
// length) and Y at the row's time step.
__kernel void rnn_cell(__global const float* r, __global const float* bias,
                       __global const float* p, __global const int* lens,
                       __global const float* h, __global float* h_next, __global float* c,
                       __global const float* g, __global store_t* y, __global const float* acts,
                       int8 codes_v, int8 cfg_v, float clip, int s) {
  RNN_UNPACK_CFG;
  UNPACK8(codes_v, codes);
  const int j = get_global_id(0), b = get_global_id(1), d = get_global_id(2);
  if (j >= hidden || b >= batch || d >= dirs) return;
  const int len = rnn_len(lens, b, seq, flags);
  const int i = (d * batch + b) * hidden + j;
  if (s >= len) {
    h_next[i] = h[i];
    return;
  }
  const int t = ((flags & RNN_REVERSE) || d == 1) ? len - 1 - s : s;
  __global const float* gr = g + (d * batch + b) * gw;
  float out;
  if (kind == 2) {
    out = RNN_ACT(0, rnn_clip(gr[j], clip));
  } else if (kind == 0) {
    const int has_p = flags & RNN_HAS_P;
    __global const float* pp = p + d * 3 * hidden;
    float cs = c[i];
    const float ig = RNN_ACT(0, rnn_clip(gr[j] + (has_p ? pp[j] * cs : 0.0f), clip));
    const float fg = (flags & RNN_INPUT_FORGET)
                         ? 1.0f - ig
                         : RNN_ACT(0, rnn_clip(gr[2 * hidden + j] +
                                                   (has_p ? pp[2 * hidden + j] * cs : 0.0f),
                                               clip));
    const float cand = RNN_ACT(1, rnn_clip(gr[3 * hidden + j], clip));
    cs = fg * cs + ig * cand;
    c[i] = cs;
    const float og =
        RNN_ACT(0, rnn_clip(gr[hidden + j] + (has_p ? pp[hidden + j] * cs : 0.0f), clip));
    out = og * RNN_ACT(2, cs);
  } else {
    const int gh = 3 * hidden;
    const float z = RNN_ACT(0, rnn_clip(gr[j], clip));
    const float rbh = (flags & RNN_HAS_B) ? bias[d * 2 * gh + gh + 2 * hidden + j] : 0.0f;
    float hpart;
    if (flags & RNN_LINEAR_BEFORE_RESET)
      hpart = RNN_ACT(0, rnn_clip(gr[hidden + j], clip)) * gr[gh + j];
    else
      hpart = rnn_dot_h(r, d * gh + 2 * hidden + j, hidden, gr + gh) + rbh;
    const float cand = RNN_ACT(1, rnn_clip(gr[2 * hidden + j] + hpart, clip));
    out = (1.0f - z) * cand + z * h[i];
  }
  h_next[i] = out;
  ST(y, rnn_y_index(layout, seq, dirs, batch, hidden, t, d, b, j), out);
}

// Y_h (and Lstm's Y_c) from the final state.
__kernel void rnn_final(__global const float* h, __global const float* c, __global store_t* yh,
                        __global store_t* yc, int8 cfg_v) {
  RNN_UNPACK_CFG;
  const int j = get_global_id(0), b = get_global_id(1), d = get_global_id(2);
  if (j >= hidden || b >= batch || d >= dirs) return;
  const int si = rnn_state_index(layout, dirs, batch, hidden, d, b, j);
  const int i = (d * batch + b) * hidden + j;
  ST(yh, si, h[i]);
  if (kind == 0) ST(yc, si, c[i]);
}
