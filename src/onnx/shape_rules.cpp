#include "onnx/shape_rules.h"

#include <algorithm>
#include <limits>

namespace oqnn::onnx_import {

std::optional<int64_t> checked_numel(const ir::Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0 || (d > 0 && n > kMaxFoldElements / d)) return std::nullopt;
    n *= d;
  }
  return n;
}

std::optional<int64_t> normalize_axis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank) return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

Expected<std::vector<int64_t>> normalize_axes(std::span<const int64_t> axes, int64_t rank,
                                              const std::string& what) {
  std::vector<int64_t> out;
  for (int64_t a : axes) {
    auto n = normalize_axis(a, rank);
    if (!n)
      return bad_input(what + "axis " + std::to_string(a) + " is out of range for rank " +
                       std::to_string(rank));
    out.push_back(*n);
  }
  std::sort(out.begin(), out.end());
  if (std::adjacent_find(out.begin(), out.end()) != out.end())
    return bad_input(what + "an axis is repeated");
  return out;
}

Expected<ir::Shape> reshape_shape(const ir::Shape& in, std::span<const int64_t> spec,
                                  bool allowzero, const std::string& what) {
  ir::Shape out(spec.begin(), spec.end());
  int infer_at = -1;
  int64_t known = 1;
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] == 0 && !allowzero) {
      if (i >= in.size())
        return bad_input(what + "shape entry " + std::to_string(i) +
                         " is 0 but the input has rank " + std::to_string(in.size()));
      out[i] = in[i];
    }
    if (out[i] == -1) {
      if (infer_at >= 0) return bad_input(what + "shape has more than one -1");
      infer_at = static_cast<int>(i);
      continue;
    }
    if (out[i] < 0)
      return bad_input(what + "shape entry " + std::to_string(out[i]) + " is invalid");
    if (out[i] > 0 && known > std::numeric_limits<int64_t>::max() / out[i])
      return bad_input(what + "shape " + ir::shape_str(out) + " is too large");
    known *= out[i];
  }
  int64_t total = ir::num_elements(in);
  if (infer_at >= 0) {
    if (known == 0 || total % known != 0)
      return bad_input(what + "cannot infer the -1 in " +
                       ir::shape_str(ir::Shape(spec.begin(), spec.end())) +
                       " for an input of shape " + ir::shape_str(in));
    out[static_cast<size_t>(infer_at)] = total / known;
  } else if (known != total) {
    return bad_input(what + "cannot reshape " + ir::shape_str(in) + " to " + ir::shape_str(out));
  }
  return out;
}

Expected<ir::Shape> squeeze_shape(const ir::Shape& in, std::span<const int64_t> axes, bool all_ones,
                                  const std::string& what) {
  ir::Shape out;
  if (all_ones) {
    for (int64_t d : in)
      if (d != 1) out.push_back(d);
    return out;
  }
  OQNN_ASSIGN_OR_RETURN(auto ax, normalize_axes(axes, static_cast<int64_t>(in.size()), what));
  for (size_t d = 0; d < in.size(); ++d) {
    bool squeezed = std::binary_search(ax.begin(), ax.end(), static_cast<int64_t>(d));
    if (squeezed && in[d] != 1)
      return bad_input(what + "cannot squeeze axis " + std::to_string(d) + " of size " +
                       std::to_string(in[d]));
    if (!squeezed) out.push_back(in[d]);
  }
  return out;
}

Expected<ir::Shape> unsqueeze_shape(const ir::Shape& in, std::span<const int64_t> axes,
                                    const std::string& what) {
  int64_t rank = static_cast<int64_t>(in.size() + axes.size());
  OQNN_ASSIGN_OR_RETURN(auto ax, normalize_axes(axes, rank, what));
  ir::Shape out;
  size_t next = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (std::binary_search(ax.begin(), ax.end(), d))
      out.push_back(1);
    else
      out.push_back(in[next++]);
  }
  return out;
}

