// Indexing by run-time index tensors: Gather, GatherElements, GatherNd, ScatterNd,
// ScatterElements and OneHot. Index tensors are int32 (the importer narrows int64); a
// negative index counts from the end of its dim, as in ONNX; an index out of range is a
// run-time error of the kernel. Axis parameters are normalized (in [0, rank)).
#include "ir/ops/indexing.h"
#include "ir/ops/families.h"

namespace oqnn::ir {

Expected<int64_t> axis_param(const Node& n, const std::string& name, int64_t rank) {
  int64_t axis = n.params.get_int(name, 0);
  if (axis < 0 || axis >= rank)
    return shape_error(
        n, name + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return axis;
}

namespace {

using Rule = Expected<std::vector<OutputInfo>>;

Status check_indices(const Graph& g, const Node& n, size_t i) {
  if (g.tensor(n.inputs[i]).dtype != DataType::kInt32)
    return shape_error(n, "indices must be int32");
  return Status::ok();
}

Status check_reduction(const Node& n) {
  std::string r = n.params.get_string("reduction", "none");
  if (r != "none" && r != "add" && r != "mul" && r != "max" && r != "min")
    return shape_error(n, "unknown reduction '" + r + "'");
  return Status::ok();
}

Rule gather_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_RETURN_IF_ERROR(check_indices(g, n, 1));
  OQNN_ASSIGN_OR_RETURN(int64_t axis, axis_param(n, "axis", static_cast<int64_t>(x.shape.size())));
  const Shape& idx = input_shape(g, n, 1);
  Shape out(x.shape.begin(), x.shape.begin() + axis);
  out.insert(out.end(), idx.begin(), idx.end());
  out.insert(out.end(), x.shape.begin() + axis + 1, x.shape.end());
  return std::vector<OutputInfo>{{x.dtype, out}};
}

// GatherElements and ScatterElements: indices of the data's rank, no larger outside axis.
Status check_elementwise_indices(const Graph& g, const Node& n, const Shape& idx) {
  const Shape& x = input_shape(g, n, 0);
  OQNN_RETURN_IF_ERROR(check_indices(g, n, 1));
  if (idx.size() != x.size()) return shape_error(n, "indices must have the data's rank");
  OQNN_ASSIGN_OR_RETURN(int64_t axis, axis_param(n, "axis", static_cast<int64_t>(x.size())));
  for (size_t d = 0; d < x.size(); ++d)
    if (static_cast<int64_t>(d) != axis && idx[d] > x[d])
      return shape_error(n, "indices " + shape_str(idx) + " exceed data " + shape_str(x));
  return Status::ok();
}

Rule gather_elements_rule(const Graph& g, const Node& n) {
  OQNN_RETURN_IF_ERROR(check_elementwise_indices(g, n, input_shape(g, n, 1)));
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, input_shape(g, n, 1)}};
}

Rule scatter_elements_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_RETURN_IF_ERROR(check_elementwise_indices(g, n, input_shape(g, n, 1)));
  OQNN_RETURN_IF_ERROR(check_reduction(n));
  if (input_shape(g, n, 2) != input_shape(g, n, 1) || !same_value_type(g.tensor(n.inputs[2]), x))
    return shape_error(n, "updates must have the indices' shape and the data's dtype");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

Rule gather_nd_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  const Shape& idx = input_shape(g, n, 1);
  OQNN_RETURN_IF_ERROR(check_indices(g, n, 1));
  auto r = static_cast<int64_t>(x.shape.size()), q = static_cast<int64_t>(idx.size());
  int64_t b = n.params.get_int("batch_dims", 0);
  if (r < 1 || q < 1 || b < 0 || b >= std::min(q, r))
    return shape_error(n, "batch_dims must be below the ranks of data and indices");
  int64_t last = idx.back();
  if (last < 1 || last > r - b)
    return shape_error(n, "the last indices dim must be in [1, " + std::to_string(r - b) + "]");
  for (int64_t d = 0; d < b; ++d)
    if (idx[static_cast<size_t>(d)] != x.shape[static_cast<size_t>(d)])
      return shape_error(n, "batch dims of data and indices differ");
  Shape out(idx.begin(), idx.end() - 1);
  out.insert(out.end(), x.shape.begin() + b + last, x.shape.end());
  return std::vector<OutputInfo>{{x.dtype, out}};
}

