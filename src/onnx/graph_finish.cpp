#include "onnx/graph_finish.h"

#include <algorithm>

#include "ir/verifier.h"
#include "onnx/padded_outputs.h"

namespace oqnn::onnx_import {
namespace {

// An identity Reshape producing `id`'s value under the exact name `name`.
Expected<ir::TensorId> identity_copy(ImportContext& ctx, ir::TensorId id, const std::string& name) {
  ir::Params p;
  p.set("shape", ctx.graph.tensor(id).shape);
  return ctx.emit(ctx.aux_node_name(name + "_output"), "Reshape", {id}, std::move(p), name);
}

Expected<ir::TensorId> output_tensor(ImportContext& ctx, const std::string& name,
                                     const std::string& model_path) {
  const Value* v = ctx.find(name);
  if (!v)  // a malformed model: nothing in it defines the name
    return bad_input(model_path + ": graph output '" + name +
                     "' is not produced by any node, graph input or initializer");
  if (v->kind == Value::Kind::kUnknown)
    return internal_error(model_path + ": graph output '" + name + "' was never computed");
  ir::Graph& g = ctx.graph;
  if (v->kind == Value::Kind::kConst) {
    if (auto taken = g.find_tensor(name)) {  // the constant already serves as a weight
      g.tensor(*taken).name = ctx.aux_tensor_name(name + "_value");
      g.rebuild_name_index();
    }
    ir::TensorId c =
        v->id != ir::kNoTensor ? v->id : ctx.add_static(ctx.aux_tensor_name(name + "_value"), v->c);
    return identity_copy(ctx, c, name);
  }
  ir::Tensor& t = g.tensor(v->id);
  if (t.name == name) {
    if (t.kind == ir::TensorKind::kInput)
      return unsupported(
          model_path + ": graph output '" + name +
          "' is a graph input passed through unchanged; there is nothing to convert");
    return v->id;
  }
  // An alias (Identity, Dropout, same-type Cast): the value takes the output's name when it
  // is a plain intermediate, else an identity copy carries that name.
  if (t.kind == ir::TensorKind::kIntermediate && !g.find_tensor(name)) {
    t.name = name;
    g.rebuild_name_index();
    return v->id;
  }
  return identity_copy(ctx, v->id, name);
}

// `id` (float32, named `name`) as a float16 output under that name: the float32 value is
// renamed and a Cast produces the output.
Expected<ir::TensorId> half_output(ImportContext& ctx, ir::TensorId id, const std::string& name) {
  ir::Graph& g = ctx.graph;
  if (g.tensor(id).dtype == ir::DataType::kFloat16) return id;
  g.tensor(id).name = ctx.aux_tensor_name(name + "_float32");
  g.rebuild_name_index();
  ir::Params p;
  p.set("to", std::string(ir::dtype_name(ir::DataType::kFloat16)));
  return ctx.emit(ctx.aux_node_name(name + "_cast"), "Cast", {id}, std::move(p), name);
}

// Whether each node contributes to a graph output.
std::vector<bool> live_nodes(const ir::Graph& g) {
  std::vector<bool> needed(g.tensors.size(), false);
  for (ir::TensorId t : g.outputs) needed[static_cast<size_t>(t)] = true;
  std::vector<bool> keep(g.nodes.size(), false);
  for (size_t i = g.nodes.size(); i-- > 0;) {
    const ir::Node& n = g.nodes[i];
    keep[i] = std::any_of(n.outputs.begin(), n.outputs.end(),
                          [&](ir::TensorId t) { return needed[static_cast<size_t>(t)]; });
    if (keep[i])
      for (ir::TensorId t : n.inputs)
        if (t >= 0) needed[static_cast<size_t>(t)] = true;
  }
  return keep;
}

void prune(ir::Graph& g, const std::vector<bool>& keep) {
  std::vector<ir::Node> kept;
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (keep[i]) kept.push_back(std::move(g.nodes[i]));
  g.nodes = std::move(kept);
  g.remove_unused_tensors();
}

}  // namespace

Status finish_graph(ImportContext& ctx, const std::vector<std::string>& outputs,
                    const std::set<std::string>& half_outputs, const std::string& model_path) {
  ir::Graph& g = ctx.graph;
  for (const std::string& name : outputs) {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId id, output_tensor(ctx, name, model_path));
    if (half_outputs.count(name)) {
      OQNN_ASSIGN_OR_RETURN(id, half_output(ctx, id, name));
    }
    g.tensor(id).kind = ir::TensorKind::kOutput;
    g.outputs.push_back(id);
  }
  const std::vector<bool> live = live_nodes(g);
  OQNN_RETURN_IF_ERROR(mark_padded_outputs(ctx, live));
  prune(g, live);
  Status st = ir::infer_shapes(g);
  if (st) st = ir::verify(g);
  if (!st)
    return internal_error(model_path +
                          ": the imported graph does not verify: " + st.error().message);
  return Status::ok();
}

}  // namespace oqnn::onnx_import
