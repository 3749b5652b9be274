// Editing helpers the passes share: who reads what, rewiring uses, naming survivors,
// removing nodes without disturbing indices mid-pass, and re-running shape rules.
//
// Naming rule every rewrite follows: graph I/O and static names never change; when a
// rewrite makes a tensor disappear whose values live on in another (intermediate) tensor,
// the survivor takes the name a user would look up (quantization overrides, debug dumps).
#pragma once

#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::passes {

// Producer and readers of every tensor; rebuild after structural edits. Flat arrays,
// because the layout pass rebuilds it after every rewrite.
class Uses {
 public:
  explicit Uses(const ir::Graph& g);
  std::vector<int> producer;  // node index; -1 for inputs and statics
  // Distinct reading nodes of t, in graph order.
  std::span<const int> readers(ir::TensorId t) const {
    size_t i = static_cast<size_t>(t);
    return {readers_.data() + offsets_[i], readers_.data() + offsets_[i + 1]};
  }

 private:
  std::vector<int> offsets_, readers_;
};

// True when node `node` is the only reader of t and t is not a graph output.
bool only_read_by(const ir::Graph& g, const Uses& u, ir::TensorId t, int node);

// Names a pass invented (twins of tensors in another layout). They never replace a name
// that came from the model.
using MadeNames = std::set<std::string>;

// Only intermediate tensors may be renamed.
bool can_rename(const ir::Graph& g, ir::TensorId t);
// Gives t the name held by `holder`, which must be about to disappear (it is left with
// an empty name). The graph's name index is not rebuilt (a pass may rename thousands of
// tensors): every name stays taken for unique_tensor_name, but find_tensor may be stale
// until rebuild_name_index() or remove_unused_tensors(), which every pass that renames
// calls before it returns.
void rename_tensor(ir::Graph& g, ir::TensorId t, ir::TensorId holder);
// `gone` is disappearing and `twin` holds its values (possibly in another layout): twin
// takes gone's name when it may be renamed and gone's name is not in `made`.
void adopt_name(ir::Graph& g, ir::TensorId twin, ir::TensorId gone,
                const MadeNames* made = nullptr);

// Every read of `from` (node inputs and graph outputs) now reads `to`. When `from` was a
// graph output, `to` takes its place (kind, and the encoding when `to` has none).
void replace_uses(ir::Graph& g, ir::TensorId from, ir::TensorId to);

// `drop` disappears in favour of `keep`, which holds the same values: drop's readers and
// graph-output slot move to keep. keep takes drop's name when drop was a graph output,
// else the name of `name_from` (a tensor that disappears too; kNoTensor for none) when it
// may be renamed (and its name is not in `made`). Returns false, changing nothing, when
// drop is a graph output that keep cannot stand in for (a graph input, static or other
// output).
bool merge_into(ir::Graph& g, ir::TensorId keep, ir::TensorId drop, ir::TensorId name_from,
                const MadeNames* made = nullptr);

// Removes node i by marking it (op cleared, no inputs or outputs) so that other indices
// stay valid during a pass; compact_nodes() erases the marks.
void kill_node(ir::Graph& g, size_t i);
bool compact_nodes(ir::Graph& g);  // true when it erased any

// Recomputes node i's output shapes and dtypes from the op table.
Status reinfer(ir::Graph& g, size_t i);

// A fresh intermediate tensor named after `base` (made unique), float32 by default.
ir::TensorId add_twin(ir::Graph& g, const std::string& base, const ir::Shape& shape,
                      ir::DataType dt = ir::DataType::kFloat32);
// Inserts a Transpose in -> out at position pos; returns pos.
size_t insert_transpose(ir::Graph& g, size_t pos, ir::TensorId in, ir::TensorId out,
                        const std::vector<int64_t>& perm, const std::string& name_base);

// A new float32 static tensor (name made unique).
ir::TensorId add_float_static(ir::Graph& g, const std::string& name, const ir::Shape& shape,
                              const std::vector<float>& values);
std::vector<float> float_values(const ir::Tensor& t);
// A new static with `data` standing in for `old` at node `reader`: it takes old's name
// when reader was old's only reader (old then drops out as unused), else old's name plus
// `suffix`, made unique. dtype is old's; the encoding is left empty for the caller.
ir::TensorId restage_static(ir::Graph& g, const Uses& u, ir::TensorId old, int reader,
                            const ir::Shape& shape, std::shared_ptr<const Blob> data,
                            const std::string& suffix);

}  // namespace oqnn::passes
