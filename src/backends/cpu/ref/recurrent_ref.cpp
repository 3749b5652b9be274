// Lstm, Gru and Rnn with ONNX semantics (onnx/defs/rnn): each batch row runs its own
// sequence (sequence_lens; steps past a row's length output zeros and keep its state), the
// reverse direction walks a row's steps from its last, `clip` bounds the gate
// pre-activations, Lstm peepholes and input_forget, Gru linear_before_reset.
#include <algorithm>
#include <cmath>
#include <sstream>

#include "backends/cpu/kernel_registry.h"

namespace oqnn::cpu {
namespace {

enum class Fn {
  kSigmoid,
  kTanh,
  kRelu,
  kHardSigmoid,
  kLeakyRelu,
  kThresholdedRelu,
  kAffine,
  kScaledTanh,
  kElu,
  kSoftsign,
  kSoftplus
};

struct Act {
  Fn fn;
  float alpha, beta;
  float operator()(float v) const {
    switch (fn) {
      case Fn::kSigmoid:
        return 1.0f / (1.0f + std::exp(-v));
      case Fn::kTanh:
        return std::tanh(v);
      case Fn::kRelu:
        return std::max(v, 0.0f);
      case Fn::kHardSigmoid:
        return std::clamp(alpha * v + beta, 0.0f, 1.0f);
      case Fn::kLeakyRelu:
        return v >= 0 ? v : alpha * v;
      case Fn::kThresholdedRelu:
        return v > alpha ? v : 0.0f;
      case Fn::kAffine:
        return alpha * v + beta;
      case Fn::kScaledTanh:
        return alpha * std::tanh(beta * v);
      case Fn::kElu:
        return v >= 0 ? v : alpha * (std::exp(v) - 1.0f);
      case Fn::kSoftsign:
        return v / (1.0f + std::fabs(v));
      case Fn::kSoftplus:
        return std::log1p(std::exp(v));
    }
    return v;
  }
};

Fn fn_of(const std::string& name) {
  static const std::pair<const char*, Fn> kNames[] = {{"Sigmoid", Fn::kSigmoid},
                                                      {"Tanh", Fn::kTanh},
                                                      {"Relu", Fn::kRelu},
                                                      {"HardSigmoid", Fn::kHardSigmoid},
                                                      {"LeakyRelu", Fn::kLeakyRelu},
                                                      {"ThresholdedRelu", Fn::kThresholdedRelu},
                                                      {"Affine", Fn::kAffine},
                                                      {"ScaledTanh", Fn::kScaledTanh},
                                                      {"Elu", Fn::kElu},
                                                      {"Softsign", Fn::kSoftsign},
                                                      {"Softplus", Fn::kSoftplus}};
  for (const auto& [n, f] : kNames)
    if (name == n) return f;
  return Fn::kSigmoid;  // the shape rule refused unknown names
}

struct Config {
  enum Kind { kLstm, kGru, kRnn } kind;
  int64_t seq, batch, in, hidden, dirs, gates;
  bool reverse_only, layout1, input_forget, linear_before_reset;
  float clip;  // <= 0: none
  std::vector<Act> acts;
};

// Views of one node's buffers, for one direction `d`.
struct Operands {
  const float *x, *w, *r, *b, *h0, *c0, *p;
  const int32_t* lens;
  float *y, *yh, *yc;
};

class Recurrence {
 public:
  Recurrence(const Config& c, const Operands& o) : c_(c), o_(o) {}

