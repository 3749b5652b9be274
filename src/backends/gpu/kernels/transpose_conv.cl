// TransposeConv2d in gather form: NHWC input, weight [KH, KW, CIN, COUT/group] (float, as
// Conv2d's), NHWC output. Output pixel o along an axis is reached by tap k of input
// i = (o + pad - k * dilation) / stride when that division is exact and i is inside the
// input; an output no input reaches (output_padding) holds the bias alone. One work-item
// per output element; dimension 0 runs over output channels.
__kernel void transpose_conv2d_nhwc(__global const store_t* in, __global const float* w,
                                    __global const float* bias, __global store_t* out,
                                    int4 in_shape,   // N, H, W, CIN
                                    int4 out_shape,  // N, OH, OW, COUT
                                    int4 kshape,     // KH, KW, CIN per group, COUT per group
                                    int4 geom,       // stride h, stride w, dilation h, dilation w
                                    int4 misc,       // pad top, pad left, has bias, activation
                                    float lo, float hi) {
  const int co = get_global_id(0);
  const int ow = get_global_id(1);
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z, COUT = out_shape.w;
  const int KH = kshape.x, KW = kshape.y, CING = kshape.z, COUTG = kshape.w;
  if (co >= COUT || ow >= OW || noh >= out_shape.x * OH) return;
  const int n = noh / OH, oh = noh - n * OH;
  const int g = co / COUTG, cog = co - g * COUTG;
  const int cin0 = g * CING;
  float acc = 0.0f;
  for (int kh = 0; kh < KH; ++kh) {
    const int th = oh + misc.x - kh * geom.z;
    if (th < 0 || th % geom.x != 0) continue;
    const int ih = th / geom.x;
    if (ih >= H) continue;
    for (int kw = 0; kw < KW; ++kw) {
      const int tw = ow + misc.y - kw * geom.w;
      if (tw < 0 || tw % geom.y != 0) continue;
      const int iw = tw / geom.y;
      if (iw >= W) continue;
      __global const store_t* xp = in + ((n * H + ih) * W + iw) * C + cin0;
      __global const float* wp = w + ((kh * KW + kw) * C + cin0) * COUTG + cog;
      for (int ci = 0; ci < CING; ++ci) acc += LD(xp, ci) * LDW(wp, ci * COUTG);
    }
  }
  if (misc.z) acc += LDW(bias, co);
  ST(out, (noh * OW + ow) * COUT + co, oqnn_act(acc, misc.w, lo, hi));
}
