// fuse_gelu: the exact Gelu as exporters decompose it, x * 0.5 * (1 + erf(x / sqrt(2))),
// becomes one Gelu node (approximate = none). Two orders are recognized, each with the
// division written as Div(x, sqrt 2) or Mul(x, 1 / sqrt 2) and constants on either side:
//   torch's nn.GELU:         Mul(Mul(x, 1 + erf(..)), 0.5)
//   Hugging Face's gelu():   Mul(Mul(x, 0.5), 1 + erf(..))
// Every intermediate must be read by the pattern alone (never a graph output); the Gelu
// writes the last node's output tensor, so its name and encoding survive.
#include <cmath>

#include "passes/graph_edit.h"
#include "passes/passes.h"

namespace oqnn::passes {
namespace {

// The value of a float32 static scalar (one element), if `t` is one.
bool scalar_near(const ir::Graph& g, ir::TensorId t, double want) {
  if (t < 0) return false;
  const ir::Tensor& s = g.tensor(t);
  if (!s.is_static() || s.dtype != ir::DataType::kFloat32 || ir::num_elements(s.shape) != 1)
    return false;
  const double v = float_values(s)[0];
  return std::abs(v - want) <= 1e-4 * std::abs(want);
}

// For a binary node `n` of op `op` with one operand a scalar near `c`: the other operand.
ir::TensorId other_than_scalar(const ir::Graph& g, const ir::Node& n, const char* op, double c,
                               bool commutative = true) {
  if (n.op != op || n.inputs.size() != 2) return ir::kNoTensor;
  if (scalar_near(g, n.inputs[1], c)) return n.inputs[0];
  if (commutative && scalar_near(g, n.inputs[0], c)) return n.inputs[1];
  return ir::kNoTensor;
}

class FuseGelu final : public Pass {
 public:
  std::string_view name() const override { return "fuse_gelu"; }

  Expected<bool> run(ir::Graph& g) override {
    bool changed = false;
    Uses u(g);
    auto producer = [&](ir::TensorId t) { return t < 0 ? -1 : u.producer[static_cast<size_t>(t)]; };
    auto sole_reader = [&](ir::TensorId t, int by) { return only_read_by(g, u, t, by); };
    auto single_reader = [&](ir::TensorId t) -> int {
      auto r = u.readers(t);
      return r.size() == 1 && !g.is_graph_output(t) ? r[0] : -1;
    };
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      if (g.nodes[i].op != "ElementWiseErf") continue;
      const int erf = static_cast<int>(i);
      const ir::TensorId scaled = g.nodes[i].inputs[0];
      const int div = producer(scaled);
      if (div < 0 || !sole_reader(scaled, erf)) continue;
      const ir::Node& dn = g.nodes[static_cast<size_t>(div)];
      ir::TensorId x = other_than_scalar(g, dn, "ElementWiseDivide", std::sqrt(2.0), false);
      if (x == ir::kNoTensor) x = other_than_scalar(g, dn, "ElementWiseMultiply", std::sqrt(0.5));
      if (x == ir::kNoTensor || g.tensor(x).dtype != ir::DataType::kFloat32) continue;
      const int add = single_reader(g.nodes[i].outputs[0]);
      if (add < 0 || other_than_scalar(g, g.nodes[static_cast<size_t>(add)], "ElementWiseAdd",
                                       1.0) != g.nodes[i].outputs[0])
        continue;
      const ir::TensorId one_plus = g.nodes[static_cast<size_t>(add)].outputs[0];
      const int mul = single_reader(one_plus);
      if (mul < 0 || g.nodes[static_cast<size_t>(mul)].op != "ElementWiseMultiply") continue;
      const ir::Node& mn = g.nodes[static_cast<size_t>(mul)];
      const ir::TensorId other = mn.inputs[0] == one_plus ? mn.inputs[1] : mn.inputs[0];
      std::vector<int> gone{div, erf, add};
      int last = -1;
      if (other == x) {  // Mul(x, 1 + erf), then Mul(.., 0.5)
        const int half = single_reader(mn.outputs[0]);
        if (half < 0 || other_than_scalar(g, g.nodes[static_cast<size_t>(half)],
                                          "ElementWiseMultiply", 0.5) != mn.outputs[0])
          continue;
        gone.push_back(mul);
        last = half;
      } else {  // Mul(Mul(x, 0.5), 1 + erf)
        const int half = producer(other);
        if (half < 0 || !sole_reader(other, mul) ||
            other_than_scalar(g, g.nodes[static_cast<size_t>(half)], "ElementWiseMultiply", 0.5) !=
                x)
          continue;
        gone.push_back(half);
        last = mul;
      }
      ir::Node& out = g.nodes[static_cast<size_t>(last)];
      if (g.tensor(out.outputs[0]).shape != g.tensor(x).shape) continue;  // no broadcast up
      out.op = "Gelu";
      out.inputs = {x};
      out.params = ir::Params{};
      out.params.set("approximate", std::string("none"));
      for (int k : gone) kill_node(g, static_cast<size_t>(k));
      changed = true;
      u = Uses(g);
    }
    if (!changed) return false;
    compact_nodes(g);
    g.remove_unused_tensors();
    return true;
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_gelu() {
  return std::make_unique<FuseGelu>();
}

}  // namespace oqnn::passes