  void run() {
    const int64_t h = c_.hidden;
    std::vector<float> hs(static_cast<size_t>(h)), cs(hs), gates(static_cast<size_t>(c_.gates * h));
    for (int64_t d = 0; d < c_.dirs; ++d) {
      const bool reverse = c_.reverse_only || d == 1;
      for (int64_t b = 0; b < c_.batch; ++b) {
        int64_t len = o_.lens ? std::clamp<int64_t>(o_.lens[b], 0, c_.seq) : c_.seq;
        for (int64_t j = 0; j < h; ++j) {
          hs[j] = o_.h0 ? o_.h0[state_index(d, b, j)] : 0.0f;
          cs[j] = o_.c0 ? o_.c0[state_index(d, b, j)] : 0.0f;
        }
        for (int64_t t = 0; t < c_.seq; ++t)
          for (int64_t j = 0; j < h; ++j) o_.y[y_index(t, d, b, j)] = 0.0f;
        for (int64_t s = 0; s < len; ++s) {
          int64_t t = reverse ? len - 1 - s : s;
          step(d, x_row(t, b), hs, cs, gates);
          for (int64_t j = 0; j < h; ++j) o_.y[y_index(t, d, b, j)] = hs[j];
        }
        for (int64_t j = 0; j < h; ++j) {
          if (o_.yh) o_.yh[state_index(d, b, j)] = hs[j];
          if (o_.yc) o_.yc[state_index(d, b, j)] = cs[j];
        }
      }
    }
  }

 private:
  const float* x_row(int64_t t, int64_t b) const {
    return o_.x + (c_.layout1 ? b * c_.seq + t : t * c_.batch + b) * c_.in;
  }
  int64_t state_index(int64_t d, int64_t b, int64_t j) const {
    return (c_.layout1 ? b * c_.dirs + d : d * c_.batch + b) * c_.hidden + j;
  }
  int64_t y_index(int64_t t, int64_t d, int64_t b, int64_t j) const {
    int64_t row = c_.layout1 ? (b * c_.seq + t) * c_.dirs + d : (t * c_.dirs + d) * c_.batch + b;
    return row * c_.hidden + j;
  }
  float clip(float v) const { return c_.clip > 0 ? std::clamp(v, -c_.clip, c_.clip) : v; }
  const Act& act(int64_t d, int k) const {
    return c_.acts[static_cast<size_t>(d * (c_.kind == Config::kLstm  ? 3
                                            : c_.kind == Config::kGru ? 2
                                                                      : 1) +
                                       k)];
  }

  // Row `row` of W (or R) for direction d, dotted with v.
  float dot(const float* m, int64_t d, int64_t row, int64_t width, const float* v) const {
    const float* p = m + (d * c_.gates * c_.hidden + row) * width;
    float s = 0.0f;
    for (int64_t i = 0; i < width; ++i) s += p[i] * v[i];
    return s;
  }
  float bias(int64_t d, int64_t k) const {  // Wb[k] + Rb[k]
    if (!o_.b) return 0.0f;
    const float* b = o_.b + d * 2 * c_.gates * c_.hidden;
    return b[k] + b[c_.gates * c_.hidden + k];
  }

  void step(int64_t d, const float* x, std::vector<float>& hs, std::vector<float>& cs,
            std::vector<float>& g) {
    const int64_t h = c_.hidden;
    if (c_.kind == Config::kGru) return gru_step(d, x, hs, g);
    for (int64_t k = 0; k < c_.gates * h; ++k)
      g[k] = dot(o_.w, d, k, c_.in, x) + dot(o_.r, d, k, h, hs.data()) + bias(d, k);
    if (c_.kind == Config::kRnn) {
      for (int64_t j = 0; j < h; ++j) hs[j] = act(d, 0)(clip(g[j]));
      return;
    }
    const float* p = o_.p ? o_.p + d * 3 * h : nullptr;  // peepholes i, o, f
    for (int64_t j = 0; j < h; ++j) {
      float i = act(d, 0)(clip(g[j] + (p ? p[j] * cs[j] : 0.0f)));
      float f = c_.input_forget ? 1.0f - i
                                : act(d, 0)(clip(g[2 * h + j] + (p ? p[2 * h + j] * cs[j] : 0.0f)));
      float cand = act(d, 1)(clip(g[3 * h + j]));
      cs[j] = f * cs[j] + i * cand;
      float o = act(d, 0)(clip(g[h + j] + (p ? p[h + j] * cs[j] : 0.0f)));
      hs[j] = o * act(d, 2)(cs[j]);
    }
  }

