// fold_constants: a float32 node whose inputs are all static is evaluated once, here, with
// the CPU reference kernel, and its outputs become static tensors under their own names.
// Nodes producing graph outputs stay (a model's outputs are computed, not stored), and
// ops without a CPU kernel are left for the backends.
#include <spdlog/spdlog.h>

#include "backends/cpu/kernels.h"
#include "passes/graph_edit.h"
#include "passes/passes.h"
#include "runtime/thread_pool.h"

namespace oqnn::passes {
namespace {

bool foldable(const ir::Graph& g, const ir::Node& n) {
  bool any_input = false;
  for (ir::TensorId t : n.inputs) {
    if (t < 0) continue;
    const ir::Tensor& x = g.tensor(t);
    if (!x.is_static() || x.dtype != ir::DataType::kFloat32 || !x.data) return false;
    any_input = true;
  }
  if (!any_input || n.outputs.empty()) return false;
  for (ir::TensorId t : n.outputs)
    if (g.is_graph_output(t) || g.tensor(t).dtype != ir::DataType::kFloat32) return false;
  return true;
}

class FoldConstants final : public Pass {
 public:
  std::string_view name() const override { return "fold_constants"; }

  Expected<bool> run(ir::Graph& g) override {
    rt::ThreadPool pool(1);
    rt::KernelContext ctx{&pool};
    bool changed = false;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (!foldable(g, g.nodes[i])) continue;
      auto folded = fold(g, i, ctx);
      if (!folded) return folded.error();
      changed = changed || *folded;
    }
    if (!changed) return false;
    compact_nodes(g);
    g.remove_unused_tensors();  // frees the inputs that only fed folded nodes
    return true;
  }

 private:
  static Expected<bool> fold(ir::Graph& g, size_t i, const rt::KernelContext& ctx) {
    const ir::Node& n = g.nodes[i];
    auto kernel = cpu::make_ref_kernel(g, n);
    if (!kernel) {
      spdlog::debug("fold_constants: node '{}' ({}) kept: {}", n.name, n.op,
                    kernel.error().message);
      return false;
    }
    std::vector<rt::HostTensor> ins, outs;
    for (ir::TensorId t : n.inputs) {
      if (t < 0) {
        ins.push_back({nullptr, nullptr, 0});
        continue;
      }
      const ir::Tensor& x = g.tensor(t);
      ins.push_back({&x, const_cast<std::byte*>(x.data->data()), x.data->size()});
    }
    std::vector<std::shared_ptr<OwnedBlob>> bufs;
    for (ir::TensorId t : n.outputs) {
      const ir::Tensor& y = g.tensor(t);
      size_t size = static_cast<size_t>(ir::num_elements(y.shape)) * ir::dtype_size(y.dtype);
      bufs.push_back(std::make_shared<OwnedBlob>(std::vector<std::byte>(size)));
      outs.push_back({&y, bufs.back()->bytes().data(), size});
    }
    Status s = (*kernel)->run(ins, outs, ctx);
    if (!s.is_ok())
      return internal_error("constant folding of node '" + n.name + "' (" + n.op +
                            ") failed: " + s.error().message);
    for (size_t k = 0; k < n.outputs.size(); ++k) {
      ir::Tensor& y = g.tensor(n.outputs[k]);
      y.kind = ir::TensorKind::kStatic;
      y.data = bufs[k];
    }
    kill_node(g, i);
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fold_constants() {
  return std::make_unique<FoldConstants>();
}

}  // namespace oqnn::passes
