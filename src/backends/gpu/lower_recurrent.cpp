// Lstm, Gru and Rnn (kernels/recurrent.cl): rnn_init, then per time step rnn_gates
// (+ rnn_gru_reset for Gru without linear_before_reset) and rnn_cell over every direction
// and batch row at once, then rnn_final. Reference-grade: 2 or 3 launches per step.
#include <sstream>

#include "backends/gpu/lowering.h"
#include "backends/gpu/table_ops.h"

namespace oqnn::gpu {
namespace {

// The flags of cfg (RNN_* in recurrent.cl).
constexpr int64_t kReverse = 1, kInputForget = 2, kLinearBeforeReset = 4, kHasB = 8, kHasP = 16,
                  kHasLens = 32, kHasH0 = 64, kHasC0 = 128;

// recurrent_ref.cpp's order of the activations (rnn_act in recurrent.cl).
int activation_code(const std::string& name) {
  static const char* const kNames[] = {
      "Sigmoid", "Tanh",       "Relu", "HardSigmoid", "LeakyRelu", "ThresholdedRelu",
      "Affine",  "ScaledTanh", "Elu",  "Softsign",    "Softplus"};
  for (int i = 0; i < static_cast<int>(std::size(kNames)); ++i)
    if (name == kNames[i]) return i;
  return -1;
}

bool has(const ir::Node& n, size_t i) {
  return i < n.inputs.size() && n.inputs[i] >= 0;
}

struct Activations {
  std::vector<int64_t> codes;
  std::vector<float> alpha_beta;  // [alpha x 8, beta x 8]
};

Expected<Activations> activations(const ir::Node& n) {
  Activations a;
  a.alpha_beta.assign(16, 0.0f);
  const auto alpha = n.params.get_floats("activation_alpha");
  const auto beta = n.params.get_floats("activation_beta");
  std::stringstream names(n.params.get_string("activations"));
  for (std::string name; std::getline(names, name, ',');) {
    const size_t k = a.codes.size();
    const int code = activation_code(name);
    if (code < 0 || k >= 8 || k >= alpha.size() || k >= beta.size())
      return bad_input("node '" + n.name + "' (" + n.op + "): bad activations '" +
                       n.params.get_string("activations") + "'");
    a.codes.push_back(code);
    a.alpha_beta[k] = static_cast<float>(alpha[k]);
    a.alpha_beta[8 + k] = static_cast<float>(beta[k]);
  }
  return a;
}

Launch launch3(const char* kernel, std::vector<KernelArg> args, int64_t x, int64_t batch,
               int64_t dirs) {
  Launch k;
  k.kernel = kernel;
  k.args = std::move(args);
  k.global = {static_cast<size_t>(x), static_cast<size_t>(batch), static_cast<size_t>(dirs)};
  k.dims = 3;
  return k;
}

}  // namespace

Status lower_recurrent(NodeLowering& l, const ir::Node& n) {
  const ir::Graph& g = l.graph;
  for (size_t i = 0; i < n.inputs.size(); ++i)
    if (has(n, i) && (i == 4) != (g.tensor(n.inputs[i]).dtype == ir::DataType::kInt32))
      return unsupported("node '" + n.name + "' (" + n.op +
                         "): the gpu backend runs float tensors with int32 sequence_lens");
  const int64_t kind = n.op == "Lstm" ? 0 : n.op == "Gru" ? 1 : 2;
  const size_t outputs = kind == 0 ? 3 : 2;
  if (n.outputs.size() < outputs)
    return bad_input("node '" + n.name + "' (" + n.op + "): needs " + std::to_string(outputs) +
                     " outputs");
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  const bool layout = n.params.get_int("layout", 0) == 1;
  const std::string dir = n.params.get_string("direction", "forward");
  const int64_t seq = layout ? x[1] : x[0], batch = layout ? x[0] : x[1];
  const int64_t hidden = n.params.get_int("hidden_size", 1), dirs = dir == "bidirectional" ? 2 : 1;
  const int64_t gates = kind == 0 ? 4 : kind == 1 ? 3 : 1;
  OQNN_ASSIGN_OR_RETURN(Activations act, activations(n));
  const int64_t flags = (dir == "reverse" ? kReverse : 0) |
                        (n.params.get_int("input_forget", 0) != 0 ? kInputForget : 0) |
                        (n.params.get_int("linear_before_reset", 0) != 0 ? kLinearBeforeReset : 0) |
                        (has(n, 3) ? kHasB : 0) | (kind == 0 && has(n, 7) ? kHasP : 0) |
                        (has(n, 4) ? kHasLens : 0) | (has(n, 5) ? kHasH0 : 0) |
                        (kind == 0 && has(n, 6) ? kHasC0 : 0);
  const std::vector<int64_t> cfg = {seq, batch, x[2], hidden, dirs, kind, layout ? 1 : 0, flags};
  auto weight = [&](size_t i) -> Expected<int> {
    if (!has(n, i)) return -1;
    return weight_buffer(l, n.inputs[i]);
  };
  auto activation = [&](size_t i) { return has(n, i) ? l.buffer(n.inputs[i]) : -1; };
  OQNN_ASSIGN_OR_RETURN(int w, weight(1));
  OQNN_ASSIGN_OR_RETURN(int r, weight(2));
  OQNN_ASSIGN_OR_RETURN(int b, weight(3));
  OQNN_ASSIGN_OR_RETURN(int p, kind == 0 ? weight(7) : Expected<int>(-1));
  const int lens = activation(4);
  const size_t state = static_cast<size_t>(dirs * batch * hidden);
  OQNN_ASSIGN_OR_RETURN(int acts, l.constant(act.alpha_beta));
  OQNN_ASSIGN_OR_RETURN(int h_a, l.scratch(state));
  OQNN_ASSIGN_OR_RETURN(int h_b, l.scratch(state));
  OQNN_ASSIGN_OR_RETURN(int c, l.scratch(state));
  OQNN_ASSIGN_OR_RETURN(int gbuf, l.scratch(state * static_cast<size_t>(gates + (kind == 1))));
  const int y = l.buffer(n.outputs[0]);
  const float clip = static_cast<float>(n.params.get_float("clip", 0.0));
  l.launches.push_back(
      launch3("rnn_init",
              {arg_buffer(activation(5)), arg_buffer(kind == 0 ? activation(6) : -1), arg_buffer(y),
               arg_buffer(h_a), arg_buffer(c), arg_int8(cfg)},
              hidden, batch, dirs));
  const bool reset = kind == 1 && !(flags & kLinearBeforeReset);
  for (int64_t s = 0; s < seq; ++s) {
    const int h = s % 2 ? h_b : h_a, h_next = s % 2 ? h_a : h_b;
    l.launches.push_back(
        launch3("rnn_gates",
                {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(w), arg_buffer(r), arg_buffer(b),
                 arg_buffer(lens), arg_buffer(h), arg_buffer(gbuf), arg_int8(cfg), arg_int(s)},
                gates * hidden, batch, dirs));
    if (reset)
      l.launches.push_back(
          launch3("rnn_gru_reset",
                  {arg_buffer(lens), arg_buffer(h), arg_buffer(gbuf), arg_buffer(acts),
                   arg_int8(act.codes), arg_int8(cfg), arg_float(clip), arg_int(s)},
                  hidden, batch, dirs));
    l.launches.push_back(
        launch3("rnn_cell",
                {arg_buffer(r), arg_buffer(b), arg_buffer(p), arg_buffer(lens), arg_buffer(h),
                 arg_buffer(h_next), arg_buffer(c), arg_buffer(gbuf), arg_buffer(y),
                 arg_buffer(acts), arg_int8(act.codes), arg_int8(cfg), arg_float(clip), arg_int(s)},
                hidden, batch, dirs));
  }
  const int h_final = seq % 2 ? h_b : h_a;
  l.launches.push_back(
      launch3("rnn_final",
              {arg_buffer(h_final), arg_buffer(c), arg_buffer(l.buffer(n.outputs[1])),
               arg_buffer(kind == 0 ? l.buffer(n.outputs[2]) : -1), arg_int8(cfg)},
              hidden, batch, dirs));
  return Status::ok();
}

}  // namespace oqnn::gpu
