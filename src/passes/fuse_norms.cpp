// fuse_norms: LayerNorm and RmsNorm as exporters decompose them become one node.
//   LayerNorm: d = x - ReduceMean(x) (one Sub read twice, or two Subs as some exports
//              write it), ReduceMean(d^2) over the same axes, then the tail;
//   RmsNorm:   ReduceMean(x^2), then the tail, normalizing x itself (LLaMA, T5);
//   the tail:  + eps, then Div(., Sqrt(.)), Mul(., 1 / Sqrt(.)) (Reciprocal, rsqrt) or
//              Mul(., Pow(., -0.5)); then optionally Mul by a static gamma and Add a
//              static beta.
// Squares are Pow(., 2) or Mul(d, d); constants may stand on either side of Add and Mul;
// both ReduceMeans keep dims, over the same axes (attribute or opset-18 input: the
// importer gives both as axes). Every intermediate must be read by the pattern alone and
// not be a graph output. The fused node writes the last node's output tensor; LayerNorm
// always gets gamma and beta (ones and zeros when absent, as QNN's converter emits),
// RmsNorm gamma (ones when absent) and beta only when the model has one.
#include <algorithm>

#include "ir/op_def.h"
#include "passes/passes.h"
#include "passes/pattern_match.h"

namespace oqnn::passes {
namespace {

bool is_float32(const ir::Graph& g, ir::TensorId t) {
  return t >= 0 && g.tensor(t).dtype == ir::DataType::kFloat32;
}

// b when node p is Pow(b, 2) or Mul(b, b), else kNoTensor.
ir::TensorId square_base(const ir::Graph& g, const PatternView& v, int p) {
  if (p < 0) return ir::kNoTensor;
  const ir::Node& n = v.node(p);
  if (n.op == "ElementWiseMultiply" && n.inputs.size() == 2 && n.inputs[0] == n.inputs[1])
    return n.inputs[0];
  return other_than_scalar(g, n, "ElementWisePower", 2.0, false);
}

bool is_mean(const ir::Node& n, const std::vector<int64_t>* axes) {
  if (n.op != "ReduceMean" || n.params.get_int("keep_dims", 1) == 0) return false;
  if (!axes) return true;
  auto a = n.params.get_ints("axes"), b = *axes;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// The other operand of binary node n when one of its two is `t`.
ir::TensorId other_operand(const ir::Node& n, ir::TensorId t) {
  if (n.inputs.size() != 2) return ir::kNoTensor;
  if (n.inputs[0] == t) return n.inputs[1];
  return n.inputs[1] == t ? n.inputs[0] : ir::kNoTensor;
}

// A static float32 operand that broadcasts to `x` without changing its shape.
bool is_affine_operand(const ir::Graph& g, ir::TensorId t, const ir::Shape& x) {
  if (t < 0 || !g.tensor(t).is_static() || !is_float32(g, t)) return false;
  const ir::Shape& s = g.tensor(t).shape;
  auto b = ir::broadcast_shapes(x, s);
  return b && *b == x && s.size() <= x.size();
}

struct Match {
  std::vector<int> gone;  // pattern nodes that disappear
  int last = -1;          // the node that becomes the norm
  int num_reader = -1;    // the node that reads the normalized operand
  std::vector<int64_t> axes;
  double eps = 0.0;
  ir::TensorId gamma = ir::kNoTensor, beta = ir::kNoTensor;
};

// The tail from the square node `sq` on, normalizing `num` (of shape `x`).
bool match_tail(const ir::Graph& g, const PatternView& v, int sq, ir::TensorId num,
                const ir::Shape& x, const std::vector<int64_t>* axes, Match& m) {
  const int mean = v.single_reader(v.node(sq).outputs[0]);
  if (mean < 0 || !is_mean(v.node(mean), axes)) return false;
  const ir::TensorId var = v.node(mean).outputs[0];
  const int add = v.single_reader(var);
  if (add < 0 || v.node(add).op != "ElementWiseAdd") return false;
  auto eps = static_scalar(g, other_operand(v.node(add), var));
  if (!eps || !(*eps >= 0.0)) return false;
  m.gone.insert(m.gone.end(), {sq, mean, add});
  m.axes = v.node(mean).params.get_ints("axes");
  std::sort(m.axes.begin(), m.axes.end());
  m.eps = *eps;
  const ir::TensorId shifted = v.node(add).outputs[0];
  int root = v.single_reader(shifted), y = -1;
  if (root < 0) return false;
  ir::TensorId inv = ir::kNoTensor;  // 1 / sqrt(var + eps), when computed apart
  if (other_than_scalar(g, v.node(root), "ElementWisePower", -0.5, false) == shifted) {
    inv = v.node(root).outputs[0];
  } else if (v.node(root).op == "ElementWiseSquareRoot") {
    const ir::TensorId s = v.node(root).outputs[0];
    const int r = v.single_reader(s);
    if (r < 0) return false;
    const ir::Node& rn = v.node(r);
    if (rn.op == "ElementWiseDivide" && rn.inputs.size() == 2 && rn.inputs[0] == num &&
        rn.inputs[1] == s) {
      y = r;
    } else if (rn.op == "ElementWiseDivide" && rn.inputs.size() == 2 && rn.inputs[1] == s &&
               scalar_near(g, rn.inputs[0], 1.0)) {
      m.gone.push_back(root);
      root = r;
      inv = rn.outputs[0];
    } else {
      return false;
    }
  } else {
    return false;
  }
  m.gone.push_back(root);
  if (inv != ir::kNoTensor) {
    y = v.single_reader(inv);
    if (y < 0 || v.node(y).op != "ElementWiseMultiply" || other_operand(v.node(y), inv) != num)
      return false;
  }
  m.num_reader = y;
  // Optional gamma, then optional beta.
  m.last = y;
  int next = v.single_reader(v.node(y).outputs[0]);
  if (next >= 0 && v.node(next).op == "ElementWiseMultiply") {
    ir::TensorId gm = other_operand(v.node(next), v.node(y).outputs[0]);
    if (is_affine_operand(g, gm, x)) {
      m.gamma = gm;
      m.gone.push_back(m.last);
      m.last = next;
      next = v.single_reader(v.node(next).outputs[0]);
    }
  }
  if (next >= 0 && v.node(next).op == "ElementWiseAdd") {
    ir::TensorId bt = other_operand(v.node(next), v.node(m.last).outputs[0]);
    if (is_affine_operand(g, bt, x)) {
      m.beta = bt;
      m.gone.push_back(m.last);
      m.last = next;
    }
  }
  return g.tensor(v.node(m.last).outputs[0]).shape == x;
}

// LayerNorm anchored at its first ReduceMean `r`.
bool match_layer_norm(const ir::Graph& g, const PatternView& v, int r, Match& m) {
  const ir::Node& rn = v.node(r);
  const ir::TensorId x = rn.inputs[0], mean = rn.outputs[0];
  if (!is_float32(g, x) || !is_mean(rn, nullptr) || g.is_graph_output(mean)) return false;
  const auto axes = rn.params.get_ints("axes");
  std::vector<int> subs;
  for (int s : v.uses().readers(mean)) {
    const ir::Node& sn = v.node(s);
    if (sn.op != "ElementWiseSubtract" || sn.inputs.size() != 2 || sn.inputs[0] != x ||
        sn.inputs[1] != mean || g.is_graph_output(sn.outputs[0]))
      return false;
    subs.push_back(s);
  }
  const ir::Shape& xs = g.tensor(x).shape;
  auto readers_of = [&](int s) {
    auto rd = v.uses().readers(v.node(s).outputs[0]);
    return std::vector<int>(rd.begin(), rd.end());
  };
  if (subs.size() == 1) {  // d read by the square and by the normalization
    const ir::TensorId d = v.node(subs[0]).outputs[0];
    auto rd = readers_of(subs[0]);
    if (rd.size() != 2) return false;
    for (int k = 0; k < 2; ++k) {
      Match t;
      const int sq = rd[static_cast<size_t>(k)];
      if (square_base(g, v, sq) != d || !match_tail(g, v, sq, d, xs, &axes, t) ||
          t.num_reader != rd[static_cast<size_t>(1 - k)])
        continue;
      m = std::move(t);
      m.gone.insert(m.gone.end(), {r, subs[0]});
      return true;
    }
    return false;
  }
  if (subs.size() != 2) return false;
  for (int k = 0; k < 2; ++k) {  // one Sub squared, the other normalized
    const int s_sq = subs[static_cast<size_t>(k)], s_num = subs[static_cast<size_t>(1 - k)];
    const int sq = v.single_reader(v.node(s_sq).outputs[0]);
    Match t;
    if (sq < 0 || square_base(g, v, sq) != v.node(s_sq).outputs[0] ||
        !match_tail(g, v, sq, v.node(s_num).outputs[0], xs, &axes, t) ||
        v.single_reader(v.node(s_num).outputs[0]) != t.num_reader)
      continue;
    m = std::move(t);
    m.gone.insert(m.gone.end(), {r, s_sq, s_num});
    return true;
  }
  return false;
}

// RmsNorm anchored at its ReduceMean of squares `r`.
bool match_rms_norm(const ir::Graph& g, const PatternView& v, int r, Match& m) {
  const int sq = v.producer(v.node(r).inputs[0]);
  const ir::TensorId x = square_base(g, v, sq);
  if (!is_float32(g, x) || !v.only_reader(v.node(sq).outputs[0], r)) return false;
  return match_tail(g, v, sq, x, g.tensor(x).shape, nullptr, m);
}

// Ones or zeros shaped like the normalized axes of x (leading 1s dropped).
ir::TensorId affine_static(ir::Graph& g, const ir::Shape& x, const std::vector<int64_t>& axes,
                           const std::string& name, float value) {
  ir::Shape s(x.size(), 1);
  for (int64_t a : axes) s[static_cast<size_t>(a)] = x[static_cast<size_t>(a)];
  const auto first = static_cast<size_t>(axes.front());
  s.erase(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(first));
  return add_float_static(g, name, s,
                          std::vector<float>(static_cast<size_t>(ir::num_elements(s)), value));
}

void rewrite(ir::Graph& g, const Match& m, ir::TensorId x, bool layer_norm) {
  const ir::Shape xs = g.tensor(x).shape;
  const std::string base = g.nodes[static_cast<size_t>(m.last)].name;
  ir::TensorId gamma = m.gamma, beta = m.beta;
  if (gamma == ir::kNoTensor) gamma = affine_static(g, xs, m.axes, base + "_gamma", 1.0f);
  if (layer_norm && beta == ir::kNoTensor)
    beta = affine_static(g, xs, m.axes, base + "_beta", 0.0f);
  std::vector<ir::TensorId> inputs{x, gamma};
  if (beta != ir::kNoTensor) inputs.push_back(beta);
  ir::Params p;
  p.set("epsilon", m.eps);
  p.set("axes", m.axes);
  replace_pattern(g, m.last, layer_norm ? "LayerNorm" : "RmsNorm", std::move(inputs), std::move(p),
                  m.gone);
}

class FuseNorms final : public Pass {
 public:
  std::string_view name() const override { return "fuse_norms"; }

  Expected<bool> run(ir::Graph& g) override {
    return fuse_each(g, "fuse_norms", [&g](const PatternView& v, size_t i) -> const char* {
      if (g.nodes[i].op != "ReduceMean") return nullptr;
      const int r = static_cast<int>(i);
      Match m;
      ir::TensorId x = g.nodes[i].inputs[0];
      const bool layer_norm = match_layer_norm(g, v, r, m);
      if (!layer_norm) {
        m = Match{};
        if (!match_rms_norm(g, v, r, m)) return nullptr;
        x = square_base(g, v, v.producer(x));
      }
      rewrite(g, m, x, layer_norm);
      return layer_norm ? "LayerNorm" : "RmsNorm";
    });
  }
};

}  // namespace

std::unique_ptr<Pass> make_fuse_norms() {
  return std::make_unique<FuseNorms>();
}

}  // namespace oqnn::passes
