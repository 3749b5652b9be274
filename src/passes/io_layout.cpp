// io_layout (always last): QNN's converter hands image tensors to and from the model in
// NHWC. Unless --preserve_io layout, a rank-4 graph input read only by
// Transpose(0,2,3,1) becomes an NHWC input (the transposes go), and a rank-4 graph output
// made by Transpose(0,3,1,2) becomes that transpose's input under the output's name.
// Every graph input and output gets its layout recorded as
// attributes["io_layout.<name>"]; the converter logs it and writes it to model_net.json.
#include "passes/graph_edit.h"
#include "passes/passes.h"
#include "passes/perm.h"

namespace oqnn::passes {
namespace {

// The ONNX-style layout of a tensor left in its source layout.
std::string source_layout(size_t rank) {
  switch (rank) {
    case 1:
      return "F";
    case 2:
      return "NF";
    case 3:
      return "NCF";
    case 4:
      return "NCHW";
    case 5:
      return "NCDHW";
    default:
      return "NONTRIVIAL";
  }
}

bool is_transpose(const ir::Node& n, const Perm& perm) {
  return n.op == "Transpose" && n.params.get_ints("perm") == perm;
}

// Input x: all readers are Transpose(0,2,3,1) whose outputs are not graph outputs.
bool make_input_nhwc(ir::Graph& g, ir::TensorId x) {
  Uses u(g);
  auto readers = u.readers(x);
  if (g.tensor(x).shape.size() != 4 || readers.empty() || g.is_graph_output(x)) return false;
  for (int r : readers) {
    const ir::Node& n = g.nodes[static_cast<size_t>(r)];
    if (!is_transpose(n, to_channel_last(4)) || g.is_graph_output(n.outputs[0])) return false;
  }
  g.tensor(x).shape = permute_shape(g.tensor(x).shape, to_channel_last(4));
  for (int r : readers) {
    replace_uses(g, g.nodes[static_cast<size_t>(r)].outputs[0], x);
    kill_node(g, static_cast<size_t>(r));
  }
  compact_nodes(g);
  return true;
}

// Output y made by Transpose(0,3,1,2) from an intermediate a: a becomes the output.
bool make_output_nhwc(ir::Graph& g, ir::TensorId y) {
  Uses u(g);
  int p = u.producer[static_cast<size_t>(y)];
  if (p < 0 || !is_transpose(g.nodes[static_cast<size_t>(p)], to_channel_first(4))) return false;
  ir::TensorId a = g.nodes[static_cast<size_t>(p)].inputs[0];
  if (!can_rename(g, a)) return false;
  if (!u.readers(y).empty()) {
    // Other nodes still want the channel-first values: the transpose stays for them.
    ir::TensorId rest = add_twin(g, g.tensor(y).name + "_nchw", g.tensor(y).shape);
    for (auto& n : g.nodes)
      for (auto& t : n.inputs)
        if (t == y) t = rest;
    g.nodes[static_cast<size_t>(p)].outputs[0] = rest;
  } else {
    kill_node(g, static_cast<size_t>(p));
    compact_nodes(g);
  }
  merge_into(g, a, y, ir::kNoTensor);
  return true;
}

class IoLayout final : public Pass {
 public:
  explicit IoLayout(bool preserve) : preserve_(preserve) {}
  std::string_view name() const override { return "io_layout"; }

  Expected<bool> run(ir::Graph& g) override {
    bool changed = false;
    for (size_t k = 0; k < g.inputs.size(); ++k) {
      ir::TensorId x = g.inputs[k];
      bool nhwc = !preserve_ && make_input_nhwc(g, x);
      changed = record(g, g.tensor(x), nhwc) || changed;
    }
    for (size_t k = 0; k < g.outputs.size(); ++k) {
      bool nhwc = !preserve_ && make_output_nhwc(g, g.outputs[k]);
      changed = record(g, g.tensor(g.outputs[k]), nhwc) || changed;
    }
    if (changed) g.remove_unused_tensors();
    return changed;
  }

 private:
  // Records the layout; true when that changed the graph.
  static bool record(ir::Graph& g, const ir::Tensor& t, bool nhwc) {
    std::string key = "io_layout." + t.name;
    if (!nhwc && g.attributes.count(key)) return false;  // already decided
    std::string layout = nhwc ? "NHWC" : source_layout(t.shape.size());
    bool changed = nhwc || g.attributes[key] != layout;
    g.attributes[key] = layout;
    return changed;
  }

  bool preserve_;
};

}  // namespace

std::unique_ptr<Pass> make_io_layout(bool preserve_io_layout) {
  return std::make_unique<IoLayout>(preserve_io_layout);
}

}  // namespace oqnn::passes
