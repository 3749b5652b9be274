// Resize with ONNX semantics (onnx/reference/ops/op_resize.py), separable over H and W:
// each output row and column gets its source taps and weights once, at kernel creation.
// Coordinates are computed in double; linear and cubic clamp taps to the edge (ONNX pads
// with edge values), exclude_outside drops outside taps and renormalizes, and
// tf_crop_and_resize writes extrapolation_value where the source lies outside the input.
#include <cmath>

#include "backends/cpu/kernel_registry.h"

namespace oqnn::cpu {
namespace {

struct Taps {
  std::vector<int64_t> index;  // per output position: taps_per consecutive source indices
  std::vector<double> weight;
  std::vector<bool> outside;  // tf_crop_and_resize: source outside the input
  int taps = 1;
};

struct AxisSpec {
  int64_t in, out;
  double scale, roi_start, roi_end;
};

// ONNX's formulas use the real-valued output length scale * in (not the integer size).
double source_coord(const std::string& ct, const AxisSpec& a, int64_t y) {
  const double yd = static_cast<double>(y), in = static_cast<double>(a.in);
  const double out = a.scale * in, span = a.roi_end - a.roi_start;
  if (ct == "asymmetric") return yd / a.scale;
  if (ct == "align_corners") return out == 1 ? 0.0 : yd * (in - 1) / (out - 1);
  if (ct == "pytorch_half_pixel") return out == 1 ? -0.5 : (yd + 0.5) / a.scale - 0.5;
  if (ct == "tf_crop_and_resize")
    return a.roi_start * (in - 1) +
           (out == 1 ? span * (in - 1) / 2 : yd * span * (in - 1) / (out - 1));
  if (ct == "half_pixel_symmetric") {
    const double adjustment = static_cast<double>(a.out) / out;
    const double center = in / 2, offset = center * (1 - adjustment);
    return offset + (yd + 0.5) / a.scale - 0.5;
  }
  return (yd + 0.5) / a.scale - 0.5;  // half_pixel
}

int64_t nearest_index(const std::string& nm, double x) {
  double f = std::floor(x);
  if (nm == "floor") return static_cast<int64_t>(f);
  if (nm == "ceil") return static_cast<int64_t>(std::ceil(x));
  if (x - f == 0.5) return static_cast<int64_t>(nm == "round_prefer_ceil" ? f + 1 : f);
  return static_cast<int64_t>(std::round(x));
}

std::vector<double> cubic_coeffs(double r, double a) {
  auto w = [a](double t) {  // Keys' kernel for |t| in [0, 2]
    t = std::fabs(t);
    if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
    if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
    return 0.0;
  };
  return {w(r + 1), w(r), w(1 - r), w(2 - r)};
}

Taps make_taps(const ir::Params& p, const AxisSpec& a) {
  const std::string mode = p.get_string("mode", "nearest");
  const std::string ct = p.get_string("coordinate_transformation_mode", "half_pixel");
  const std::string nm = p.get_string("nearest_mode", "round_prefer_floor");
  const double ca = p.get_float("cubic_coeff_a", -0.75);
  const bool exclude = p.get_int("exclude_outside", 0) != 0;
  Taps t;
  t.taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
  auto clamp = [&](int64_t i) { return std::clamp<int64_t>(i, 0, a.in - 1); };
  for (int64_t y = 0; y < a.out; ++y) {
    const double x = source_coord(ct, a, y);
    t.outside.push_back(ct == "tf_crop_and_resize" && (x < 0 || x > static_cast<double>(a.in - 1)));
    if (mode == "nearest") {
      t.index.push_back(clamp(nearest_index(nm, x)));
      t.weight.push_back(1.0);
      continue;
    }
    const double x0 = std::floor(x), r = x - x0;
    const int64_t first = static_cast<int64_t>(x0) - (mode == "linear" ? 0 : 1);
    std::vector<double> c = mode == "linear" ? std::vector<double>{1 - r, r} : cubic_coeffs(r, ca);
    if (exclude) {
      double sum = 0;
      for (int k = 0; k < t.taps; ++k) {
        const int64_t i = first + k;
        if (i < 0 || i >= a.in) c[static_cast<size_t>(k)] = 0;
        sum += c[static_cast<size_t>(k)];
      }
      if (sum != 0)
        for (double& v : c) v /= sum;
    }
    for (int k = 0; k < t.taps; ++k) {
      t.index.push_back(clamp(first + k));
      t.weight.push_back(c[static_cast<size_t>(k)]);
    }
  }
  return t;
}

Expected<KernelPtr> make_resize(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  auto scale = n.params.get_floats("scale");
  auto roi = n.params.get_floats("roi", {0, 0, 1, 1});
  if (roi.size() != 4) roi = {0, 0, 1, 1};
  Taps th = make_taps(n.params, {x[1], y[1], scale[0], roi[0], roi[2]});
  Taps tw = make_taps(n.params, {x[2], y[2], scale[1], roi[1], roi[3]});
  const float extrapolation = static_cast<float>(n.params.get_float("extrapolation_value", 0.0));
  return make_fn_kernel([th, tw, extrapolation](std::span<const rt::HostTensor> in,
                                                std::span<const rt::HostTensor> out,
                                                const rt::KernelContext&) {
    const ir::Shape& xs = in[0].info->shape;
    const ir::Shape& ys = out[0].info->shape;
    const int64_t hi = xs[1], wi = xs[2], c = xs[3], ho = ys[1], wo = ys[2];
    const float* src = in[0].as<const float>();
    float* dst = out[0].as<float>();
    std::vector<double> acc(static_cast<size_t>(c));
    for (int64_t b = 0; b < xs[0]; ++b)
      for (int64_t oy = 0; oy < ho; ++oy)
        for (int64_t ox = 0; ox < wo; ++ox) {
          float* o = dst + ((b * ho + oy) * wo + ox) * c;
          if (th.outside[static_cast<size_t>(oy)] || tw.outside[static_cast<size_t>(ox)]) {
            std::fill(o, o + c, extrapolation);
            continue;
          }
          std::fill(acc.begin(), acc.end(), 0.0);
          for (int ky = 0; ky < th.taps; ++ky) {
            const size_t iy = static_cast<size_t>(oy * th.taps + ky);
            for (int kx = 0; kx < tw.taps; ++kx) {
              const size_t ix = static_cast<size_t>(ox * tw.taps + kx);
              const double w = th.weight[iy] * tw.weight[ix];
              const float* s = src + ((b * hi + th.index[iy]) * wi + tw.index[ix]) * c;
              for (int64_t ch = 0; ch < c; ++ch) acc[static_cast<size_t>(ch)] += w * s[ch];
            }
          }
          for (int64_t ch = 0; ch < c; ++ch)
            o[ch] = static_cast<float>(acc[static_cast<size_t>(ch)]);
        }
    return Status::ok();
  });
}

}  // namespace

void register_resize_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"Resize", make_resize, nullptr, "float32", ""});
}

}  // namespace oqnn::cpu
