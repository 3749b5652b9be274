// Direct 2-D convolution: NHWC input, HWIO weight [KH, KW, CIN/group, COUT] (float, see
// common.cl), NHWC output.
// One work-item computes CONV_OWB neighbouring output pixels of one row for one output
// channel; neighbouring work-items (dimension 0) take neighbouring output channels, so
// weight loads are contiguous across them and input loads are shared (broadcast).
#define CONV_OWB 8

__kernel void conv2d_nhwc(__global const store_t* in, __global const float* w,
                          __global const float* bias, __global store_t* out,
                          int4 in_shape,   // N, H, W, C
                          int4 out_shape,  // N, OH, OW, COUT
                          int4 kshape,     // KH, KW, CIN per group, COUT per group
                          int4 geom,       // stride h, stride w, dilation h, dilation w
                          int4 misc,       // pad top, pad left, has bias, activation
                          float lo, float hi) {
  const int co = get_global_id(0);
  const int ow0 = get_global_id(1) * CONV_OWB;
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z, COUT = out_shape.w;
  const int KH = kshape.x, KW = kshape.y, CING = kshape.z;
  if (co >= COUT || noh >= out_shape.x * OH) return;
  const int n = noh / OH, oh = noh - n * OH;
  const int cin0 = (co / kshape.w) * CING;
  float acc[CONV_OWB];
  for (int p = 0; p < CONV_OWB; ++p) acc[p] = 0.0f;
  for (int kh = 0; kh < KH; ++kh) {
    const int ih = oh * geom.x - misc.x + kh * geom.z;
    if (ih < 0 || ih >= H) continue;
    const int row = (n * H + ih) * W;
    for (int kw = 0; kw < KW; ++kw) {
      const int iw0 = ow0 * geom.y - misc.y + kw * geom.w;
      const int iw_last = (ow0 + CONV_OWB - 1) * geom.y - misc.y + kw * geom.w;
      __global const float* wp = w + (kh * KW + kw) * CING * COUT + co;
      if (iw0 >= 0 && iw_last < W) {
        // Interior: every pixel of the block reads inside the input.
        __global const store_t* xp = in + (row + iw0) * C + cin0;
        const int xs = geom.y * C;
        for (int ci = 0; ci < CING; ++ci) {
          const float wv = LDW(wp, ci * COUT);
          for (int p = 0; p < CONV_OWB; ++p) acc[p] += LD(xp, p * xs + ci) * wv;
        }
      } else {
        int off[CONV_OWB];
        int ok[CONV_OWB];
        for (int p = 0; p < CONV_OWB; ++p) {
          const int iw = iw0 + p * geom.y;
          ok[p] = iw >= 0 && iw < W;
          off[p] = ok[p] ? (row + iw) * C + cin0 : cin0;  // in bounds, value discarded
        }
        for (int ci = 0; ci < CING; ++ci) {
          const float wv = LDW(wp, ci * COUT);
          for (int p = 0; p < CONV_OWB; ++p)
            acc[p] += select(0.0f, LD(in, off[p] + ci), ok[p]) * wv;
        }
      }
    }
  }
  const float b = misc.z ? LDW(bias, co) : 0.0f;
  const int obase = (noh * OW + ow0) * COUT + co;
  for (int p = 0; p < CONV_OWB; ++p)
    if (ow0 + p < OW) ST(out, obase + p * COUT, oqnn_act(acc[p] + b, misc.w, lo, hi));
}

// The same convolution when the output channels per group are a multiple of 8: one
// work-item computes 8 output channels (one float8 of weights per input channel) for
// CONV8_OWB neighbouring output pixels, so every input value loaded feeds 8 FMAs.
#define CONV8_OWB 4