Rule scatter_nd_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  const Shape& idx = input_shape(g, n, 1);
  OQNN_RETURN_IF_ERROR(check_indices(g, n, 1));
  OQNN_RETURN_IF_ERROR(check_reduction(n));
  auto r = static_cast<int64_t>(x.shape.size());
  if (idx.empty() || idx.back() < 1 || idx.back() > r)
    return shape_error(n, "the last indices dim must be in [1, rank of data]");
  Shape want(idx.begin(), idx.end() - 1);
  want.insert(want.end(), x.shape.begin() + idx.back(), x.shape.end());
  if (input_shape(g, n, 2) != want || !same_value_type(g.tensor(n.inputs[2]), x))
    return shape_error(n, "updates must be " + shape_str(want) + " of the data's dtype");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

Rule one_hot_rule(const Graph& g, const Node& n) {
  Shape out = input_shape(g, n, 0);
  OQNN_RETURN_IF_ERROR(check_indices(g, n, 0));
  int64_t depth = n.params.get_int("depth", 0);
  if (depth < 1 || depth > kMaxElements) return shape_error(n, "depth must be positive");
  OQNN_ASSIGN_OR_RETURN(int64_t axis, axis_param(n, "axis", static_cast<int64_t>(out.size()) + 1));
  out.insert(out.begin() + axis, depth);
  return std::vector<OutputInfo>{{DataType::kFloat32, out}};
}

OpDef def(std::string name, std::string summary, std::vector<std::string> inputs,
          std::vector<ParamDef> params, ShapeRule rule, std::vector<std::string> onnx,
          bool preserving) {
  auto count = static_cast<int>(inputs.size());
  return {
      std::move(name), std::move(summary), std::move(inputs), count, count, std::move(params), rule,
      preserving,      std::move(onnx)};
}

}  // namespace

void register_indexing_ops(std::vector<OpDef>& ops) {
  const ParamDef axis{"axis", ParamKind::kInt}, reduction{"reduction", ParamKind::kString};
  ops.push_back(def("Gather", "out = in[..., indices, ...] along axis (negative indices ok)",
                    {"in", "indices"}, {axis}, gather_rule, {"Gather"}, true));
  ops.push_back(def("GatherElements", "out[i] = in[i with i[axis] = indices[i]]", {"in", "indices"},
                    {axis}, gather_elements_rule, {"GatherElements"}, true));
  ops.push_back(def("GatherNd", "gathers slices addressed by the last indices dim",
                    {"in", "indices"}, {{"batch_dims", ParamKind::kInt}}, gather_nd_rule,
                    {"GatherND"}, true));
  ops.push_back(def("ScatterElements",
                    "out = in; out[i with i[axis] = indices[i]] (reduction)= updates[i]; "
                    "reduction none|add|mul|max|min",
                    {"in", "indices", "updates"}, {axis, reduction}, scatter_elements_rule,
                    {"ScatterElements", "Scatter"}, false));
  ops.push_back(def("ScatterNd",
                    "out = in; out[indices[j]] (reduction)= updates[j]; reduction "
                    "none|add|mul|max|min",
                    {"in", "indices", "updates"}, {reduction}, scatter_nd_rule, {"ScatterND"},
                    false));
  ops.push_back(def("OneHot",
                    "float32 out: on_value where the index along axis equals indices, else "
                    "off_value (negative indices count from depth)",
                    {"indices"},
                    {{"depth", ParamKind::kInt, true},
                     axis,
                     {"on_value", ParamKind::kFloat},
                     {"off_value", ParamKind::kFloat}},
                    one_hot_rule, {"OneHot"}, false));
  register_indexing_slice_ops(ops);
  register_indexing_select_ops(ops);
}

}  // namespace oqnn::ir
