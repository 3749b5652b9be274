// 2-D pooling over NHWC. One work-item per output element; dimension 0 runs over channels.
// Windows start at o * stride - pad_before. Max ignores padding. Average divides by the
// number of input elements in the window, or with count_pad_for_edges by the full filter
// size, padding and ceil-mode overhang included (as onnxruntime's count_include_pad=1).

__kernel void pool_max2d_nhwc(__global const store_t* in, __global store_t* out,
                              int4 in_shape, int4 out_shape,
                              int4 win,    // filter h, filter w, stride h, stride w
                              int4 pads) { // top, bottom, left, right
  const int c = get_global_id(0);
  const int ow = get_global_id(1);
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z;
  if (c >= C || ow >= OW || noh >= out_shape.x * OH) return;
  const int n = noh / OH, oh = noh - n * OH;
  const int h0 = oh * win.z - pads.x, w0 = ow * win.w - pads.z;
  const int hs = max(h0, 0), he = min(h0 + win.x, H);
  const int ws = max(w0, 0), we = min(w0 + win.y, W);
  float m = -INFINITY;
  for (int ih = hs; ih < he; ++ih)
    for (int iw = ws; iw < we; ++iw) m = fmax(m, LD(in, ((n * H + ih) * W + iw) * C + c));
  ST(out, (noh * OW + ow) * C + c, m);
}

__kernel void pool_avg2d_nhwc(__global const store_t* in, __global store_t* out,
                              int4 in_shape, int4 out_shape, int4 win, int4 pads,
                              int count_pad) {
  const int c = get_global_id(0);
  const int ow = get_global_id(1);
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z;
  if (c >= C || ow >= OW || noh >= out_shape.x * OH) return;
  const int n = noh / OH, oh = noh - n * OH;
  const int h0 = oh * win.z - pads.x, w0 = ow * win.w - pads.z;
  const int hs = max(h0, 0), he = min(h0 + win.x, H);
  const int ws = max(w0, 0), we = min(w0 + win.y, W);
  float s = 0.0f;
  for (int ih = hs; ih < he; ++ih)
    for (int iw = ws; iw < we; ++iw) s += LD(in, ((n * H + ih) * W + iw) * C + c);
  const int count = count_pad ? win.x * win.y : (he - hs) * (we - ws);
  ST(out, (noh * OW + ow) * C + c, count > 0 ? s / (float)count : 0.0f);
}