__kernel void conv2d_nhwc_c8(__global const store_t* in, __global const float* w,
                             __global const float* bias, __global store_t* out,
                             int4 in_shape, int4 out_shape, int4 kshape, int4 geom, int4 misc,
                             float lo, float hi) {
  const int co = get_global_id(0) * 8;
  const int ow0 = get_global_id(1) * CONV8_OWB;
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z, COUT = out_shape.w;
  const int KH = kshape.x, KW = kshape.y, CING = kshape.z;
  if (co >= COUT || noh >= out_shape.x * OH) return;
  const int n = noh / OH, oh = noh - n * OH;
  const int cin0 = (co / kshape.w) * CING;
  float8 acc[CONV8_OWB];
  for (int p = 0; p < CONV8_OWB; ++p) acc[p] = (float8)(0.0f);
  for (int kh = 0; kh < KH; ++kh) {
    const int ih = oh * geom.x - misc.x + kh * geom.z;
    if (ih < 0 || ih >= H) continue;
    const int row = (n * H + ih) * W;
    for (int kw = 0; kw < KW; ++kw) {
      const int iw0 = ow0 * geom.y - misc.y + kw * geom.w;
      const int iw_last = (ow0 + CONV8_OWB - 1) * geom.y - misc.y + kw * geom.w;
      __global const float* wp = w + (kh * KW + kw) * CING * COUT + co;
      if (iw0 >= 0 && iw_last < W) {
        __global const store_t* xp = in + (row + iw0) * C + cin0;
        const int xs = geom.y * C;
        for (int ci = 0; ci < CING; ++ci) {
          const float8 wv = LDW8(wp, ci * COUT);
          for (int p = 0; p < CONV8_OWB; ++p) acc[p] += LD(xp, p * xs + ci) * wv;
        }
      } else {
        int off[CONV8_OWB];
        int ok[CONV8_OWB];
        for (int p = 0; p < CONV8_OWB; ++p) {
          const int iw = iw0 + p * geom.y;
          ok[p] = iw >= 0 && iw < W;
          off[p] = ok[p] ? (row + iw) * C + cin0 : cin0;  // in bounds, value discarded
        }
        for (int ci = 0; ci < CING; ++ci) {
          const float8 wv = LDW8(wp, ci * COUT);
          for (int p = 0; p < CONV8_OWB; ++p)
            acc[p] += select(0.0f, LD(in, off[p] + ci), ok[p]) * wv;
        }
      }
    }
  }
  const float8 b = misc.z ? LDW8(bias, co) : (float8)(0.0f);
  const int obase = (noh * OW + ow0) * COUT + co;
  for (int p = 0; p < CONV8_OWB; ++p)
    if (ow0 + p < OW) ST8(out, obase + p * COUT, oqnn_act8(acc[p] + b, misc.w, lo, hi));
}

// Depthwise convolution: weight [KH, KW, 1, COUT], output channel co reads input channel
// co / multiplier. One work-item per output element; dimension 0 runs over channels.
__kernel void dwconv2d_nhwc(__global const store_t* in, __global const float* w,
                            __global const float* bias, __global store_t* out,
                            int4 in_shape, int4 out_shape,
                            int4 kshape,  // KH, KW, multiplier, unused
                            int4 geom, int4 misc, float lo, float hi) {
  const int co = get_global_id(0);
  const int ow = get_global_id(1);
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z, COUT = out_shape.w;
  if (co >= COUT || ow >= OW || noh >= out_shape.x * OH) return;
  const int n = noh / OH, oh = noh - n * OH;
  const int ci = co / kshape.z;
  float acc = 0.0f;
  for (int kh = 0; kh < kshape.x; ++kh) {
    const int ih = oh * geom.x - misc.x + kh * geom.z;
    if (ih < 0 || ih >= H) continue;
    for (int kw = 0; kw < kshape.y; ++kw) {
      const int iw = ow * geom.y - misc.y + kw * geom.w;
      if (iw < 0 || iw >= W) continue;
      acc += LD(in, ((n * H + ih) * W + iw) * C + ci) * LDW(w, (kh * kshape.y + kw) * COUT + co);
    }
  }
  const float b = misc.z ? LDW(bias, co) : 0.0f;
  ST(out, (noh * OW + ow) * COUT + co, oqnn_act(acc + b, misc.w, lo, hi));
}
