// Shared by every kernel: the storage type of device buffers and the fused activations.
// Activation buffers hold fp16 (OQNN_HALF) or fp32; arithmetic and accumulation are always
// fp32, so results do not depend on whether the device has cl_khr_fp16. Weights and biases
// of Conv2d, DepthWiseConv2d and FullyConnected are float in both precisions (LDW): they
// are read once per output tile, and rounding them to fp16 costs as much accuracy as
// rounding every activation does.
#ifdef OQNN_HALF
typedef half store_t;
typedef ushort store_bits_t;  // for bit-exact copies: half has no loads without cl_khr_fp16
#define LD(p, i) vload_half((i), (p))
#define ST(p, i, v) vstore_half_rte((v), (i), (p))
#define LD8(p, i) vload_half8(0, (p) + (i))
#define ST8(p, i, v) vstore_half8_rte((v), 0, (p) + (i))
#else
typedef float store_t;
typedef uint store_bits_t;
#define LD(p, i) ((p)[i])
#define ST(p, i, v) ((p)[i] = (v))
#define LD8(p, i) vload8(0, (p) + (i))
#define ST8(p, i, v) vstore8((v), 0, (p) + (i))
#endif
#define LDW(p, i) ((p)[i])
#define LDW8(p, i) vload8(0, (p) + (i))

// Fused activation of Conv2d, DepthWiseConv2d and FullyConnected: 0 none, 1 relu, 2 clip.
inline float oqnn_act(float v, int act, float lo, float hi) {
  if (act == 1) return fmax(v, 0.0f);
  if (act == 2) return fmin(fmax(v, lo), hi);
  return v;
}

inline float8 oqnn_act8(float8 v, int act, float lo, float hi) {
  if (act == 1) return fmax(v, 0.0f);
  if (act == 2) return fmin(fmax(v, lo), hi);
  return v;
}

// OpenCL C 1.2 has no run-time vector subscripts: shape vectors are unpacked into arrays.
#define UNPACK8(vec, arr) \
  int arr[8];             \
  vstore8((vec), 0, arr)
