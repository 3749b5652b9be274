// Moving Transposes down through layout-agnostic ops so that they meet the transposes
// below them and cancel.
#include <algorithm>

#include "passes/layout_ops.h"
#include "passes/perm.h"
#include "passes/transpose_rules.h"

namespace oqnn::passes {
namespace {

bool is_multi_input(LayoutClass c) {
  return c == LayoutClass::kBinary || c == LayoutClass::kConcat;
}

// The rank the moving inputs have: the output's for broadcasting ops (lower-rank
// operands broadcast up), the data input's otherwise (ReduceMean may drop dims).
size_t data_rank(const ir::Graph& g, const ir::Node& n, LayoutClass c) {
  ir::TensorId t = c == LayoutClass::kBinary ? n.outputs[0] : n.inputs[0];
  return g.tensor(t).shape.size();
}

struct SinkPlan {
  Perm perm;
  std::vector<size_t> moving;  // slots read from a Transpose with `perm`
  // Run-time slots of a multi-input node not read from such a Transpose, whose values
  // come through single-reader unary / static-operand ops from one (SiLU's x * Sigmoid(x),
  // squeeze-excite's x * Sigmoid(Conv(Pool(x)))): they get the inverse transpose, which
  // then rises to that Transpose and cancels with it.
  std::vector<size_t> pulled;
  bool removes_one = false;  // some such Transpose has no other reader
};

// True when the Transpose `end` has no reader left once node i reads its input directly
// and the transpose pulled up the chain read by `chain_reader` has cancelled with it.
bool dies_after_pull(const ir::Graph& g, const Uses& u, int end, int i, int chain_reader) {
  ir::TensorId out = g.nodes[static_cast<size_t>(end)].outputs[0];
  if (g.is_graph_output(out)) return false;
  for (int r : u.readers(out))
    if (r != i && r != chain_reader) return false;
  return true;
}

// Which inputs of node i come from sinkable Transposes with one perm; nullopt when some
// other input cannot be brought into the new layout.
std::optional<SinkPlan> plan_sink(const ir::Graph& g, const Uses& u, size_t i, LayoutClass c,
                                  size_t rank) {
  const ir::Node& n = g.nodes[i];
  size_t candidates = is_multi_input(c) ? n.inputs.size() : 1;
  SinkPlan plan;
  std::vector<size_t> pending;  // run-time slots that may be pulled once the perm is known
  for (size_t k = 0; k < n.inputs.size(); ++k) {
    ir::TensorId t = n.inputs[k];
    if (t < 0) return std::nullopt;
    const ir::Tensor& x = g.tensor(t);
    int p = u.producer[static_cast<size_t>(t)];
    bool from_transpose = p >= 0 && g.nodes[static_cast<size_t>(p)].op == "Transpose";
    if (k < candidates && from_transpose && x.shape.size() == rank &&
        !wants_hoist(g, u, static_cast<size_t>(p))) {
      Perm perm = g.nodes[static_cast<size_t>(p)].params.get_ints("perm");
      if (plan.moving.empty()) plan.perm = perm;
      if (perm == plan.perm) {
        plan.moving.push_back(k);
        plan.removes_one = plan.removes_one || only_read_by(g, u, t, static_cast<int>(i));
        continue;
      }
    }
    bool free = c == LayoutClass::kBinary && is_layout_free(g, t, rank);
    if (is_multi_input(c) && n.op != "Prelu" && !free && !x.is_static() && !from_transpose &&
        x.shape.size() == rank) {
      pending.push_back(k);
      continue;
    }
    if (k == 0 && (!is_multi_input(c) || n.op == "Prelu")) return std::nullopt;
    bool fits_static = x.is_static() && (c == LayoutClass::kConcat ? x.shape.size() == rank
                                                                   : x.shape.size() <= rank);
    if (!free && !fits_static) return std::nullopt;
  }
  if (plan.moving.empty()) return std::nullopt;
  for (size_t k : pending) {
    auto end = hoist_end(g, u, n.inputs[k], static_cast<int>(i));
    if (!end || end->node < 0 ||
        g.nodes[static_cast<size_t>(end->node)].params.get_ints("perm") != plan.perm)
      return std::nullopt;
    plan.pulled.push_back(k);
    plan.removes_one =
        plan.removes_one || dies_after_pull(g, u, end->node, static_cast<int>(i), end->reader);
  }
  return plan;
}

// After node r has sunk a transpose with `perm`, the one written after it costs nothing:
// r's output is read only by Transposes (it merges into them) or by multi-input nodes
// whose other run-time inputs come from Transposes with `perm` (it joins them).
bool lands_cheaply(const ir::Graph& g, const Uses& u, int r, const Perm& perm) {
  ir::TensorId y = g.nodes[static_cast<size_t>(r)].outputs[0];
  if (g.is_graph_output(y) || u.readers(y).empty()) return false;
  for (int q : u.readers(y)) {
    const ir::Node& n = g.nodes[static_cast<size_t>(q)];
    if (n.op == "Transpose") continue;
    LayoutClass c = layout_class(n);
    if (!is_multi_input(c)) return false;
    for (ir::TensorId t : n.inputs) {
      if (t == y || t < 0 || g.tensor(t).is_static()) continue;
      int p = u.producer[static_cast<size_t>(t)];
      if (p < 0 || g.nodes[static_cast<size_t>(p)].op != "Transpose" ||
          g.nodes[static_cast<size_t>(p)].params.get_ints("perm") != perm)
        return false;
    }
  }
  return true;
}

// Transpose p has several readers, each able to take it and to land it cheaply: sinking
// into them one by one ends with p gone and no transpose more than before (ShuffleNet's
// channel split: two slices of one shuffled tensor).
bool readers_all_follow(const ir::Graph& g, const Uses& u, int p) {
  const ir::Node& t = g.nodes[static_cast<size_t>(p)];
  Perm perm = t.params.get_ints("perm");
  if (g.is_graph_output(t.outputs[0])) return false;
  for (int r : u.readers(t.outputs[0])) {
    const ir::Node& n = g.nodes[static_cast<size_t>(r)];
    LayoutClass c = layout_class(n);
    if (c == LayoutClass::kNone) return false;
    auto plan = plan_sink(g, u, static_cast<size_t>(r), c, data_rank(g, n, c));
    if (!plan || plan->perm != perm || !lands_cheaply(g, u, r, perm)) return false;
  }
  return true;
}

}  // namespace

// A graph output's layout must not change: there the node writes a twin.
Status restore_layout_after(ir::Graph& g, size_t i, const Perm& out_perm, MadeNames& made) {
  ir::TensorId y = g.nodes[i].outputs[0];
  std::string base = g.nodes[i].name + "_transpose";
  if (is_identity(out_perm)) return reinfer(g, i);
  if (g.is_graph_output(y)) {
    ir::TensorId twin = add_layout_twin(g, y, inverse(out_perm), made);
    g.nodes[i].outputs[0] = twin;
    OQNN_RETURN_IF_ERROR(reinfer(g, i));
    insert_transpose(g, i + 1, twin, y, out_perm, base);
    return Status::ok();
  }
  OQNN_RETURN_IF_ERROR(reinfer(g, i));
  ir::TensorId old_layout = add_layout_twin(g, y, out_perm, made);
  for (auto& n : g.nodes)
    for (auto& t : n.inputs)
      if (t == y) t = old_layout;
  insert_transpose(g, i + 1, y, old_layout, out_perm, base);
  return Status::ok();
}

void drop_sunk_transpose(ir::Graph& g, const Uses& u, int p, size_t i, MadeNames& made) {
  ir::TensorId b = g.nodes[static_cast<size_t>(p)].outputs[0];
  if (!only_read_by(g, u, b, static_cast<int>(i))) return;
  ir::TensorId a = g.nodes[static_cast<size_t>(p)].inputs[0];
  Perm perm = g.nodes[static_cast<size_t>(p)].params.get_ints("perm");
  kill_node(g, static_cast<size_t>(p));
  if (output_is_source_side(perm)) adopt_name(g, a, b, &made);
}

Expected<bool> sink_transpose(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  LayoutClass c = layout_class(g.nodes[i]);
  if (c == LayoutClass::kNone) return false;
  size_t rank = data_rank(g, g.nodes[i], c);
  // Shape inference rejects a malformed slice first; never index past its ranges here.
  if (c == LayoutClass::kSlice && g.nodes[i].params.get_ints("ranges").size() != 3 * rank)
    return false;
  auto plan = plan_sink(g, u, i, c, rank);
  if (!plan) return false;
  // Worth it when a transpose goes away, now or once its other readers have taken it
  // too, or when none is needed after the node (a reduction over exactly the moved dims),
  // even if the source transposes stay for their other readers.
  ir::Node probe = g.nodes[i];
  auto followed = [&](size_t k) {
    return readers_all_follow(g, u, u.producer[static_cast<size_t>(g.nodes[i].inputs[k])]);
  };
  if (!plan->removes_one && !is_identity(remap_axes(probe, plan->perm, rank)) &&
      std::none_of(plan->moving.begin(), plan->moving.end(), followed))
    return false;
  Perm inv = inverse(plan->perm);

  std::vector<int> sources;
  for (size_t k = 0; k < g.nodes[i].inputs.size(); ++k) {
    ir::TensorId t = g.nodes[i].inputs[k];
    if (std::find(plan->moving.begin(), plan->moving.end(), k) != plan->moving.end()) {
      int p = u.producer[static_cast<size_t>(t)];
      if (std::find(sources.begin(), sources.end(), p) == sources.end()) sources.push_back(p);
      g.nodes[i].inputs[k] = g.nodes[static_cast<size_t>(p)].inputs[0];
    } else if (!(c == LayoutClass::kBinary && is_layout_free(g, t, rank)) &&
               std::find(plan->pulled.begin(), plan->pulled.end(), k) == plan->pulled.end()) {
      ir::TensorId moved = permute_static_operand(g, u, t, rank, inv, static_cast<int>(i));
      g.nodes[i].inputs[k] = moved;
    }
  }
  // Pulled slots read the inverse transpose of their old value (one per tensor).
  std::vector<std::pair<ir::TensorId, ir::TensorId>> pulls;  // old value, its twin
  for (size_t k : plan->pulled) {
    ir::TensorId s = g.nodes[i].inputs[k];
    auto it = std::find_if(pulls.begin(), pulls.end(), [&](const auto& e) { return e.first == s; });
    if (it == pulls.end()) it = pulls.insert(pulls.end(), {s, add_layout_twin(g, s, inv, made)});
    g.nodes[i].inputs[k] = it->second;
  }
  Perm out_perm = remap_axes(g.nodes[i], plan->perm, rank);
  OQNN_RETURN_IF_ERROR(restore_layout_after(g, i, out_perm, made));
  // Transposes only this node read are gone; their input now stands for their output.
  for (int p : sources) drop_sunk_transpose(g, u, p, i, made);
  // Inserted last: they shift node i (nothing above needs its index any more).
  std::string base = g.nodes[i].name + "_pull";
  for (const auto& [s, twin] : pulls) insert_transpose(g, i, s, twin, inv, base);
  return true;
}

}  // namespace oqnn::passes
