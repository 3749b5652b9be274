// RoiAlign (NHWC) as the CPU reference (src/backends/cpu/ref/roi_ref.cpp) computes it, in
// float: box r, scaled by the ratio (and shifted by -0.5 when aligned), is cut into
// OH x OW bins, each sampled on a `sampling` (0: ceil(bin size), at most 1024) grid per
// axis at the sub-cell centres. A sample more than a pixel outside the image adds 0; else
// it is clamped in and read bilinearly. avg divides by the sample count; max takes the
// largest weighted corner over all samples. A batch index outside [0, N) records the node
// in the index-error flag and writes 0. One work-item per output element (dimension 0:
// channels).
__kernel void roi_align_nhwc(__global const store_t* in, __global const store_t* rois,
                             __global const int* batch, __global store_t* out,
                             __global int* flag, int node,
                             int4 in_shape,  // N, H, W, C
                             int4 geom,      // R, OH, OW, sampling ratio
                             int4 mode,      // aligned, max, unused, unused
                             float ratio_h, float ratio_w) {
  const int c = get_global_id(0);
  const int pw = get_global_id(1);
  const int rph = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = geom.y, OW = geom.z;
  if (c >= C || pw >= OW || rph >= geom.x * OH) return;
  const int r = rph / OH, ph = rph - r * OH;
  const int o = (rph * OW + pw) * C + c;
  const int b = batch[r];
  if (b < 0 || b >= in_shape.x) {
    atomic_cmpxchg(flag, 0, node + 1);
    ST(out, o, 0.0f);
    return;
  }
  const float offset = mode.x ? 0.5f : 0.0f;
  const float x1 = LD(rois, r * 4) * ratio_w - offset, y1 = LD(rois, r * 4 + 1) * ratio_h - offset;
  const float x2 = LD(rois, r * 4 + 2) * ratio_w - offset;
  const float y2 = LD(rois, r * 4 + 3) * ratio_h - offset;
  float rh = y2 - y1, rw = x2 - x1;
  if (!mode.x) {
    rh = fmax(rh, 1.0f);
    rw = fmax(rw, 1.0f);
  }
  const float bin_h = rh / (float)OH, bin_w = rw / (float)OW;
  const int gh = geom.w > 0 ? geom.w : (int)clamp(ceil(bin_h), 0.0f, 1024.0f);
  const int gw = geom.w > 0 ? geom.w : (int)clamp(ceil(bin_w), 0.0f, 1024.0f);
  __global const store_t* img = in + b * H * W * C + c;
  float acc = 0.0f;
  int first = 1;
  for (int iy = 0; iy < gh; ++iy) {
    float y = y1 + (float)ph * bin_h + ((float)iy + 0.5f) * bin_h / (float)gh;
    for (int ix = 0; ix < gw; ++ix) {
      float x = x1 + (float)pw * bin_w + ((float)ix + 0.5f) * bin_w / (float)gw;
      float wt[4] = {0.0f, 0.0f, 0.0f, 0.0f};
      int pos[4] = {0, 0, 0, 0};
      if (!(y < -1.0f || y > (float)H || x < -1.0f || x > (float)W)) {
        float sy = fmax(y, 0.0f), sx = fmax(x, 0.0f);
        int y0 = (int)sy, x0 = (int)sx, y1i = y0 + 1, x1i = x0 + 1;
        if (y0 >= H - 1) {
          y0 = y1i = H - 1;
          sy = (float)y0;
        }
        if (x0 >= W - 1) {
          x0 = x1i = W - 1;
          sx = (float)x0;
        }
        const float ly = sy - (float)y0, lx = sx - (float)x0, hy = 1.0f - ly, hx = 1.0f - lx;
        pos[0] = y0 * W + x0, pos[1] = y0 * W + x1i, pos[2] = y1i * W + x0, pos[3] = y1i * W + x1i;
        wt[0] = hy * hx, wt[1] = hy * lx, wt[2] = ly * hx, wt[3] = ly * lx;
      }
      for (int q = 0; q < 4; ++q) {
        const float v = wt[q] * LD(img, pos[q] * C);
        acc = !mode.y ? acc + v : (first && q == 0) ? v : fmax(acc, v);
      }
      first = 0;
    }
  }
  const float count = (float)max(gh * gw, 1);
  ST(out, o, mode.y ? acc : acc / count);
}
