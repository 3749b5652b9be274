// Resize (NHWC) with ONNX semantics, separable over H and W: each output row and column
// gets its source taps and weights at finalize (computed in double, as ONNX's reference
// does), uploaded as float pairs (source index, weight) that resize_nhwc sums over.
// Nearest has 1 tap, linear 2, cubic 4; taps outside the input clamp to the edge, or with
// exclude_outside get weight 0 and the rest renormalized; under tf_crop_and_resize a row
// or column whose source lies outside the input has index -1 (extrapolation_value).
#include <algorithm>
#include <array>
#include <cmath>

#include "backends/gpu/lowering.h"

namespace oqnn::gpu {
namespace {

struct ResizeAxis {
  int64_t in, out;
  double scale, roi_start, roi_end;
};

// ONNX maps output coordinate y to the input with the real-valued length scale * in.
double source_coord(const std::string& ct, const ResizeAxis& a, int64_t y) {
  const double yd = static_cast<double>(y), in = static_cast<double>(a.in);
  const double len = a.scale * in;
  if (ct == "asymmetric") return yd / a.scale;
  if (ct == "align_corners") return len == 1 ? 0.0 : yd * (in - 1) / (len - 1);
  if (ct == "pytorch_half_pixel") return len == 1 ? -0.5 : (yd + 0.5) / a.scale - 0.5;
  if (ct == "tf_crop_and_resize") {
    const double span = (a.roi_end - a.roi_start) * (in - 1);
    return a.roi_start * (in - 1) + (len == 1 ? span / 2 : yd * span / (len - 1));
  }
  if (ct == "half_pixel_symmetric") {
    const double offset = in / 2 * (1 - static_cast<double>(a.out) / len);
    return offset + (yd + 0.5) / a.scale - 0.5;
  }
  return (yd + 0.5) / a.scale - 0.5;  // half_pixel
}

int64_t round_nearest(const std::string& mode, double x) {
  const double f = std::floor(x);
  if (mode == "floor") return static_cast<int64_t>(f);
  if (mode == "ceil") return static_cast<int64_t>(std::ceil(x));
  if (x - f == 0.5) return static_cast<int64_t>(mode == "round_prefer_ceil" ? f + 1 : f);
  return static_cast<int64_t>(std::round(x));
}

// Keys' cubic convolution weights of the 4 taps around a point at fraction r.
std::array<double, 4> keys_weights(double r, double a) {
  auto w = [a](double t) {
    t = std::fabs(t);
    if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
    if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
    return 0.0;
  };
  return {w(r + 1), w(r), w(1 - r), w(2 - r)};
}

// (index, weight) pairs, `taps` per output position.
std::vector<float> axis_taps(const ir::Params& p, const ResizeAxis& a, int taps) {
  const std::string mode = p.get_string("mode", "nearest");
  const std::string ct = p.get_string("coordinate_transformation_mode", "half_pixel");
  const std::string nm = p.get_string("nearest_mode", "round_prefer_floor");
  const double cubic_a = p.get_float("cubic_coeff_a", -0.75);
  const bool exclude = p.get_int("exclude_outside", 0) != 0;
  std::vector<float> out;
  for (int64_t y = 0; y < a.out; ++y) {
    const double x = source_coord(ct, a, y);
    const bool outside = ct == "tf_crop_and_resize" && (x < 0 || x > static_cast<double>(a.in - 1));
    std::array<double, 4> w{1, 0, 0, 0};
    int64_t first = round_nearest(nm, x);
    if (mode != "nearest") {
      const double x0 = std::floor(x), r = x - x0;
      first = static_cast<int64_t>(x0) - (taps == 2 ? 0 : 1);
      w = taps == 2 ? std::array<double, 4>{1 - r, r, 0, 0} : keys_weights(r, cubic_a);
      if (exclude) {
        double sum = 0;
        for (int k = 0; k < taps; ++k) {
          if (first + k < 0 || first + k >= a.in) w[static_cast<size_t>(k)] = 0;
          sum += w[static_cast<size_t>(k)];
        }
        if (sum != 0)
          for (double& v : w) v /= sum;
      }
    }
    for (int k = 0; k < taps; ++k) {
      const int64_t i = std::clamp<int64_t>(first + k, 0, a.in - 1);
      out.push_back(outside ? -1.0f : static_cast<float>(i));
      out.push_back(static_cast<float>(w[static_cast<size_t>(k)]));
    }
  }
  return out;
}

Status lower_resize(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& y = l.graph.tensor(n.outputs[0]).shape;
  if (x[1] > (int64_t{1} << 24) || x[2] > (int64_t{1} << 24))
    return unsupported("node '" + n.name + "' (Resize): input dims above 2^24");
  auto scale = n.params.get_floats("scale");
  auto roi = n.params.get_floats("roi", {0, 0, 1, 1});
  if (roi.size() != 4) roi = {0, 0, 1, 1};
  const std::string mode = n.params.get_string("mode", "nearest");
  const int taps = mode == "nearest" ? 1 : mode == "linear" ? 2 : 4;
  OQNN_ASSIGN_OR_RETURN(
      int th, l.constant(axis_taps(n.params, {x[1], y[1], scale[0], roi[0], roi[2]}, taps)));
  OQNN_ASSIGN_OR_RETURN(
      int tw, l.constant(axis_taps(n.params, {x[2], y[2], scale[1], roi[1], roi[3]}, taps)));
  int64_t total = ir::num_elements(y);
  Launch k;
  k.kernel = "resize_nhwc";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_buffer(th),
            arg_buffer(tw),
            arg_int(taps),
            arg_ints({x[1], x[2], x[3]}),
            arg_ints({y[1], y[2]}),
            arg_float(n.params.get_float("extrapolation_value", 0.0)),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

}  // namespace

void add_resize_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"Resize", lower_resize});
}

}  // namespace oqnn::gpu
