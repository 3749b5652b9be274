// 2-D pooling over NHWC. One work-item per output element; dimension 0 runs over channels.
// Windows start at o * stride - pad_before. Max ignores padding. Average divides by the
// number of input elements in the window, or with count_pad_for_edges by the full filter
// size, padding and ceil-mode overhang included (as onnxruntime's count_include_pad=1).
// L2 is the square root of the window's sum of squares (padding adds zeros).

// The window of this work-item's output element clipped to the input: rows [hs, he),
// columns [ws, we) of image n, channel c, output index o; false past the output.
typedef struct {
  int n, c, o, hs, he, ws, we;
} PoolWindow;

inline bool pool_window(int4 in_shape, int4 out_shape,
                        int4 win,   // filter h, filter w, stride h, stride w
                        int4 pads,  // top, bottom, left, right
                        PoolWindow* p) {
  const int c = get_global_id(0);
  const int ow = get_global_id(1);
  const int noh = get_global_id(2);
  const int H = in_shape.y, W = in_shape.z, C = in_shape.w;
  const int OH = out_shape.y, OW = out_shape.z;
  if (c >= C || ow >= OW || noh >= out_shape.x * OH) return false;
  const int n = noh / OH, oh = noh - n * OH;
  const int h0 = oh * win.z - pads.x, w0 = ow * win.w - pads.z;
  p->n = n, p->c = c, p->o = (noh * OW + ow) * C + c;
  p->hs = max(h0, 0), p->he = min(h0 + win.x, H);
  p->ws = max(w0, 0), p->we = min(w0 + win.y, W);
  return true;
}

#define POOL_AT(p, ih, iw) ((((p).n * in_shape.y + (ih)) * in_shape.z + (iw)) * in_shape.w + (p).c)

__kernel void pool_max2d_nhwc(__global const store_t* in, __global store_t* out,
                              int4 in_shape, int4 out_shape, int4 win, int4 pads) {
  PoolWindow p;
  if (!pool_window(in_shape, out_shape, win, pads, &p)) return;
  float m = -INFINITY;
  for (int ih = p.hs; ih < p.he; ++ih)
    for (int iw = p.ws; iw < p.we; ++iw) m = fmax(m, LD(in, POOL_AT(p, ih, iw)));
  ST(out, p.o, m);
}

__kernel void pool_avg2d_nhwc(__global const store_t* in, __global store_t* out,
                              int4 in_shape, int4 out_shape, int4 win, int4 pads,
                              int count_pad) {
  PoolWindow p;
  if (!pool_window(in_shape, out_shape, win, pads, &p)) return;
  float s = 0.0f;
  for (int ih = p.hs; ih < p.he; ++ih)
    for (int iw = p.ws; iw < p.we; ++iw) s += LD(in, POOL_AT(p, ih, iw));
  const int count = count_pad ? win.x * win.y : (p.he - p.hs) * (p.we - p.ws);
  ST(out, p.o, count > 0 ? s / (float)count : 0.0f);
}

__kernel void pool_l2_2d_nhwc(__global const store_t* in, __global store_t* out,
                              int4 in_shape, int4 out_shape, int4 win, int4 pads) {
  PoolWindow p;
  if (!pool_window(in_shape, out_shape, win, pads, &p)) return;
  float s = 0.0f;
  for (int ih = p.hs; ih < p.he; ++ih)
    for (int iw = p.ws; iw < p.we; ++iw) {
      const float v = LD(in, POOL_AT(p, ih, iw));
      s += v * v;
    }
  ST(out, p.o, sqrt(s));
}
