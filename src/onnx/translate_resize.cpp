// ONNX Resize (opsets 10-19) and Upsample (7-9) → Resize on the channel-last twin. Scales,
// sizes and roi must be constant; the output size and per-axis scale are resolved here
// (ONNX maps coordinates with the given scale, or with size / input size when sizes are
// given), as are opset 10's and Upsample's conventions (asymmetric coordinates; nearest
// truncates when up-sampling and rounds up when down-sampling, as onnxruntime does).
#include <cmath>

#include "onnx/layout.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

struct Spatial {
  std::vector<double> scale;  // per ONNX axis
  std::vector<int64_t> size;
};

// Scales or sizes over all axes (or `axes`, opset 18) → per-axis scale and output size.
Expected<Spatial> resolve(const OnnxNode& n, const ir::Shape& x, const ConstTensor* scales,
                          const ConstTensor* sizes) {
  const size_t rank = x.size();
  std::vector<int64_t> axes = n.attr_ints("axes");
  if (axes.empty())
    for (size_t d = 0; d < rank; ++d) axes.push_back(static_cast<int64_t>(d));
  for (int64_t& a : axes) {
    if (a < 0) a += static_cast<int64_t>(rank);
    if (a < 0 || a >= static_cast<int64_t>(rank)) return n.bad_input("axes out of range");
  }
  Spatial s{std::vector<double>(rank, 1.0), x};
  if (scales && scales->numel() > 0) {
    auto v = to_doubles(*scales);
    if (v.size() != axes.size()) return n.bad_input("scales must have one value per axis");
    for (size_t i = 0; i < axes.size(); ++i) {
      if (!(v[i] > 0)) return n.bad_input("scales must be > 0");
      const auto a = static_cast<size_t>(axes[i]);
      s.scale[a] = v[i];
      s.size[a] = static_cast<int64_t>(std::floor(static_cast<double>(x[a]) * v[i]));
    }
    return s;
  }
  if (!sizes || sizes->numel() == 0) return n.bad_input("one of scales and sizes must be given");
  auto v = to_ints(*sizes);
  if (v.size() != axes.size()) return n.bad_input("sizes must have one value per axis");
  const std::string policy = n.attr_string("keep_aspect_ratio_policy", "stretch");
  if (policy != "stretch" && policy != "not_larger" && policy != "not_smaller")
    return n.bad_input("keep_aspect_ratio_policy '" + policy + "' is not valid");
  double common = policy == "not_larger" ? INFINITY : 0.0;
  for (size_t i = 0; i < axes.size(); ++i) {
    if (v[i] < 1) return n.bad_input("sizes must be >= 1");
    const double r =
        static_cast<double>(v[i]) / static_cast<double>(x[static_cast<size_t>(axes[i])]);
    common = policy == "not_larger" ? std::min(common, r) : std::max(common, r);
  }
  for (size_t i = 0; i < axes.size(); ++i) {
    const auto a = static_cast<size_t>(axes[i]);
    if (policy == "stretch") {
      s.size[a] = v[i];
      s.scale[a] = static_cast<double>(v[i]) / static_cast<double>(x[a]);
    } else {
      s.scale[a] = common;
      s.size[a] = static_cast<int64_t>(std::round(static_cast<double>(x[a]) * common));
    }
  }
  return s;
}

const ConstTensor* optional_const(ImportContext& ctx, const OnnxNode& n, size_t i,
                                  const std::string& role, Status& st) {
  if (!n.has_input(i)) return nullptr;
  auto c = const_input(ctx, n, i, role);
  if (!c) {
    st = c.error();
    return nullptr;
  }
  return *c;
}

