// Indexing and data movement on run-time tensors (the folders handle all-constant
// inputs): Gather, GatherElements, GatherND, ScatterND, ScatterElements/Scatter → their
// QNN ops; Slice → StridedSlice; Tile; Expand → [Reshape to the output rank] + Tile (QNN
// has no Expand); Split → Split (several outputs); OneHot → OneHot [+ Cast to the values'
// type]. Tensors are in ONNX layout, so axis attributes apply unchanged.
#include "onnx/indexing_util.h"
#include "onnx/shape_rules.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {

Expected<int64_t> node_axis(const OnnxNode& n, int64_t def, int64_t rank) {
  int64_t a = n.attr_int("axis", def);
  auto axis = normalize_axis(a, rank);
  if (!axis)
    return n.bad_input("axis " + std::to_string(a) + " is out of range for rank " +
                       std::to_string(rank));
  return *axis;
}

Expected<ir::TensorId> emit_aux(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                                std::vector<ir::TensorId> in, ir::Params p,
                                const std::string& suffix) {
  return ctx.emit(ctx.aux_node_name(n.name() + suffix), op, std::move(in), std::move(p),
                  ctx.aux_tensor_name(n.output(0) + suffix));
}

Expected<ir::TensorId> as_int32(ImportContext& ctx, const OnnxNode& n, ir::TensorId t) {
  if (ctx.graph.tensor(t).dtype == ir::DataType::kInt32) return t;
  ir::Params p;
  p.set("to", std::string("int32"));
  return emit_aux(ctx, n, "Cast", {t}, std::move(p), "_int32");
}

namespace {

int64_t rank_of(ImportContext& ctx, ir::TensorId t) {
  return static_cast<int64_t>(ctx.graph.tensor(t).shape.size());
}

// Data and int32 indices of Gather/GatherElements/GatherND and the Scatter ops.
Expected<std::pair<ir::TensorId, ir::TensorId>> data_and_indices(ImportContext& ctx,
                                                                 const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId i, input_tensor(ctx, n, 1));
  OQNN_ASSIGN_OR_RETURN(i, as_int32(ctx, n, i));
  return std::pair{x, i};
}

Status translate_gather(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(auto xi, data_and_indices(ctx, n));
  ir::Params p;
  OQNN_ASSIGN_OR_RETURN(int64_t axis, node_axis(n, 0, rank_of(ctx, xi.first)));
  p.set("axis", axis);
  const std::string op = n.op_type() == "Gather" ? "Gather" : "GatherElements";
  return emit_main(ctx, n, op, {xi.first, xi.second}, std::move(p));
}

Status translate_gather_nd(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(auto xi, data_and_indices(ctx, n));
  ir::Params p;
  p.set("batch_dims", n.attr_int("batch_dims", 0));
  return emit_main(ctx, n, "GatherNd", {xi.first, xi.second}, std::move(p));
}

Status check_scatter(const OnnxNode& n) {
  std::string r = n.attr_string("reduction", "none");
  if (r != "none" && r != "add" && r != "mul" && r != "max" && r != "min")
    return n.bad_input("unknown reduction '" + r + "'");
  return Status::ok();
}

Status translate_scatter(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_scatter(n));
  OQNN_ASSIGN_OR_RETURN(auto xi, data_and_indices(ctx, n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId u, input_tensor(ctx, n, 2));
  ir::Params p;
  p.set("reduction", n.attr_string("reduction", "none"));
  if (n.op_type() == "ScatterND")
    return emit_main(ctx, n, "ScatterNd", {xi.first, xi.second, u}, p);
  OQNN_ASSIGN_OR_RETURN(int64_t axis, node_axis(n, 0, rank_of(ctx, xi.first)));
  p.set("axis", axis);
  return emit_main(ctx, n, "ScatterElements", {xi.first, xi.second, u}, std::move(p));
}

Status translate_slice(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  std::vector<const ConstTensor*> ops(5, nullptr);
  const char* roles[] = {"", "starts", "ends", "axes", "steps"};
  for (size_t i = 1; i < 5 && n.opset() >= 10; ++i) {
    if (!n.has_input(i)) continue;
    OQNN_ASSIGN_OR_RETURN(ops[i], const_input(ctx, n, i, roles[i]));
  }
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  OQNN_ASSIGN_OR_RETURN(auto dims, slice_dims(n, xs, ops));
  if (xs.size() > 62) return n.unsupported("rank above 62 is not supported");
  // Resolved ranges; an end before the first element (negative strides) is end_mask's.
  std::vector<int64_t> ranges;
  int64_t end_mask = 0;
  for (size_t d = 0; d < dims.size(); ++d) {
    int64_t e = dims[d].begin + dims[d].count * dims[d].step;
    if (e < 0) end_mask |= int64_t{1} << d;
    ranges.insert(ranges.end(),
                  {dims[d].begin, std::min(std::max<int64_t>(e, 0), xs[d]), dims[d].step});
  }
  ir::Params p;
  p.set("ranges", ranges);
  if (end_mask) p.set("end_mask", end_mask);
  return emit_main(ctx, n, "StridedSlice", {x}, std::move(p));
}

Status emit_tile(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, std::vector<int64_t> m) {
  ir::Params p;
  p.set("multiples", std::move(m));
  return emit_main(ctx, n, "Tile", {x}, std::move(p));
}

Status translate_tile(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* r, const_input(ctx, n, 1, "repeats"));
  std::vector<int64_t> m = to_ints(*r);
  if (static_cast<int64_t>(m.size()) != rank_of(ctx, x))
    return n.bad_input("repeats must have one value per input dim");
  for (int64_t v : m)
    if (v < 0) return n.bad_input("repeats must be non-negative");
  return emit_tile(ctx, n, x, std::move(m));
}

