// Matrix products of activations with static weights.
//
// gemm_nn: out[m, n] = act(sum_k a[m, k] * b[k, n] + bias[n]), all row-major. Serves
// FullyConnected (weight transposed to [K, N] at finalize) and 1x1 stride-1 Conv2d (whose
// HWIO weight already is [CIN, COUT]). One work-item computes GEMM_MB rows of one column;
// neighbouring work-items take neighbouring columns (contiguous b loads, shared a loads).
#define GEMM_MB 8

__kernel void gemm_nn(__global const store_t* a, __global const float* b,
                      __global const float* bias, __global store_t* out,
                      int4 mnk,  // M, N, K, has bias
                      int act, float lo, float hi) {
  const int col = get_global_id(0);
  const int m0 = get_global_id(1) * GEMM_MB;
  const int M = mnk.x, N = mnk.y, K = mnk.z;
  if (col >= N || m0 >= M) return;
  float acc[GEMM_MB];
  for (int r = 0; r < GEMM_MB; ++r) acc[r] = 0.0f;
  if (m0 + GEMM_MB <= M) {
    for (int k = 0; k < K; ++k) {
      const float bv = LDW(b, k * N + col);
      for (int r = 0; r < GEMM_MB; ++r) acc[r] += LD(a, (m0 + r) * K + k) * bv;
    }
  } else {
    for (int r = 0; r < M - m0; ++r)
      for (int k = 0; k < K; ++k) acc[r] += LD(a, (m0 + r) * K + k) * LDW(b, k * N + col);
  }
  const float bs = mnk.w ? LDW(bias, col) : 0.0f;
  for (int r = 0; r < GEMM_MB; ++r)
    if (m0 + r < M) ST(out, (m0 + r) * N + col, oqnn_act(acc[r] + bs, act, lo, hi));
}

// gemm_nn when N is a multiple of 8: one work-item computes 8 columns (a float8 of b per
// k) for GEMM8_MB rows.
#define GEMM8_MB 8

__kernel void gemm_nn_c8(__global const store_t* a, __global const float* b,
                         __global const float* bias, __global store_t* out, int4 mnk, int act,
                         float lo, float hi) {
  const int col = get_global_id(0) * 8;
  const int m0 = get_global_id(1) * GEMM8_MB;
  const int M = mnk.x, N = mnk.y, K = mnk.z;
  if (col >= N || m0 >= M) return;
  float8 acc[GEMM8_MB];
  for (int r = 0; r < GEMM8_MB; ++r) acc[r] = (float8)(0.0f);
  if (m0 + GEMM8_MB <= M) {
    for (int k = 0; k < K; ++k) {
      const float8 bv = LDW8(b, k * N + col);
      for (int r = 0; r < GEMM8_MB; ++r) acc[r] += LD(a, (m0 + r) * K + k) * bv;
    }
  } else {
    for (int r = 0; r < M - m0; ++r)
      for (int k = 0; k < K; ++k) acc[r] += LD(a, (m0 + r) * K + k) * LDW8(b, k * N + col);
  }
  const float8 bs = mnk.w ? LDW8(bias, col) : (float8)(0.0f);
  for (int r = 0; r < GEMM8_MB; ++r)
    if (m0 + r < M) ST8(out, (m0 + r) * N + col, oqnn_act8(acc[r] + bs, act, lo, hi));
}

// fc_nt: out[m, n] = act(sum_k a[m, k] * w[n, k] + bias[n]) with the weight as stored in
// the graph ([N, K]); used when enable_transform_optimization is off.
__kernel void fc_nt(__global const store_t* a, __global const float* w,
                    __global const float* bias, __global store_t* out, int4 mnk, int act,
                    float lo, float hi) {
  const int col = get_global_id(0);
  const int m = get_global_id(1);
  const int N = mnk.y, K = mnk.z;
  if (col >= N || m >= mnk.x) return;
  float acc = 0.0f;
  for (int k = 0; k < K; ++k) acc += LD(a, m * K + k) * LDW(w, col * K + k);
  const float bs = mnk.w ? LDW(bias, col) : 0.0f;
  ST(out, m * N + col, oqnn_act(acc + bs, act, lo, hi));
}

// matmul_batched: out[b, m, n] = sum_k A[b, m, k] * B[b, k, n] with numpy broadcasting of
// the batch dimensions; transposes are folded into the row/column strides.
__kernel void matmul_batched(__global const store_t* a, __global const store_t* b,
                             __global store_t* out,
                             int4 mnk,       // M, N, K, batch rank
                             int4 strides,   // a row, a col, b row, b col
                             int8 batch_dims, int8 a_bstrides, int8 b_bstrides) {
  const int col = get_global_id(0);
  const int m = get_global_id(1);
  const int bi = get_global_id(2);
  const int M = mnk.x, N = mnk.y, K = mnk.z;
  if (col >= N || m >= M) return;
  UNPACK8(batch_dims, dims);
  UNPACK8(a_bstrides, as);
  UNPACK8(b_bstrides, bs);
  int rem = bi, abase = 0, bbase = 0;
  for (int d = mnk.w - 1; d >= 0; --d) {
    const int c = rem % dims[d];
    rem /= dims[d];
    abase += c * as[d];
    bbase += c * bs[d];
  }
  if (rem != 0) return;  // past the last batch
  float acc = 0.0f;
  for (int k = 0; k < K; ++k)
    acc += LD(a, abase + m * strides.x + k * strides.y) *
           LD(b, bbase + k * strides.z + col * strides.w);
  ST(out, (bi * M + m) * N + col, acc);
}