Status translate_resize(ImportContext& ctx, const OnnxNode& n) {
  const bool upsample = n.op_type() == "Upsample";
  const bool legacy = upsample || n.opset() < 11;
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  const ir::Shape xs = ctx.graph.tensor(x).shape;
  if (xs.size() != 4)
    return n.unsupported("only 2-D (rank 4) resizing is supported, input has shape " +
                         ir::shape_str(xs));
  if (n.attr_int("antialias", 0) != 0) return n.unsupported("antialias=1 is not supported");
  Status st = Status::ok();
  const ConstTensor *scales = nullptr, *sizes = nullptr, *roi = nullptr;
  std::optional<ConstTensor> attr_scales;
  if (upsample && n.opset() < 9) {
    auto v = n.attr_floats("scales");
    attr_scales = make_const_doubles(ir::DataType::kFloat32, {static_cast<int64_t>(v.size())}, v);
    scales = &*attr_scales;
  } else if (legacy) {
    scales = optional_const(ctx, n, 1, "scales", st);
  } else {
    roi = optional_const(ctx, n, 1, "roi", st);
    scales = optional_const(ctx, n, 2, "scales", st);
    sizes = optional_const(ctx, n, 3, "sizes", st);
  }
  OQNN_RETURN_IF_ERROR(st);
  OQNN_ASSIGN_OR_RETURN(Spatial s, resolve(n, xs, scales, sizes));
  if (s.scale[0] != 1.0 || s.scale[1] != 1.0 || s.size[0] != xs[0] || s.size[1] != xs[1])
    return n.unsupported("resizing the batch or channel axis is not supported");
  std::string mode = n.attr_string("mode", "nearest");
  if (mode == "bilinear") mode = "linear";  // Upsample-7's spelling
  ir::Params p;
  p.set("out_size", std::vector<int64_t>{s.size[2], s.size[3]});
  p.set("scale", std::vector<double>{s.scale[2], s.scale[3]});
  p.set("mode", mode);
  if (legacy) {
    p.set("coordinate_transformation_mode", std::string("asymmetric"));
    const bool down = s.scale[2] < 1 || s.scale[3]<1, up = s.scale[2]> 1 || s.scale[3] > 1;
    if (mode == "nearest" && down && up)
      return n.unsupported("nearest resizing up on one axis and down on the other");
    p.set("nearest_mode", std::string(down ? "ceil" : "floor"));
  } else {
    const std::string ct = n.attr_string("coordinate_transformation_mode", "half_pixel");
    p.set("coordinate_transformation_mode", ct);
    p.set("nearest_mode", n.attr_string("nearest_mode", "round_prefer_floor"));
    p.set("cubic_coeff_a", n.attr_float("cubic_coeff_a", -0.75));
    p.set("exclude_outside", n.attr_int("exclude_outside", 0));
    p.set("extrapolation_value", n.attr_float("extrapolation_value", 0.0));
    if (ct == "tf_crop_and_resize") {
      // roi: starts then ends, over all axes or over `axes` (opset 18)
      std::vector<int64_t> axes = n.attr_ints("axes");
      if (axes.empty()) axes = {0, 1, 2, 3};
      for (int64_t& a : axes) a = a < 0 ? a + 4 : a;
      const auto na = static_cast<int64_t>(axes.size());
      if (!roi || roi->numel() != 2 * na)
        return n.bad_input("tf_crop_and_resize needs an roi of " + std::to_string(2 * na) +
                           " values");
      auto r = to_doubles(*roi);
      std::vector<double> full = {0, 0, 0, 0, 1, 1, 1, 1};
      for (int64_t i = 0; i < na; ++i) {
        full[static_cast<size_t>(axes[static_cast<size_t>(i)])] = r[static_cast<size_t>(i)];
        full[static_cast<size_t>(4 + axes[static_cast<size_t>(i)])] =
            r[static_cast<size_t>(na + i)];
      }
      p.set("roi", std::vector<double>{full[2], full[3], full[6], full[7]});
    }
  }
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  return emit_channel_last(ctx, n, "Resize", {xl}, std::move(p));
}

}  // namespace

void register_resize_translators(std::vector<Translator>& out) {
  out.push_back({"Resize", translate_resize});
  out.push_back({"Upsample", translate_resize});
}

}  // namespace oqnn::onnx_import
