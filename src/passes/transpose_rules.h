// The rewrite rules of cancel_transposes, each tried at one node index. A rule returns
// true when it changed the graph; it may kill nodes (see kill_node) and insert nodes, so
// the caller rebuilds its Uses afterwards. Every rule preserves the graph's values
// exactly (up to float summation order in reductions).
//
// Names: a node's output keeps its model name whatever layout it ends up in (so an
// override on "/relu/Relu_output_0" finds the Relu, or the Conv it fuses into); the
// transposes a rule adds write twins with invented names, recorded in `made`, which never
// replace a model name. When a transpose goes away, the survivor takes the vanishing
// name on the source-layout side.
#pragma once

#include <optional>

#include "ir/graph.h"
#include "passes/graph_edit.h"
#include "passes/perm.h"
#include "support/status.h"

namespace oqnn::passes {

// Transpose of a Transpose: one transpose with the composed perm, or nothing when the
// composition is the identity. An identity Transpose disappears.
Expected<bool> merge_transposes(ir::Graph& g, const Uses& u, size_t i, MadeNames& made);

// True when the Transpose at i should travel up rather than down: the chain of
// single-reader unary / static-operand ops above it ends at a graph input (which
// io_layout can then make channel-last) or at another Transpose (to cancel with).
bool wants_hoist(const ir::Graph& g, const Uses& u, size_t i);
// Where a transpose inserted on tensor x (read by node `reader`) would end up rising:
// `node` is the Transpose it would meet (-1: a graph input) and `reader` the node of the
// chain that reads that Transpose's output (or the input); nullopt when some op on the
// way stops it (a tensor with another reader, or an op not unary / static-operand).
struct HoistEnd {
  int node;
  int reader;
};
std::optional<HoistEnd> hoist_end(const ir::Graph& g, const Uses& u, ir::TensorId x, int reader);

// Layout-agnostic node i whose data inputs come from Transposes with one perm: the node
// reads the untransposed tensors (statics permuted, axes remapped) and one Transpose
// follows it. Done only when it removes at least one transpose, or adds none.
Expected<bool> sink_transpose(ir::Graph& g, const Uses& u, size_t i, MadeNames& made);

// Helpers of the sinking rules. Node i (rewritten to compute in the moved layout) is
// followed by a Transpose by out_perm that restores the old layout for its readers; the
// node keeps writing its own (model-named) tensor unless that is a graph output.
Status restore_layout_after(ir::Graph& g, size_t i, const Perm& out_perm, MadeNames& made);
// Transpose p, whose output node i no longer reads, goes when nothing else reads it; its
// input then takes the vanishing name when that is the source-layout one.
void drop_sunk_transpose(ir::Graph& g, const Uses& u, int p, size_t i, MadeNames& made);

// Reshape i of a Transpose's output, when the reshape only merges or splits dims that the
// transpose keeps together and in order: the Reshape reads the untransposed tensor and one
// Transpose (of whole groups of dims; none when they keep their order) follows it.
Expected<bool> sink_through_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made);

// Transpose i whose input comes from a single-reader unary / static-operand node U (and
// wants_hoist): the transpose moves above U.
Expected<bool> hoist_transpose(ir::Graph& g, const Uses& u, size_t i, MadeNames& made);

// Transpose that moves only size-1 dims becomes a Reshape.
Expected<bool> transpose_to_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made);
// Reshape of a Reshape reads the first one's input; a Reshape to its input's shape goes.
Expected<bool> simplify_reshape(ir::Graph& g, const Uses& u, size_t i, MadeNames& made);

}  // namespace oqnn::passes