  void gru_step(int64_t d, const float* x, std::vector<float>& hs, std::vector<float>& g) {
    const int64_t h = c_.hidden;
    const float* rb = o_.b ? o_.b + d * 6 * h + 3 * h : nullptr;
    const float* wb = o_.b ? o_.b + d * 6 * h : nullptr;
    std::vector<float> z(static_cast<size_t>(h)), r(z), rh(z);
    for (int64_t j = 0; j < h; ++j) {
      z[j] =
          act(d, 0)(clip(dot(o_.w, d, j, c_.in, x) + dot(o_.r, d, j, h, hs.data()) + bias(d, j)));
      r[j] = act(d, 0)(
          clip(dot(o_.w, d, h + j, c_.in, x) + dot(o_.r, d, h + j, h, hs.data()) + bias(d, h + j)));
    }
    for (int64_t j = 0; j < h; ++j) rh[j] = r[j] * hs[j];
    for (int64_t j = 0; j < h; ++j) {
      float xw = dot(o_.w, d, 2 * h + j, c_.in, x) + (wb ? wb[2 * h + j] : 0.0f);
      float rbh = rb ? rb[2 * h + j] : 0.0f;
      float hpart = c_.linear_before_reset ? r[j] * (dot(o_.r, d, 2 * h + j, h, hs.data()) + rbh)
                                           : dot(o_.r, d, 2 * h + j, h, rh.data()) + rbh;
      g[j] = act(d, 1)(clip(xw + hpart));
    }
    for (int64_t j = 0; j < h; ++j) hs[j] = (1.0f - z[j]) * g[j] + z[j] * hs[j];
  }

  const Config& c_;
  const Operands& o_;
};

Expected<KernelPtr> make_recurrent(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (n.inputs[i] < 0) continue;
    ir::DataType want = i == 4 ? ir::DataType::kInt32 : ir::DataType::kFloat32;
    if (g.tensor(n.inputs[i]).dtype != want)
      return unsupported("node '" + n.name + "' (" + n.op + "): input " + std::to_string(i) +
                         " must be " + std::string(ir::dtype_name(want)) + " on the CPU");
  }
  Config c;
  c.kind = n.op == "Lstm" ? Config::kLstm : n.op == "Gru" ? Config::kGru : Config::kRnn;
  c.layout1 = n.params.get_int("layout", 0) == 1;
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  c.seq = c.layout1 ? x[1] : x[0];
  c.batch = c.layout1 ? x[0] : x[1];
  c.in = x[2];
  c.hidden = n.params.get_int("hidden_size", 1);
  std::string dir = n.params.get_string("direction", "forward");
  c.dirs = dir == "bidirectional" ? 2 : 1;
  c.reverse_only = dir == "reverse";
  c.gates = c.kind == Config::kLstm ? 4 : c.kind == Config::kGru ? 3 : 1;
  c.input_forget = n.params.get_int("input_forget", 0) != 0;
  c.linear_before_reset = n.params.get_int("linear_before_reset", 0) != 0;
  c.clip = static_cast<float>(n.params.get_float("clip", 0.0));
  auto alpha = n.params.get_floats("activation_alpha"),
       beta = n.params.get_floats("activation_beta");
  std::stringstream names(n.params.get_string("activations"));
  size_t k = 0;
  for (std::string a; std::getline(names, a, ','); ++k)
    c.acts.push_back({fn_of(a), static_cast<float>(alpha.at(k)), static_cast<float>(beta.at(k))});
  return make_fn_kernel([c](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    auto opt = [&](size_t i) {
      return i < in.size() && in[i].data ? in[i].as<const float>() : nullptr;
    };
    Operands o{in[0].as<const float>(),
               in[1].as<const float>(),
               in[2].as<const float>(),
               opt(3),
               opt(5),
               opt(6),
               opt(7),
               in.size() > 4 && in[4].data ? in[4].as<const int32_t>() : nullptr,
               out[0].as<float>(),
               out.size() > 1 ? out[1].as<float>() : nullptr,
               out.size() > 2 ? out[2].as<float>() : nullptr};
    Recurrence(c, o).run();
    return Status::ok();
  });
}

}  // namespace

void register_recurrent_kernels(std::vector<KernelEntry>& k) {
  for (std::string_view op : {"Lstm", "Gru", "Rnn"})
    k.push_back({op, make_recurrent, nullptr, "float32", "sequence_lens int32"});
}

}  // namespace oqnn::cpu
