// Resize (lower_resize.cpp): NHWC, separable taps per output row and column given as
// (source index, weight) float pairs; index -1 marks a source outside the input
// (tf_crop_and_resize), which gives `extrapolation`.
__kernel void resize_nhwc(__global const store_t* in, __global store_t* out,
                          __global const float* taps_h, __global const float* taps_w,
                          int taps, int4 in_dims, int2 out_hw, float extrapolation, int total) {
  const int i = get_global_id(0);
  if (i >= total) return;
  const int c = in_dims.z;
  const int ch = i % c, ox = i / c % out_hw.y, oy = i / c / out_hw.y % out_hw.x;
  const int b = i / c / out_hw.y / out_hw.x;
  __global const float* th = taps_h + 2 * oy * taps;
  __global const float* tw = taps_w + 2 * ox * taps;
  if (th[0] < 0.0f || tw[0] < 0.0f) {
    ST(out, i, extrapolation);
    return;
  }
  float acc = 0.0f;
  for (int ky = 0; ky < taps; ++ky) {
    const int row = (b * in_dims.x + (int)th[2 * ky]) * in_dims.y;
    for (int kx = 0; kx < taps; ++kx)
      acc += th[2 * ky + 1] * tw[2 * kx + 1] * LD(in, (row + (int)tw[2 * kx]) * c + ch);
  }
  ST(out, i, acc);
}
