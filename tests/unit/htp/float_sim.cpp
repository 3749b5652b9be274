#include "float_sim.h"

#include <algorithm>
#include <cmath>

namespace oqnn::htp::test {
namespace {

using ir::Shape;

std::vector<int64_t> unflatten(int64_t i, const Shape& s) {
  std::vector<int64_t> c(s.size());
  for (size_t d = s.size(); d-- > 0;) {
    c[d] = i % s[d];
    i /= s[d];
  }
  return c;
}

// Offset in `in` of the element that broadcasts to output coordinates `c`.
int64_t broadcast_offset(const std::vector<int64_t>& c, const Shape& in) {
  int64_t off = 0;
  const size_t lead = c.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) off = off * in[d] + (in[d] == 1 ? 0 : c[lead + d]);
  return off;
}

int64_t flat(const std::vector<int64_t>& c, const Shape& s) {
  int64_t off = 0;
  for (size_t d = 0; d < s.size(); ++d) off = off * s[d] + c[d];
  return off;
}

const Shape& shape(const ir::Graph& g, ir::TensorId t) {
  return g.tensor(t).shape;
}

// The window of a Conv2d / DepthWiseConv2d / Conv3d / TransposeConv2d / TransposeConv3d
// node as 3-D (a 2-D op is one plane deep): input and output [N, D, H, W, C], kernel
// [D, H, W], per-axis stride, dilation and leading pad.
struct Window3 {
  Shape x, y, k;
  std::vector<int64_t> st, dl, pad0;
};

Window3 window3(const ir::Graph& g, const ir::Node& n) {
  Shape x = shape(g, n.inputs[0]), y = shape(g, n.outputs[0]), w = shape(g, n.inputs[1]);
  const size_t r = x.size() - 2;
  auto st = n.params.get_ints("stride", std::vector<int64_t>(r, 1));
  auto dl = n.params.get_ints("dilation", std::vector<int64_t>(r, 1));
  auto pad = n.params.get_ints("pad_amount", std::vector<int64_t>(2 * r, 0));
  Window3 v{x, y, Shape(w.begin(), w.begin() + static_cast<std::ptrdiff_t>(r)), st, dl, {}};
  for (size_t i = 0; i < r; ++i) v.pad0.push_back(pad[2 * i]);
  if (r == 2) {
    v.x.insert(v.x.begin() + 1, 1);
    v.y.insert(v.y.begin() + 1, 1);
    v.k.insert(v.k.begin(), 1);
    for (auto* p : {&v.st, &v.dl}) p->insert(p->begin(), 1);
    v.pad0.insert(v.pad0.begin(), 0);
  }
  return v;
}

Reals conv(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Window3 v = window3(g, n);
  const Shape &x = v.x, &y = v.y, &k = v.k, &w = shape(g, n.inputs[1]);
  const bool dw = n.op == "DepthWiseConv2d";
  const int64_t groups = dw ? x[4] : n.params.get_int("group", 1);
  const int64_t cout = w.back(), cout_per_group = cout / groups, cin_g = dw ? 1 : w[w.size() - 2];
  Reals out(static_cast<size_t>(ir::num_elements(y)));
  int64_t i = 0;
  for (int64_t b = 0; b < y[0]; ++b)
    for (int64_t oz = 0; oz < y[1]; ++oz)
      for (int64_t oy = 0; oy < y[2]; ++oy)
        for (int64_t ox = 0; ox < y[3]; ++ox)
          for (int64_t co = 0; co < cout; ++co, ++i) {
            const int64_t grp = co / cout_per_group;
            double acc = in.size() > 2 && !in[2].empty() ? in[2][co] : 0.0;
            for (int64_t kz = 0; kz < k[0]; ++kz)
              for (int64_t ky = 0; ky < k[1]; ++ky)
                for (int64_t kx = 0; kx < k[2]; ++kx) {
                  const int64_t iz = oz * v.st[0] - v.pad0[0] + kz * v.dl[0];
                  const int64_t iy = oy * v.st[1] - v.pad0[1] + ky * v.dl[1];
                  const int64_t ix = ox * v.st[2] - v.pad0[2] + kx * v.dl[2];
                  if (iz < 0 || iz >= x[1] || iy < 0 || iy >= x[2] || ix < 0 || ix >= x[3])
                    continue;
                  const double* xp =
                      &in[0][(((b * x[1] + iz) * x[2] + iy) * x[3] + ix) * x[4] + grp * cin_g];
                  const double* wp = &in[1][(((kz * k[1] + ky) * k[2] + kx) * cin_g) * cout + co];
                  for (int64_t ci = 0; ci < cin_g; ++ci) acc += xp[ci] * wp[ci * cout];
                }
            out[i] = acc;
          }
  return out;
}

// Transposed: output element o gathers every input element and tap with
// i * stride - pad + k * dilation == o (the scatter of the definition, read backwards).
Reals transpose_conv(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Window3 v = window3(g, n);
  const Shape &x = v.x, &y = v.y, &k = v.k, &w = shape(g, n.inputs[1]);
  const int64_t groups = n.params.get_int("group", 1), cin = x[4], cout_g = w.back();
  const int64_t cin_g = cin / groups;
  Reals out(static_cast<size_t>(ir::num_elements(y)));
  for (int64_t i = 0; i < static_cast<int64_t>(out.size()); ++i)
    out[i] = in.size() > 2 && !in[2].empty() ? in[2][i % (cout_g * groups)] : 0.0;
  for (int64_t b = 0; b < x[0]; ++b)
    for (int64_t iz = 0; iz < x[1]; ++iz)
      for (int64_t iy = 0; iy < x[2]; ++iy)
        for (int64_t ix = 0; ix < x[3]; ++ix)
          for (int64_t kz = 0; kz < k[0]; ++kz)
            for (int64_t ky = 0; ky < k[1]; ++ky)
              for (int64_t kx = 0; kx < k[2]; ++kx) {
                const int64_t oz = iz * v.st[0] - v.pad0[0] + kz * v.dl[0];
                const int64_t oy = iy * v.st[1] - v.pad0[1] + ky * v.dl[1];
                const int64_t ox = ix * v.st[2] - v.pad0[2] + kx * v.dl[2];
                if (oz < 0 || oz >= y[1] || oy < 0 || oy >= y[2] || ox < 0 || ox >= y[3]) continue;
                for (int64_t ci = 0; ci < cin; ++ci)
                  for (int64_t j = 0; j < cout_g; ++j) {
                    const int64_t co = (ci / cin_g) * cout_g + j;
                    out[(((b * y[1] + oz) * y[2] + oy) * y[3] + ox) * y[4] + co] +=
                        in[0][(((b * x[1] + iz) * x[2] + iy) * x[3] + ix) * cin + ci] *
                        in[1][(((kz * k[1] + ky) * k[2] + kx) * cin + ci) * cout_g + j];
                  }
              }
  return out;
}

Reals fully_connected(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Shape& w = shape(g, n.inputs[1]);
  const int64_t cout = w[0], k = w[1], rows = static_cast<int64_t>(in[0].size()) / k;
  Reals out(static_cast<size_t>(rows * cout));
  for (int64_t m = 0; m < rows; ++m)
    for (int64_t o = 0; o < cout; ++o) {
      double acc = in.size() > 2 && !in[2].empty() ? in[2][o] : 0.0;
      for (int64_t j = 0; j < k; ++j) acc += in[0][m * k + j] * in[1][o * k + j];
      out[m * cout + o] = acc;
    }
  return out;
}

Reals matmul(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  Shape a = shape(g, n.inputs[0]), b = shape(g, n.inputs[1]);
  const Shape& y = shape(g, n.outputs[0]);
  const bool ta = n.params.get_int("transpose_in0") != 0,
             tb = n.params.get_int("transpose_in1") != 0;
  const size_t ra = a.size(), rb = b.size();
  const int64_t k = ta ? a[ra - 2] : a[ra - 1];
  Shape a_batch(a.begin(), a.end() - 2), b_batch(b.begin(), b.end() - 2);
  Reals out(static_cast<size_t>(ir::num_elements(y)));
  for (int64_t i = 0; i < static_cast<int64_t>(out.size()); ++i) {
    auto c = unflatten(i, y);
    const int64_t row = c[c.size() - 2], col = c[c.size() - 1];
    std::vector<int64_t> bc(c.begin(), c.end() - 2);
    const int64_t ab = broadcast_offset(bc, a_batch), bb = broadcast_offset(bc, b_batch);
    double acc = 0;
    for (int64_t j = 0; j < k; ++j) {
      const double av =
          in[0][ab * a[ra - 2] * a[ra - 1] + (ta ? j * a[ra - 1] + row : row * a[ra - 1] + j)];
      const double bv =
          in[1][bb * b[rb - 2] * b[rb - 1] + (tb ? col * b[rb - 1] + j : j * b[rb - 1] + col)];
      acc += av * bv;
    }
    out[i] = acc;
  }
  return out;
}

double apply_binary(const std::string& op, double a, double b) {
  if (op == "ElementWiseAdd") return a + b;
  if (op == "ElementWiseSubtract") return a - b;
  if (op == "ElementWiseMultiply") return a * b;
  if (op == "Prelu") return a >= 0 ? a : a * b;
  return a / b;
}

Reals binary(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Shape &sa = shape(g, n.inputs[0]), &sb = shape(g, n.inputs[1]), &y = shape(g, n.outputs[0]);
  Reals out(static_cast<size_t>(ir::num_elements(y)));
  for (int64_t i = 0; i < static_cast<int64_t>(out.size()); ++i) {
    auto c = unflatten(i, y);
    out[i] = apply_binary(n.op, in[0][broadcast_offset(c, sa)], in[1][broadcast_offset(c, sb)]);
  }
  return out;
}

double apply_unary(const ir::Node& n, double v) {
  if (n.op == "Relu") return v > 0 ? v : 0;
  if (n.op == "ReluMinMax")
    return std::clamp(v, n.params.get_float("min_value"), n.params.get_float("max_value"));
  if (n.op == "Sigmoid") return 1.0 / (1.0 + std::exp(-v));
  if (n.op == "HardSwish") return v * std::clamp(v / 6.0 + 0.5, 0.0, 1.0);
  // hard_sigmoid, ONNX defaults
  return std::clamp(n.params.get_float("alpha", 0.2) * v + n.params.get_float("beta", 0.5), 0.0,
                    1.0);
}

Reals softmax(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Shape& x = shape(g, n.inputs[0]);
  const auto axis = static_cast<size_t>(n.params.get_int("axis", int64_t(x.size()) - 1));
  const double beta = n.params.get_float("beta", 1.0);
  Reals out(in[0].size());
  for (int64_t i = 0; i < static_cast<int64_t>(out.size()); ++i) {
    auto c = unflatten(i, x);
    double mx = -INFINITY, sum = 0;
    for (int64_t j = 0; j < x[axis]; ++j) {
      c[axis] = j;
      mx = std::max(mx, beta * in[0][flat(c, x)]);
    }
    for (int64_t j = 0; j < x[axis]; ++j) {
      c[axis] = j;
      sum += std::exp(beta * in[0][flat(c, x)] - mx);
    }
    out[i] = std::exp(beta * in[0][i] - mx) / sum;
  }
  return out;
}

Reals pool(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Shape &x = shape(g, n.inputs[0]), &y = shape(g, n.outputs[0]);
  auto k = n.params.get_ints("filter_size"), st = n.params.get_ints("stride", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  const bool avg = n.op == "PoolAvg2d", count_pad = n.params.get_int("count_pad_for_edges") != 0;
  Reals out(static_cast<size_t>(ir::num_elements(y)));
  for (int64_t i = 0; i < static_cast<int64_t>(out.size()); ++i) {
    auto c = unflatten(i, y);
    double sum = 0, mx = -INFINITY;
    int64_t valid = 0;
    for (int64_t ky = 0; ky < k[0]; ++ky)
      for (int64_t kx = 0; kx < k[1]; ++kx) {
        const int64_t iy = c[1] * st[0] - pad[0] + ky, ix = c[2] * st[1] - pad[2] + kx;
        if (iy < 0 || iy >= x[1] || ix < 0 || ix >= x[2]) continue;
        const double v = in[0][flat({c[0], iy, ix, c[3]}, x)];
        sum += v;
        mx = std::max(mx, v);
        ++valid;
      }
    // count_pad_for_edges=1 divides by the full filter (onnxruntime's count_include_pad).
    out[i] = avg ? sum / double(count_pad ? k[0] * k[1] : valid) : mx;
  }
  return out;
}

Reals reduce_mean(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Shape& x = shape(g, n.inputs[0]);
  auto axes = n.params.get_ints("axes");
  Shape kept = x;  // keep_dims layout, whatever the output rank
  for (int64_t a : axes) kept[a] = 1;
  Reals sum(static_cast<size_t>(ir::num_elements(kept)), 0.0);
  for (int64_t i = 0; i < static_cast<int64_t>(in[0].size()); ++i)
    sum[broadcast_offset(unflatten(i, x), kept)] += in[0][i];
  const double count = double(ir::num_elements(x)) / double(sum.size());
  for (double& v : sum) v /= count;
  return sum;
}

Reals layout(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  const Shape& y = shape(g, n.outputs[0]);
  const Shape& x = shape(g, n.inputs[0]);
  if (n.op == "Reshape") return in[0];
  Reals out(static_cast<size_t>(ir::num_elements(y)));
  for (int64_t i = 0; i < static_cast<int64_t>(out.size()); ++i) {
    auto c = unflatten(i, y);
    if (n.op == "Transpose") {
      auto perm = n.params.get_ints("perm");
      std::vector<int64_t> src(c.size());
      for (size_t d = 0; d < c.size(); ++d) src[perm[d]] = c[d];
      out[i] = in[0][flat(src, x)];
    } else if (n.op == "Concat") {
      const auto axis = static_cast<size_t>(n.params.get_int("axis"));
      size_t k = 0;
      while (c[axis] >= shape(g, n.inputs[k])[axis]) c[axis] -= shape(g, n.inputs[k++])[axis];
      out[i] = in[k][flat(c, shape(g, n.inputs[k]))];
    } else {  // Pad
      auto pad = n.params.get_ints("pad_amount");
      const std::string scheme = n.params.get_string("scheme", "constant");
      bool inside = true;
      for (size_t d = 0; d < c.size(); ++d) {
        int64_t v = c[d] - pad[2 * d];
        if (v < 0 || v >= x[d]) {
          inside = inside && scheme != "constant";
          if (scheme == "edge")
            v = std::clamp<int64_t>(v, 0, x[d] - 1);
          else if (scheme == "reflect")
            v = v < 0 ? -v : 2 * (x[d] - 1) - v;
        }
        c[d] = v;
      }
      out[i] = inside ? in[0][flat(c, x)] : n.params.get_float("pad_constant_value", 0.0);
    }
  }
  return out;
}

}  // namespace

Reals simulate(const ir::Graph& g, const ir::Node& n, const std::vector<Reals>& in) {
  Reals out;
  if (n.op == "Conv2d" || n.op == "DepthWiseConv2d" || n.op == "Conv3d")
    out = conv(g, n, in);
  else if (n.op == "TransposeConv2d" || n.op == "TransposeConv3d")
    out = transpose_conv(g, n, in);
  else if (n.op == "FullyConnected")
    out = fully_connected(g, n, in);
  else if (n.op == "MatMul")
    out = matmul(g, n, in);
  else if (n.op.rfind("ElementWise", 0) == 0 && n.op != "ElementWiseNeuron")
    out = binary(g, n, in);
  else if (n.op == "Prelu")
    out = binary(g, n, in);
  else if (n.op == "Softmax")
    out = softmax(g, n, in);
  else if (n.op == "PoolAvg2d" || n.op == "PoolMax2d")
    out = pool(g, n, in);
  else if (n.op == "ReduceMean")
    out = reduce_mean(g, n, in);
  else if (n.op == "Reshape" || n.op == "Transpose" || n.op == "Concat" || n.op == "Pad")
    out = layout(g, n, in);
  else if (n.op == "Batchnorm") {
    const int64_t c = shape(g, n.inputs[0]).back();
    out = in[0];
    for (size_t i = 0; i < out.size(); ++i) out[i] = out[i] * in[1][i % c] + in[2][i % c];
  } else {
    out = in[0];
    for (double& v : out) v = apply_unary(n, v);
  }
  const std::string act = n.params.get_string("fused_activation");
  for (double& v : out) {
    if (act == "relu") v = std::max(v, 0.0);
    if (act == "clip")
      v = std::clamp(v, n.params.get_float("clip_min"), n.params.get_float("clip_max"));
  }
  return out;
}

std::map<ir::TensorId, Reals> simulate_graph(const ir::Graph& g, const std::vector<Reals>& inputs) {
  std::map<ir::TensorId, Reals> values;
  for (size_t i = 0; i < g.inputs.size(); ++i) values[g.inputs[i]] = inputs[i];
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (g.tensors[t].is_static()) {
      auto f = g.tensors[t].values<float>();
      values[static_cast<ir::TensorId>(t)] = Reals(f.begin(), f.end());
    }
  for (const ir::Node& n : g.nodes) {
    std::vector<Reals> in;
    for (ir::TensorId t : n.inputs) in.push_back(t >= 0 ? values.at(t) : Reals{});
    values[n.outputs[0]] = simulate(g, n, in);
  }
  return values;
}

}  // namespace oqnn::htp::test
