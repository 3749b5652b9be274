// fuse_gelu: Gelu as exporters decompose it becomes one Gelu node.
//   exact (approximate = none):  x * 0.5 * (1 + erf(x / sqrt 2)), the division written as
//     Div(x, sqrt 2) or Mul(x, 1 / sqrt 2) (torch's nn.GELU, Hugging Face's gelu());
//   tanh (approximate = tanh):   x * 0.5 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3))),
//     x^3 as Pow(x, 3) or a product of three x (GPT-2's gelu_new, torch's
//     approximate='tanh').
// The outer product x * 0.5 * (1 + ..) and the inner ones may be grouped in any order with
// constants on either side. Every intermediate must be read by the pattern alone (never a
// graph output); the Gelu writes the last node's output tensor, so its name and encoding
// survive.
#include <algorithm>
#include <cmath>
#include <numbers>

#include "passes/passes.h"
#include "passes/pattern_match.h"

namespace oqnn::passes {
namespace {

// Whether `factors` is, in any order, exactly the tensors `want` plus one static scalar
// near each value of `scalars`.
bool factors_are(const ir::Graph& g, std::vector<ir::TensorId> factors,
                 std::vector<ir::TensorId> want, std::vector<double> scalars) {
  if (factors.size() != want.size() + scalars.size()) return false;
  for (ir::TensorId w : want) {
    auto it = std::find(factors.begin(), factors.end(), w);
    if (it == factors.end()) return false;
    factors.erase(it);
  }
  for (double c : scalars) {
    auto it = std::find_if(factors.begin(), factors.end(),
                           [&](ir::TensorId t) { return scalar_near(g, t, c); });
    if (it == factors.end()) return false;
    factors.erase(it);
  }
  return true;
}

// The product x * 0.5 * one_plus, grouped any way, read from one_plus on: the index of
// its last Mul (the nodes opened are added to `gone`), or -1.
int match_outer(const ir::Graph& g, const PatternView& v, ir::TensorId x, ir::TensorId one_plus,
                std::vector<int>& gone) {
  int cur = v.single_reader(one_plus);
  for (int depth = 0; depth < 3 && cur >= 0; ++depth) {
    if (v.node(cur).op != "ElementWiseMultiply") return -1;
    std::vector<int> nodes;
    auto f = product_factors(v, v.node(cur).outputs[0], nodes);
    if (factors_are(g, f, {x, one_plus}, {0.5})) {
      gone.insert(gone.end(), nodes.begin() + 1, nodes.end());
      return cur;
    }
    cur = v.single_reader(v.node(cur).outputs[0]);
  }
  return -1;
}

// x of the exact form's erf input, x / sqrt 2 (its node is added to `gone`).
ir::TensorId match_erf_input(const ir::Graph& g, const PatternView& v, int erf,
                             std::vector<int>& gone) {
  const ir::TensorId scaled = v.node(erf).inputs[0];
  const int div = v.producer(scaled);
  if (div < 0 || !v.only_reader(scaled, erf)) return ir::kNoTensor;
  const ir::Node& dn = v.node(div);
  ir::TensorId x = other_than_scalar(g, dn, "ElementWiseDivide", std::sqrt(2.0), false);
  if (x == ir::kNoTensor) x = other_than_scalar(g, dn, "ElementWiseMultiply", std::sqrt(0.5));
  if (x != ir::kNoTensor) gone.push_back(div);
  return x;
}

// Whether `cube` is x^3 * 0.044715 (Pow(x, 3) or x * x * x), read by `reader` alone.
bool is_cubic_term(const ir::Graph& g, const PatternView& v, ir::TensorId cube, ir::TensorId x,
                   int reader, std::vector<int>& gone) {
  if (!v.only_reader(cube, reader)) return false;
  std::vector<int> nodes;
  auto f = product_factors(v, cube, nodes);
  if (factors_are(g, f, {x, x, x}, {0.044715})) {
    gone.insert(gone.end(), nodes.begin(), nodes.end());
    return true;
  }
  for (ir::TensorId t : f) {
    const int p = v.producer(t);
    if (p < 0 || other_than_scalar(g, v.node(p), "ElementWisePower", 3.0, false) != x ||
        !factors_are(g, f, {t}, {0.044715}) || v.single_reader(t) < 0)
      continue;
    gone.insert(gone.end(), nodes.begin(), nodes.end());
    gone.push_back(p);
    return true;
  }
  return false;
}

// x of the tanh form's tanh input, sqrt(2/pi) * (x + 0.044715 * x^3).
ir::TensorId match_tanh_input(const ir::Graph& g, const PatternView& v, int tanh,
                              std::vector<int>& gone) {
  const ir::TensorId arg = v.node(tanh).inputs[0];
  if (!v.only_reader(arg, tanh)) return ir::kNoTensor;
  std::vector<int> nodes;
  auto f = product_factors(v, arg, nodes);
  if (f.size() != 2) return ir::kNoTensor;
  const ir::TensorId inner = scalar_near(g, f[0], std::sqrt(2.0 / std::numbers::pi)) ? f[1] : f[0];
  if (!factors_are(g, f, {inner}, {std::sqrt(2.0 / std::numbers::pi)})) return ir::kNoTensor;
  const int add = v.producer(inner);
  if (add < 0 || v.node(add).op != "ElementWiseAdd" || v.single_reader(inner) < 0)
    return ir::kNoTensor;
  for (int k = 0; k < 2; ++k) {
    const ir::TensorId x = v.node(add).inputs[static_cast<size_t>(k)];
    const ir::TensorId cube = v.node(add).inputs[static_cast<size_t>(1 - k)];
    std::vector<int> cubic;
    if (!is_cubic_term(g, v, cube, x, add, cubic)) continue;
    gone.insert(gone.end(), nodes.begin(), nodes.end());
    gone.insert(gone.end(), cubic.begin(), cubic.end());
    gone.push_back(add);
    return x;
  }
  return ir::kNoTensor;
}

class FuseGelu final : public Pass {
 public:
  std::string_view name() const override { return "fuse_gelu"; }

  Expected<bool> run(ir::Graph& g) override {
    return fuse_each(g, "fuse_gelu", [&g](const PatternView& v, size_t i) -> const char* {
      const bool exact = g.nodes[i].op == "ElementWiseErf";
      if (!exact && g.nodes[i].op != "Tanh") return nullptr;
      const int f = static_cast<int>(i);
      std::vector<int> gone{f};
      const ir::TensorId x =
          exact ? match_erf_input(g, v, f, gone) : match_tanh_input(g, v, f, gone);
      if (x == ir::kNoTensor || g.tensor(x).dtype != ir::DataType::kFloat32) return nullptr;
      const int add = v.single_reader(g.nodes[i].outputs[0]);
      if (add < 0 ||
          other_than_scalar(g, v.node(add), "ElementWiseAdd", 1.0) != g.nodes[i].outputs[0])
        return nullptr;
      gone.push_back(add);
      const int last = match_outer(g, v, x, v.node(add).outputs[0], gone);
      if (last < 0 || g.tensor(v.node(last).outputs[0]).shape != g.tensor(x).shape)
        return nullptr;  // no broadcast up
      ir::Params p;
      p.set("approximate", std::string(exact ? "none" : "tanh"));
      replace_pattern(g, last, "Gelu", {x}, std::move(p), std::move(gone));
      return "Gelu";
    });
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_gelu() {
  return std::make_unique<FuseGelu>();
}

}  // namespace oqnn::passes