std::optional<std::vector<int64_t>> axes_operand(const OnnxNode& n, const ConstTensor* input,
                                                 int64_t input_from_opset) {
  if (n.opset() < input_from_opset) {
    if (!n.has_attr("axes")) return std::nullopt;
    return n.attr_ints("axes");
  }
  if (!input) return std::nullopt;
  return to_ints(*input);
}

Expected<ir::Shape> flatten_shape(const ir::Shape& in, int64_t axis, const std::string& what) {
  int64_t rank = static_cast<int64_t>(in.size());
  if (axis < -rank || axis > rank)
    return bad_input(what + "axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < rank; ++d) (d < axis ? outer : inner) *= in[static_cast<size_t>(d)];
  return ir::Shape{outer, inner};
}

}  // namespace oqnn::onnx_import

namespace oqnn::onnx_import {

namespace {

Expected<std::vector<ir::SliceDim>> resolve_slice(
    const ir::Shape& in, std::span<const int64_t> starts, std::span<const int64_t> ends,
    std::span<const int64_t> axes, std::span<const int64_t> steps, const std::string& what) {
  auto rank = static_cast<int64_t>(in.size());
  size_t k = starts.size();
  if (ends.size() != k || (!axes.empty() && axes.size() != k) ||
      (!steps.empty() && steps.size() != k))
    return bad_input(what + "starts, ends, axes and steps differ in length");
  std::vector<ir::SliceDim> dims(in.size());
  for (size_t d = 0; d < in.size(); ++d) dims[d] = {0, 1, in[d]};
  std::vector<bool> seen(in.size(), false);
  for (size_t i = 0; i < k; ++i) {
    auto a = normalize_axis(axes.empty() ? static_cast<int64_t>(i) : axes[i], rank);
    if (!a || seen[static_cast<size_t>(*a)]) return bad_input(what + "bad or repeated slice axis");
    auto ax = static_cast<size_t>(*a);
    seen[ax] = true;
    int64_t dim = in[ax], s = steps.empty() ? 1 : steps[i];
    if (s == 0) return bad_input(what + "slice step is 0");
    s = std::clamp(s, -ir::kMaxElements, ir::kMaxElements);  // as far as any dim reaches
    int64_t b = std::clamp(starts[i], -ir::kMaxElements, ir::kMaxElements);
    int64_t e = std::clamp(ends[i], -ir::kMaxElements, ir::kMaxElements);
    b = b < 0 ? b + dim : b;
    e = e < 0 ? e + dim : e;
    int64_t count = 0;
    if (s > 0) {
      b = std::clamp(b, int64_t{0}, dim);
      e = std::clamp(e, int64_t{0}, dim);
      count = e > b ? (e - b - 1) / s + 1 : 0;
    } else {
      b = std::clamp(b, int64_t{0}, dim - 1);
      e = std::clamp(e, int64_t{-1}, dim - 1);
      count = b > e ? (b - e - 1) / (-s) + 1 : 0;
    }
    dims[ax] = {count > 0 ? b : 0, s, count};
  }
  return dims;
}

}  // namespace

Expected<std::vector<ir::SliceDim>> slice_dims(const OnnxNode& n, const ir::Shape& in,
                                               std::span<const ConstTensor* const> ops) {
  auto op = [&](size_t i) { return i < ops.size() ? ops[i] : nullptr; };
  bool attrs = n.opset() < 10;
  if (!attrs && (!op(1) || !op(2))) return n.bad_input("starts or ends is missing");
  std::vector<int64_t> starts = attrs ? n.attr_ints("starts") : to_ints(*op(1));
  std::vector<int64_t> ends = attrs ? n.attr_ints("ends") : to_ints(*op(2));
  std::vector<int64_t> axes = attrs ? n.attr_ints("axes") : std::vector<int64_t>{};
  std::vector<int64_t> steps;
  if (!attrs && op(3)) axes = to_ints(*op(3));
  if (!attrs && op(4)) steps = to_ints(*op(4));
  return resolve_slice(in, starts, ends, axes, steps, n.prefix());
}

}  // namespace oqnn::onnx_import
