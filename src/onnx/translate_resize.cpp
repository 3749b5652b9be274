// Resize (opset 10..19) and the deprecated Upsample → Resize on the channel-last twin.
// scales/sizes/roi must be constant (shape subgraphs are folded before, so exported
// "compute the size from Shape" chains qualify). Only the spatial dims (2..) may change:
// resizing the batch or channel dim is unsupported. Resize-10 and Upsample use the
// asymmetric transform with onnxruntime's "simple" nearest rounding.
#include <cmath>
#include <numeric>

#include "onnx/layout.h"
#include "onnx/shape_rules.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

int64_t index_of(const std::vector<std::string>& names, const std::string& v) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == v) return static_cast<int64_t>(i);
  return -1;
}

const std::vector<std::string> kModes = {"nearest", "linear", "cubic"};
const std::vector<std::string> kTransforms = {"half_pixel",         "pytorch_half_pixel",
                                              "align_corners",      "asymmetric",
                                              "tf_crop_and_resize", "half_pixel_symmetric"};
const std::vector<std::string> kNearestModes = {"round_prefer_floor", "round_prefer_ceil", "floor",
                                                "ceil"};

bool legacy(const OnnxNode& n) {
  return n.op_type() == "Upsample" || n.opset() < 11;
}

Status check_resize(const OnnxNode& n) {
  std::string mode = n.attr_string("mode", "nearest");
  if (n.op_type() == "Upsample" && mode == "bilinear") mode = "linear";  // Upsample-7 spelling
  if (index_of(kModes, mode) < 0 || (legacy(n) && mode == "cubic"))
    return n.bad_input("unknown mode '" + mode + "'");
  if (!legacy(n)) {
    std::string t = n.attr_string("coordinate_transformation_mode", "half_pixel");
    if (index_of(kTransforms, t) < 0)
      return n.bad_input("unknown coordinate_transformation_mode '" + t + "'");
    std::string nm = n.attr_string("nearest_mode", "round_prefer_floor");
    if (index_of(kNearestModes, nm) < 0) return n.bad_input("unknown nearest_mode '" + nm + "'");
    std::string k = n.attr_string("keep_aspect_ratio_policy", "stretch");
    if (k != "stretch" && k != "not_larger" && k != "not_smaller")
      return n.bad_input("unknown keep_aspect_ratio_policy '" + k + "'");
  }
  if (n.attr_error()) return *n.attr_error();
  return Status::ok();
}

// Reads an optional constant 1-D input; empty when absent or with no elements.
Expected<std::vector<double>> optional_values(ImportContext& ctx, const OnnxNode& n, size_t i,
                                              const std::string& role) {
  if (!n.has_input(i)) return std::vector<double>{};
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* c, const_input(ctx, n, i, role));
  return to_doubles(*c);
}

struct Target {
  std::vector<double> scale;  // per dim of the input
  std::vector<int64_t> size;
};

Expected<std::vector<int64_t>> resize_axes(const OnnxNode& n, size_t rank) {
  std::vector<int64_t> axes = n.attr_ints("axes");
  if (axes.empty()) {
    axes.resize(rank);
    std::iota(axes.begin(), axes.end(), int64_t{0});
  }
  for (int64_t& a : axes) {
    auto v = normalize_axis(a, static_cast<int64_t>(rank));
    if (!v) return n.bad_input("axes value " + std::to_string(a) + " is out of range");
    a = *v;
  }
  return axes;
}

// Output size and scale per dim, as the ONNX reference derives them.
Expected<Target> resize_target(const OnnxNode& n, const ir::Shape& xs,
                               const std::vector<int64_t>& axes, const std::vector<double>& scales,
                               const std::vector<double>& sizes) {
  Target t{std::vector<double>(xs.size(), 1.0), xs};
  const std::vector<double>& given = sizes.empty() ? scales : sizes;
  if (given.size() != axes.size())
    return n.bad_input(std::string(sizes.empty() ? "scales" : "sizes") + " must have " +
                       std::to_string(axes.size()) + " values");
  std::string policy = n.attr_string("keep_aspect_ratio_policy", "stretch");
  double keep = policy == "not_larger" ? 1e300 : 0.0;
  for (size_t i = 0; i < axes.size(); ++i) {
    const double v = given[i], in = static_cast<double>(xs[axes[i]]);
    if (!std::isfinite(v) || v <= 0 || v * in > 1e12)
      return n.bad_input("scales and sizes must be positive and reasonable");
    t.scale[axes[i]] = sizes.empty() ? v : v / in;
    t.size[axes[i]] = sizes.empty() ? static_cast<int64_t>(v * in) : static_cast<int64_t>(v);
    keep = policy == "not_larger" ? std::min(keep, v / in) : std::max(keep, v / in);
  }
  if (!sizes.empty() && policy != "stretch")
    for (int64_t a : axes) {
      t.scale[a] = keep;
      t.size[a] = static_cast<int64_t>(keep * static_cast<double>(xs[a]) + 0.5);
    }
  for (int64_t s : t.size)
    if (s < 1) return n.bad_input("the output would have an empty dimension");
  return t;
}