Status translate_expand(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* s, const_input(ctx, n, 1, "shape"));
  ir::Shape xs = ctx.graph.tensor(x).shape;
  auto out = ir::broadcast_shapes(xs, to_ints(*s));
  if (!out) return n.bad_input("cannot broadcast " + ir::shape_str(xs) + " to the shape given");
  for (int64_t d : *out)
    if (d < 0) return n.bad_input("shape has a negative dim");
  if (xs.size() < out->size()) {  // numpy aligns trailing dims: leading ones first
    xs.insert(xs.begin(), out->size() - xs.size(), 1);
    ir::Params p;
    p.set("shape", xs);
    OQNN_ASSIGN_OR_RETURN(x, emit_aux(ctx, n, "Reshape", {x}, std::move(p), "_rank"));
  }
  std::vector<int64_t> m(xs.size(), 1);
  for (size_t d = 0; d < xs.size(); ++d)
    if (xs[d] != (*out)[d]) m[d] = (*out)[d];  // broadcasting: xs[d] is 1 here
  return emit_tile(ctx, n, x, std::move(m));
}

// Split sizes: the `split` input (opset 13+) or attribute, else num_outputs parts of
// ceil(dim / parts) (opset 18; the last may be smaller), else equal parts.
Expected<std::vector<int64_t>> split_sizes(ImportContext& ctx, const OnnxNode& n, int64_t dim) {
  std::vector<int64_t> sizes = n.attr_ints("split");
  if (n.opset() >= 13 && n.has_input(1)) {
    OQNN_ASSIGN_OR_RETURN(const ConstTensor* c, const_input(ctx, n, 1, "split"));
    sizes = to_ints(*c);
  }
  auto parts = static_cast<int64_t>(n.num_outputs());
  if (sizes.empty()) {
    if (n.opset() >= 18) parts = n.attr_int("num_outputs", parts);
    if (parts < 1) return n.bad_input("num_outputs must be positive");
    int64_t chunk = n.opset() >= 18 ? (dim + parts - 1) / parts : dim / parts;
    if (n.opset() < 18 && dim % parts != 0)
      return n.bad_input("the dim does not split into " + std::to_string(parts) + " equal parts");
    for (int64_t j = 0, left = dim; j < parts; ++j, left -= chunk)
      sizes.push_back(std::min(chunk, left));
  }
  int64_t total = 0;
  for (int64_t v : sizes) {
    if (v < 0) return n.bad_input("split sizes must be non-negative");
    total += v;
  }
  if (total != dim || static_cast<int64_t>(sizes.size()) != parts)
    return n.bad_input("split sizes must sum to the dim and give one size per output");
  return sizes;
}

Status translate_split(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(int64_t axis, node_axis(n, 0, rank_of(ctx, x)));
  int64_t dim = ctx.graph.tensor(x).shape[static_cast<size_t>(axis)];
  OQNN_ASSIGN_OR_RETURN(auto sizes, split_sizes(ctx, n, dim));
  std::vector<int64_t> at;
  for (size_t j = 0, pos = 0; j + 1 < sizes.size(); ++j) at.push_back(pos += sizes[j]);
  ir::Params p;
  p.set("axis", axis);
  p.set("split_index", at);
  std::vector<std::string> names;
  for (size_t j = 0; j < n.num_outputs(); ++j) names.push_back(n.output(j));
  OQNN_ASSIGN_OR_RETURN(auto ids, ctx.emit_multi(n.name(), "Split", {x}, std::move(p), names));
  for (size_t j = 0; j < ids.size(); ++j)
    if (!n.output(j).empty()) ctx.set_tensor(n.output(j), ids[j]);
  return Status::ok();
}

Status translate_one_hot(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId idx, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* depth, const_input(ctx, n, 1, "depth"));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* values, const_input(ctx, n, 2, "values"));
  if (depth->numel() != 1 || values->numel() != 2)
    return n.bad_input("depth must hold one value and values two");
  OQNN_ASSIGN_OR_RETURN(idx, as_int32(ctx, n, idx));
  OQNN_ASSIGN_OR_RETURN(int64_t axis, node_axis(n, -1, rank_of(ctx, idx) + 1));
  auto v = to_doubles(*values);
  ir::Params p;
  p.set("depth", static_cast<int64_t>(to_doubles(*depth)[0]));
  p.set("axis", axis);
  p.set("off_value", v[0]);
  p.set("on_value", v[1]);
  ir::DataType dt = to_ir_const(*values).dtype;
  if (dt == ir::DataType::kFloat32) return emit_main(ctx, n, "OneHot", {idx}, std::move(p));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, emit_aux(ctx, n, "OneHot", {idx}, std::move(p), "_float"));
  ir::Params c;
  c.set("to", std::string(ir::dtype_name(dt)));
  return emit_main(ctx, n, "Cast", {y}, std::move(c));
}

}  // namespace

void register_indexing_translators(std::vector<Translator>& out) {
  out.push_back({"Gather", translate_gather});
  out.push_back({"GatherElements", translate_gather});
  out.push_back({"GatherND", translate_gather_nd});
  out.push_back({"ScatterND", translate_scatter, check_scatter});
  out.push_back({"ScatterElements", translate_scatter, check_scatter});
  out.push_back({"Scatter", translate_scatter, check_scatter});
  out.push_back({"Slice", translate_slice});
  out.push_back({"Tile", translate_tile});
  out.push_back({"Expand", translate_expand});
  out.push_back({"Split", translate_split});
  out.push_back({"OneHot", translate_one_hot});
  register_indexing_select_translators(out);
}

}  // namespace oqnn::onnx_import
