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
