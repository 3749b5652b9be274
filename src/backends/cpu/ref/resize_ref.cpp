// Resize (channel-last [N, spatial..., C]) as the ONNX reference computes it: each output
// coordinate maps to x_original in the input, which picks 2k neighbours f-k+1..f+k around
// f = floor(x_original) (x_original - 1 when it is integral, so the ratio lies in (0, 1]),
// weighted by the mode's coefficients; neighbours past the edge repeat the edge value.
// The dims are separable, so each dim gets a table of (index, weight) taps per output
// coordinate, built once when the kernel is made, and a point sums the product of taps.
#include <cmath>
#include <vector>

#include "backends/cpu/kernel_registry.h"

namespace oqnn::cpu {
namespace {

enum Interp { kNearest = 0, kLinear = 1, kCubic = 2 };
enum Transform { kHalfPixel, kPytorchHalfPixel, kAlignCorners, kAsymmetric, kTfCrop, kSymmetric };
enum Nearest { kPreferFloor, kPreferCeil, kFloor, kCeil, kSimple };

struct ResizeSpec {
  int64_t interp = 0, transform = 0, nearest = 0;
  double cubic_a = -0.75, extrapolation = 0;
  bool exclude_outside = false, antialias = false;
};

struct DimTaps {
  int64_t in = 0, out = 0, count = 0;  // count taps per output coordinate
  std::vector<int64_t> idx;            // [out * count], clamped to [0, in)
  std::vector<double> w;
  std::vector<char> outside;  // [out]: tf_crop_and_resize point outside the input
};

double x_original(const ResizeSpec& s, double x, int64_t in, int64_t out_int, double scale,
                  double roi0, double roi1) {
  const double out_w = scale * static_cast<double>(in);  // not rounded, as ONNX does
  switch (s.transform) {
    case kAlignCorners:
      return out_w == 1 ? 0.0 : x * static_cast<double>(in - 1) / (out_w - 1);
    case kAsymmetric:
      return x / scale;
    case kTfCrop:
      return (out_w == 1 ? (roi1 - roi0) * static_cast<double>(in - 1) / 2
                         : x * (roi1 - roi0) * static_cast<double>(in - 1) / (out_w - 1)) +
             roi0 * static_cast<double>(in - 1);
    case kPytorchHalfPixel:
      return out_w == 1 ? -0.5 : (x + 0.5) / scale - 0.5;
    case kSymmetric: {
      const double offset =
          static_cast<double>(in) / 2 * (1 - static_cast<double>(out_int) / out_w);
      return offset + (x + 0.5) / scale - 0.5;
    }
    default:
      return (x + 0.5) / scale - 0.5;
  }
}

double cubic(double x, double a) {
  x = std::abs(x);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

// Coefficients for the neighbours at offsets 1-k..k from f (k = size / 2); `ratio` in (0, 1].
std::vector<double> coefficients(const ResizeSpec& s, double ratio, double scale) {
  if (s.interp == kNearest) {
    bool ceil_side = ratio == 1;
    if (!ceil_side) switch (s.nearest) {
        case kPreferFloor:
          ceil_side = ratio > 0.5;
          break;
        case kPreferCeil:
          ceil_side = ratio >= 0.5;
          break;
        case kFloor:
          ceil_side = false;
          break;
        case kCeil:
          ceil_side = true;
          break;
        default:
          ceil_side = scale < 1;
          break;  // simple: ceil when downscaling
      }
    return {ceil_side ? 0.0 : 1.0, ceil_side ? 1.0 : 0.0};
  }
  // Antialiasing widens the filter by 1/scale when downscaling.
  const double sc = s.antialias ? std::min(scale, 1.0) : 1.0;
  const double support = s.interp == kLinear ? 1.0 : 2.0;
  const int64_t start = static_cast<int64_t>(std::floor(-support / sc)) + 1;
  std::vector<double> c;
  double sum = 0;
  for (int64_t j = start; j <= 1 - start; ++j) {
    double t = (static_cast<double>(j) - ratio) * sc;
    c.push_back(s.interp == kLinear ? std::max(0.0, 1 - std::abs(t)) : cubic(t, s.cubic_a));
    sum += c.back();
  }
  if (s.antialias)
    for (double& v : c) v /= sum;
  return c;
}

DimTaps dim_taps(const ResizeSpec& s, int64_t in, int64_t out, double scale, double roi0,
                 double roi1) {
  DimTaps t;
  t.in = in;
  t.out = out;
  t.outside.assign(static_cast<size_t>(out), 0);
  for (int64_t o = 0; o < out; ++o) {
    const double xo = x_original(s, static_cast<double>(o), in, out, scale, roi0, roi1);
    if (s.transform == kTfCrop && (xo < 0 || xo > static_cast<double>(in - 1))) t.outside[o] = 1;
    double f = std::floor(xo);
    if (f == xo) f -= 1;
    std::vector<double> c = coefficients(s, xo - f, scale);
    const int64_t k = static_cast<int64_t>(c.size()) / 2;
    if (t.count == 0) t.count = static_cast<int64_t>(c.size());
    double kept = 0;
    for (int64_t j = 0; j < t.count; ++j) {
      const int64_t i = static_cast<int64_t>(f) - k + 1 + j;
      if (s.exclude_outside && (i < 0 || i >= in)) c[j] = 0;
      kept += c[j];
      t.idx.push_back(std::clamp<int64_t>(i, 0, in - 1));
      t.w.push_back(c[j]);
    }
    if (s.exclude_outside && kept != 0)
      for (int64_t j = 0; j < t.count; ++j) t.w[o * t.count + j] /= kept;
  }
  return t;
}

struct ResizePlan {
  int64_t batch = 0, channels = 0;
  std::vector<DimTaps> dims;
  double extrapolation = 0;
};

// Adds the taps of dims d.. for output point `o` (channel vectors weighted by the product).
void accumulate(const ResizePlan& p, size_t d, const int64_t* o, int64_t offset, double weight,
                const float* x, double* acc) {
  if (d == p.dims.size()) {
    const float* px = x + offset * p.channels;
    for (int64_t c = 0; c < p.channels; ++c) acc[c] += weight * px[c];
    return;
  }
  const DimTaps& t = p.dims[d];
  for (int64_t j = 0; j < t.count; ++j) {
    const double w = t.w[o[d] * t.count + j];
    if (w == 0) continue;  // also keeps an unused inf/NaN neighbour out of nearest
    accumulate(p, d + 1, o, offset * t.in + t.idx[o[d] * t.count + j], weight * w, x, acc);
  }
}

void resize_f32(const ResizePlan& p, const float* x, float* y) {
  int64_t in_pixels = 1, out_pixels = 1;
  for (const DimTaps& t : p.dims) in_pixels *= t.in, out_pixels *= t.out;
  std::vector<int64_t> o(p.dims.size(), 0);
  std::vector<double> acc(static_cast<size_t>(p.channels));
  for (int64_t n = 0; n < p.batch; ++n)
    for (int64_t q = 0; q < out_pixels; ++q) {
      int64_t rest = q;  // q → spatial output coordinates, last dim fastest
      bool outside = false;
      for (size_t d = p.dims.size(); d-- > 0;) {
        o[d] = rest % p.dims[d].out;
        rest /= p.dims[d].out;
        outside = outside || p.dims[d].outside[o[d]];
      }
      float* py = y + (n * out_pixels + q) * p.channels;
      if (outside) {
        std::fill(py, py + p.channels, static_cast<float>(p.extrapolation));
        continue;
      }
      std::fill(acc.begin(), acc.end(), 0.0);
      accumulate(p, 0, o.data(), 0, 1.0, x + n * in_pixels * p.channels, acc.data());
      for (int64_t c = 0; c < p.channels; ++c) py[c] = static_cast<float>(acc[c]);
    }
}

ResizeSpec resize_spec(const ir::Node& n) {
  ResizeSpec s;
  s.interp = n.params.get_int("interpolation_mode", 0);
  s.transform = n.params.get_int("transformation_mode", 0);
  s.nearest = n.params.get_int("nearest_mode", 0);
  s.cubic_a = n.params.get_float("cubic_coeff", -0.75);
  s.exclude_outside = n.params.get_int("exclude_outside", 0) != 0;
  s.antialias = n.params.get_int("antialias", 0) != 0;
  s.extrapolation = n.params.get_float("extrapolation_value", 0.0);
  return s;
}

Expected<KernelPtr> make_resize(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  const ir::Shape& y = shape_of(g, n.outputs[0]);
  const size_t sp = x.size() - 2;
  const ResizeSpec s = resize_spec(n);
  auto scale = n.params.get_floats("scale");
  auto roi = n.params.get_floats("roi");
  ResizePlan p;
  p.batch = x[0];
  p.channels = x.back();
  p.extrapolation = s.extrapolation;
  for (size_t d = 0; d < sp; ++d) {
    const double sc =
        scale.empty() ? static_cast<double>(y[d + 1]) / static_cast<double>(x[d + 1]) : scale[d];
    const double r0 = roi.empty() ? 0.0 : roi[d], r1 = roi.empty() ? 1.0 : roi[sp + d];
    p.dims.push_back(dim_taps(s, x[d + 1], y[d + 1], sc, r0, r1));
  }
  return make_fn_kernel([p = std::move(p)](std::span<const rt::HostTensor> in,
                                           std::span<const rt::HostTensor> out,
                                           const rt::KernelContext&) {
    resize_f32(p, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

void register_resize_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"Resize", make_resize, nullptr, "float32", "any rank; all ONNX Resize modes"});
}

}  // namespace oqnn::cpu