// tf_crop_and_resize's region, [starts..., ends...] over the spatial dims.
Expected<std::vector<double>> spatial_roi(const OnnxNode& n, const std::vector<double>& roi,
                                          const std::vector<int64_t>& axes, size_t rank) {
  if (roi.size() != 2 * axes.size())
    return n.bad_input("roi must have " + std::to_string(2 * axes.size()) + " values");
  std::vector<double> full(2 * rank, 0.0);
  for (size_t d = 0; d < rank; ++d) full[rank + d] = 1.0;
  for (size_t i = 0; i < axes.size(); ++i) {
    full[axes[i]] = roi[i];
    full[rank + axes[i]] = roi[axes.size() + i];
  }
  if (full[0] != 0 || full[1] != 0 || full[rank] != 1 || full[rank + 1] != 1)
    return n.unsupported("cropping the batch or channel dim is not supported");
  std::vector<double> out(full.begin() + 2, full.begin() + static_cast<int64_t>(rank));
  out.insert(out.end(), full.begin() + static_cast<int64_t>(rank) + 2, full.end());
  return out;
}

ir::Params resize_params(const OnnxNode& n) {
  ir::Params p;
  std::string mode = n.attr_string("mode", "nearest");
  int64_t interp = mode == "bilinear" ? 1 : index_of(kModes, mode);
  p.set("interpolation_mode", interp);
  if (legacy(n)) {
    p.set("transformation_mode", int64_t{3});
    p.set("nearest_mode", int64_t{4});
    return p;
  }
  p.set("transformation_mode",
        index_of(kTransforms, n.attr_string("coordinate_transformation_mode", "half_pixel")));
  p.set("nearest_mode",
        index_of(kNearestModes, n.attr_string("nearest_mode", "round_prefer_floor")));
  p.set("cubic_coeff", n.attr_float("cubic_coeff_a", -0.75));
  p.set("exclude_outside", int64_t{n.attr_int("exclude_outside", 0) != 0});
  p.set("antialias", int64_t{interp != 0 && n.attr_int("antialias", 0) != 0});
  p.set("extrapolation_value", n.attr_float("extrapolation_value", 0.0));
  return p;
}

Status translate_resize(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_resize(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() < 3)
    return n.unsupported("only inputs with spatial dims (rank >= 3) are supported, got " +
                         ir::shape_str(xs));
  if (ctx.graph.tensor(x).dtype != ir::DataType::kFloat32)
    return n.unsupported("only float32 input is supported");
  std::vector<double> scales, sizes, roi;
  if (n.op_type() == "Upsample" && n.opset() < 9) {
    scales = n.attr_floats("scales");
  } else {
    const size_t scales_at = legacy(n) ? 1 : 2;
    OQNN_ASSIGN_OR_RETURN(scales, optional_values(ctx, n, scales_at, "scales"));
    if (!legacy(n)) {
      OQNN_ASSIGN_OR_RETURN(sizes, optional_values(ctx, n, 3, "sizes"));
      OQNN_ASSIGN_OR_RETURN(roi, optional_values(ctx, n, 1, "roi"));
    }
  }
  if (scales.empty() == sizes.empty())
    return n.bad_input("exactly one of scales and sizes must be given");
  OQNN_ASSIGN_OR_RETURN(std::vector<int64_t> axes, resize_axes(n, xs.size()));
  OQNN_ASSIGN_OR_RETURN(Target t, resize_target(n, xs, axes, scales, sizes));
  if (t.size[0] != xs[0] || t.size[1] != xs[1] || t.scale[0] != 1 || t.scale[1] != 1)
    return n.unsupported("resizing the batch or channel dim is not supported");
  ir::Params p = resize_params(n);
  p.set("output_size", std::vector<int64_t>(t.size.begin() + 2, t.size.end()));
  p.set("scale", std::vector<double>(t.scale.begin() + 2, t.scale.end()));
  if (p.get_int("transformation_mode") == 4) {
    OQNN_ASSIGN_OR_RETURN(std::vector<double> r, spatial_roi(n, roi, axes, xs.size()));
    p.set("roi", std::move(r));
  }
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  return emit_channel_last(ctx, n, "Resize", {xl}, std::move(p));
}

}  // namespace

void register_spatial_translators(std::vector<Translator>& out) {
  out.push_back({"Resize", translate_resize, check_resize});
  out.push_back({"Upsample", translate_resize, check_resize});
  register_conv_transpose_translators(out);
}

}  // namespace oqnn::onnx_import
