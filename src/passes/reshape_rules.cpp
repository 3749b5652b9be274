// Transposes that move no data become Reshapes; chains of Reshapes collapse; a Transpose
// sinks below a Reshape that merges or splits only dims it keeps together.
#include <algorithm>
#include <optional>
#include <vector>

#include "passes/perm.h"
#include "passes/transpose_rules.h"

namespace oqnn::passes {
namespace {

// Reshape y = reshape(b) with b = transpose(a, p), rewritten as y = transpose(a2, q) with
// a2 = reshape(a); nullopt when no such pair exists. Only dims larger than 1 matter to a
// reshape: they split into groups, each one dim of b split into dims of y or dims of b
// merged into one of y, and a group's dims must come from consecutive dims of a, in order.
// Those groups then move as blocks: a2 is a with each group's dims replaced by its y dims,
// q puts the blocks in y's order, and y's size-1 dims keep their places.
struct ReshapeSwap {
  ir::Shape a2;
  Perm q;
};
std::optional<ReshapeSwap> swap_reshape(const ir::Shape& a, const Perm& p, const ir::Shape& y) {
  // b's dims larger than 1: their sizes and their positions among a's dims larger than 1.
  std::vector<int64_t> pos(a.size(), -1);
  int64_t big = 0;
  for (size_t d = 0; d < a.size(); ++d)
    if (a[d] != 1) pos[d] = big++;
  std::vector<int64_t> src, size;
  for (int64_t d : p)
    if (a[static_cast<size_t>(d)] != 1) {
      src.push_back(pos[static_cast<size_t>(d)]);
      size.push_back(a[static_cast<size_t>(d)]);
    }
  std::vector<size_t> ydims;  // y's dims larger than 1
  for (size_t j = 0; j < y.size(); ++j)
    if (y[j] != 1) ydims.push_back(j);
  struct Group {
    int64_t first_src;
    std::vector<size_t> ydims;
  };
  std::vector<Group> groups;
  size_t bi = 0, yi = 0;
  while (bi < src.size() && yi < ydims.size()) {
    size_t b0 = bi, y0 = yi;
    int64_t pb = size[bi++], py = y[ydims[yi++]];
    while (pb != py) {
      if (pb < py && bi < src.size())
        pb *= size[bi++];
      else if (py < pb && yi < ydims.size())
        py *= y[ydims[yi++]];
      else
        return std::nullopt;
    }
    if (bi - b0 > 1 && yi - y0 > 1) return std::nullopt;
    for (size_t k = b0 + 1; k < bi; ++k)
      if (src[k] != src[k - 1] + 1) return std::nullopt;
    groups.push_back({src[b0], std::vector<size_t>(ydims.begin() + static_cast<long>(y0),
                                                   ydims.begin() + static_cast<long>(yi))});
  }
  if (bi != src.size() || yi != ydims.size()) return std::nullopt;
  std::sort(groups.begin(), groups.end(),
            [](const Group& l, const Group& r) { return l.first_src < r.first_src; });
  ReshapeSwap s{ir::Shape(y.size(), 1), Perm(y.size())};
  size_t slot = 0;
  auto next_free = [&] {
    while (y[slot] == 1) {
      s.q[slot] = static_cast<int64_t>(slot);
      ++slot;
    }
    return slot++;
  };
  for (const Group& gr : groups)
    for (size_t j : gr.ydims) {
      size_t at = next_free();
      s.a2[at] = y[j];
      s.q[j] = static_cast<int64_t>(at);
    }
  for (; slot < y.size(); ++slot) s.q[slot] = static_cast<int64_t>(slot);
  return s;
}

}  // namespace

Expected<bool> sink_through_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  ir::Node& n = g.nodes[i];
  if (n.op != "Reshape") return false;
  ir::TensorId b = n.inputs[0];
  int p = u.producer[static_cast<size_t>(b)];
  if (p < 0 || g.nodes[static_cast<size_t>(p)].op != "Transpose" ||
      !only_read_by(g, u, b, static_cast<int>(i)) || wants_hoist(g, u, static_cast<size_t>(p)))
    return false;
  ir::TensorId a = g.nodes[static_cast<size_t>(p)].inputs[0];
  Perm perm = g.nodes[static_cast<size_t>(p)].params.get_ints("perm");
  // One that moves only size-1 dims becomes a Reshape and merges into this one instead.
  if (moves_only_unit_dims(g.tensor(a).shape, perm)) return false;
  auto swap = swap_reshape(g.tensor(a).shape, perm, g.tensor(n.outputs[0]).shape);
  if (!swap) return false;
  n.inputs[0] = a;
  n.params.set("shape", swap->a2);
  OQNN_RETURN_IF_ERROR(restore_layout_after(g, i, swap->q, made));
  drop_sunk_transpose(g, u, p, i, made);
  return true;
}

Expected<bool> transpose_to_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  ir::Node& n = g.nodes[i];
  if (n.op != "Transpose") return false;
  Perm perm = n.params.get_ints("perm");
  if (!moves_only_unit_dims(g.tensor(n.inputs[0]).shape, perm)) return false;
  n.op = "Reshape";
  n.params.erase("perm");
  n.params.set("shape", g.tensor(n.outputs[0]).shape);
  return true;
}

Expected<bool> simplify_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made) {
  ir::Node& n = g.nodes[i];
  if (n.op != "Reshape") return false;
  ir::TensorId x = n.inputs[0], y = n.outputs[0];
  if (g.tensor(x).shape == g.tensor(y).shape) {
    if (!merge_into(g, x, y, y, &made)) return false;
    kill_node(g, i);
    return true;
  }
  int p = u.producer[static_cast<size_t>(x)];
  if (p < 0 || g.nodes[static_cast<size_t>(p)].op != "Reshape") return false;
  n.inputs[0] = g.nodes[static_cast<size_t>(p)].inputs[0];
  if (only_read_by(g, u, x, static_cast<int>(i))) kill_node(g, static_cast<size_t>(p));
  return true;
}

}  // namespace oqnn::passes
