#include "onnx/padded_outputs.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "ir/op_def.h"
#include "ir/ops/detection.h"
#include "ir/ops/indexing.h"

namespace oqnn::onnx_import {
namespace {

struct Padded {
  ir::TensorId count = ir::kNoTensor;
  int64_t axis = 0;
  std::string source;  // the node whose output it derives from
};

using PadMap = std::map<ir::TensorId, Padded>;

// Ops whose output element depends only on the input elements at the same (broadcast)
// position.
bool element_wise(const ir::Node& n) {
  static const std::set<std::string> kActivations{"Cast",      "Relu", "ReluMinMax", "Sigmoid",
                                                  "HardSwish", "Tanh", "Prelu"};
  const ir::OpDef* def = ir::find_op(n.op);
  return kActivations.count(n.op) != 0 || n.op.rfind("ElementWise", 0) == 0 ||
         (def && def->infer == ir::same_as_input_rule);
}

// The axis of `axis` of a [in] tensor in a Reshape to [out], when the dim survives whole
// (the dims before it hold as many elements before and after).
std::optional<int64_t> reshaped_axis(const ir::Shape& in, const ir::Shape& out, int64_t axis) {
  int64_t before = 1;
  for (int64_t d = 0; d < axis; ++d) before *= in[static_cast<size_t>(d)];
  int64_t seen = 1;
  for (size_t d = 0; d < out.size(); ++d) {
    if (seen == before && out[d] == in[static_cast<size_t>(axis)]) return static_cast<int64_t>(d);
    seen *= out[d];
    if (seen > before) break;
  }
  return std::nullopt;
}

// The padded axis of `n`'s outputs when `n` reads padded input `slot` (axis `p.axis`)
// exactly on its valid prefix; nullopt when its result would depend on the padding.
std::optional<int64_t> carried_axis(const ir::Graph& g, const ir::Node& n, size_t slot,
                                    const Padded& p) {
  const ir::Shape& in = g.tensor(n.inputs[slot]).shape;
  const ir::Shape& out = g.tensor(n.outputs[0]).shape;
  const int64_t a = p.axis;
  if (element_wise(n)) {  // unless broadcasting stretches the padded axis itself
    const int64_t b = a + static_cast<int64_t>(out.size()) - static_cast<int64_t>(in.size());
    if (out[static_cast<size_t>(b)] == in[static_cast<size_t>(a)]) return b;
    return std::nullopt;
  }
  if (n.op == "Transpose") {
    auto perm = n.params.get_ints("perm");
    auto it = std::find(perm.begin(), perm.end(), a);
    if (it != perm.end()) return static_cast<int64_t>(it - perm.begin());
  }
  if (n.op == "Reshape") return reshaped_axis(in, out, a);
  const int64_t axis = n.params.get_int("axis", 0);
  if (n.op == "Split" && axis != a) return a;
  if (n.op == "Gather" && slot == 1) return axis + a;
  if (n.op == "Gather" && slot == 0 && axis != a)
    return a < axis ? a : a + static_cast<int64_t>(g.tensor(n.inputs[1]).shape.size()) - 1;
  if (n.op == "GatherNd" && slot == 1 && n.params.get_int("batch_dims", 0) == 0 &&
      a + 1 < static_cast<int64_t>(in.size()))
    return a;
  if (n.op == "StridedSlice" && out.size() == in.size()) {
    auto dims = ir::resolve_strided_slice(n, in);
    const auto d = static_cast<size_t>(a);
    if (dims && (*dims)[d].begin == 0 && (*dims)[d].step == 1 && (*dims)[d].count == in[d])
      return a;
  }
  return std::nullopt;
}

PaddingRefusal refused(const ir::Graph& g, const std::string& node, const std::string& op,
                       ir::TensorId t, const Padded& p, const std::string& how) {
  return {node, op,
          how + " '" + g.tensor(t).name + "', which derives from the static-maximum output of " +
              "node '" + p.source + "' (rows past its valid count hold -1): the result would " +
              "differ from onnxruntime's, which is not supported yet"};
}

// Follows the padded tensors through the live nodes, in order, into `padded`; then the
// Shape/Size reads. The first node that would see the padding, if any.
std::optional<PaddingRefusal> follow(const ImportContext& ctx, const std::vector<bool>& live,
                                     PadMap& padded) {
  const ir::Graph& g = ctx.graph;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (!live[i]) continue;
    const ir::Node& n = g.nodes[i];
    std::optional<Padded> carried;
    for (size_t s = 0; s < n.inputs.size(); ++s) {
      auto it = n.inputs[s] >= 0 ? padded.find(n.inputs[s]) : padded.end();
      if (it == padded.end()) continue;
      auto axis = carried_axis(g, n, s, it->second);
      // Two padded inputs combine only element-wise, with one count on one axis.
      if (!axis || (carried && (carried->count != it->second.count || carried->axis != *axis)))
        return refused(g, n.name, n.op, n.inputs[s], it->second, "reads");
      carried = Padded{it->second.count, *axis, it->second.source};
    }
    if (ir::has_valid_count(n.op)) {
      if (carried) return refused(g, n.name, n.op, n.inputs[0], *carried, "reads");
      padded[n.outputs[0]] = {n.outputs[1], 0, n.name};
    } else if (carried) {
      for (ir::TensorId o : n.outputs) padded[o] = *carried;
    }
  }
  for (const auto& [t, node] : ctx.shape_reads)
    if (auto it = padded.find(t); it != padded.end())
      return refused(g, node.first, node.second, t, it->second, "reads the shape of");
  return std::nullopt;
}

}  // namespace

std::optional<PaddingRefusal> padding_refusal(const ImportContext& ctx) {
  PadMap padded;
  return follow(ctx, std::vector<bool>(ctx.graph.nodes.size(), true), padded);
}

Status mark_padded_outputs(ImportContext& ctx, const std::vector<bool>& live) {
  ir::Graph& g = ctx.graph;
  PadMap padded;
  if (auto r = follow(ctx, live, padded))
    return unsupported("node '" + r->node + "' (" + r->op + ") " + r->reason);
  const std::vector<ir::TensorId> outputs = g.outputs;
  for (ir::TensorId id : outputs) {
    auto it = padded.find(id);
    if (it == padded.end()) continue;
    const ir::TensorId count = it->second.count;
    if (std::find(g.outputs.begin(), g.outputs.end(), count) == g.outputs.end()) {
      g.tensor(count).kind = ir::TensorKind::kOutput;
      g.outputs.push_back(count);
    }
    g.attributes["valid_count." + g.tensor(id).name] = g.tensor(count).name;
    g.attributes["valid_axis." + g.tensor(id).name] = std::to_string(it->second.axis);
  }
  return Status::ok();
}

}  // namespace oqnn::onnx_import
