// Data-movement ops: Reshape, Transpose, Concat, Pad, ChannelShuffle.
#include <algorithm>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> reshape_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  Shape s = n.params.get_ints("shape");
  if (checked_num_elements(s) < 0 || num_elements(s) != num_elements(x.shape))
    return shape_error(n, "cannot reshape " + shape_str(x.shape) + " to " + shape_str(s));
  return std::vector<OutputInfo>{{x.dtype, s}};
}

Expected<std::vector<OutputInfo>> transpose_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  auto perm = n.params.get_ints("perm");
  if (perm.size() != x.shape.size()) return shape_error(n, "perm rank differs from input rank");
  Shape out(perm.size());
  std::vector<bool> seen(perm.size(), false);
  for (size_t i = 0; i < perm.size(); ++i) {
    if (perm[i] < 0 || perm[i] >= static_cast<int64_t>(perm.size()) || seen[perm[i]])
      return shape_error(n, "perm is not a permutation");
    seen[perm[i]] = true;
    out[i] = x.shape[perm[i]];
  }
  return std::vector<OutputInfo>{{x.dtype, out}};
}

Expected<std::vector<OutputInfo>> concat_rule(const Graph& g, const Node& n) {
  Shape out = input_shape(g, n, 0);
  int64_t axis = n.params.get_int("axis");
  if (axis < 0 || axis >= static_cast<int64_t>(out.size()))
    return shape_error(n, "axis out of range");
  for (size_t i = 1; i < n.inputs.size(); ++i) {
    const Shape& s = input_shape(g, n, i);
    if (s.size() != out.size()) return shape_error(n, "inputs differ in rank");
    if (g.tensor(n.inputs[i]).dtype != g.tensor(n.inputs[0]).dtype)
      return shape_error(n, "inputs differ in dtype");
    for (size_t d = 0; d < s.size(); ++d) {
      if (static_cast<int64_t>(d) == axis) continue;
      if (s[d] != out[d]) return shape_error(n, "inputs differ outside the concat axis");
    }
    out[axis] += s[axis];
  }
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

Expected<std::vector<OutputInfo>> pad_rule(const Graph& g, const Node& n) {
  Shape out = input_shape(g, n, 0);
  auto pad = n.params.get_ints("pad_amount");
  if (pad.size() != 2 * out.size())
    return shape_error(n, "pad_amount needs 2 values per dimension");
  std::string scheme = n.params.get_string("scheme", "constant");
  if (scheme != "constant" && scheme != "reflect" && scheme != "edge")
    return shape_error(n, "unknown pad scheme '" + scheme + "'");
  for (size_t d = 0; d < out.size(); ++d) {
    if (pad[2 * d] < 0 || pad[2 * d + 1] < 0) return shape_error(n, "negative padding");
    if (pad[2 * d] > kMaxElements || pad[2 * d + 1] > kMaxElements)
      return shape_error(n, "padding too large");
    if (scheme == "reflect" && (pad[2 * d] >= out[d] || pad[2 * d + 1] >= out[d]))
      return shape_error(n, "reflect padding must be smaller than the dimension");
    out[d] += pad[2 * d] + pad[2 * d + 1];
  }
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

// ChannelShuffle: the axis viewed as [num_groups, C / num_groups] is read transposed.
Expected<std::vector<OutputInfo>> channel_shuffle_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  const auto rank = static_cast<int64_t>(x.shape.size());
  const int64_t axis = n.params.get_int("axis", rank - 1);
  if (axis < 0 || axis >= rank) return shape_error(n, "axis out of range");
  const int64_t groups = n.params.get_int("num_groups"), c = x.shape[static_cast<size_t>(axis)];
  if (groups <= 0 || c % groups != 0)
    return shape_error(n, "num_groups " + std::to_string(groups) + " does not divide " +
                              std::to_string(c) + " channels");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

}  // namespace

void register_layout_ops(std::vector<OpDef>& ops) {
  ops.push_back({"Reshape",
                 "same data, new shape (param shape)",
                 {"in"},
                 1,
                 1,
                 {{"shape", ParamKind::kInts, true}},
                 reshape_rule,
                 true,
                 {"Reshape", "Flatten", "Squeeze", "Unsqueeze"}});
  ops.push_back({"Transpose",
                 "out[i...] = in[perm applied]",
                 {"in"},
                 1,
                 1,
                 {{"perm", ParamKind::kInts, true}},
                 transpose_rule,
                 true,
                 {"Transpose"}});
  ops.push_back({"Concat",
                 "concatenate along axis",
                 {"in"},
                 1,
                 -1,
                 {{"axis", ParamKind::kInt, true}},
                 concat_rule,
                 false,
                 {"Concat"}});
  ops.push_back({"Pad",
                 "pad_amount = [before0, after0, before1, after1, ...]; scheme "
                 "constant|reflect|edge",
                 {"in"},
                 1,
                 1,
                 {{"pad_amount", ParamKind::kInts, true},
                  {"scheme", ParamKind::kString},
                  {"pad_constant_value", ParamKind::kFloat}},
                 pad_rule,
                 false,
                 {"Pad"}});
  ops.push_back({"ChannelShuffle",
                 "axis viewed as [num_groups, C/num_groups] and read transposed (axis default "
                 "last)",
                 {"in"},
                 1,
                 1,
                 {{"num_groups", ParamKind::kInt, true}, {"axis", ParamKind::kInt}},
                 channel_shuffle_rule,
                 true,
                 {"Reshape-Transpose-Reshape (fuse_channel_shuffle)"}});
}

}  // namespace oqnn::ir
