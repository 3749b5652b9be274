// Recurrent layers with ONNX semantics: Lstm (QNN Lstm), Gru (QNN Gru) and Rnn (ONNX RNN; QNN
// has no plain RNN op). Inputs X, W, R, [B, sequence_lens, initial_h, initial_c, P] in ONNX's
// order and layouts (3-D tensors, not channel-last). The translator resolves defaults, so
// the parameters are explicit: `activations` is a comma-separated list (3 per direction for
// Lstm, 2 for Gru, 1 for Rnn) with aligned `activation_alpha`/`activation_beta` lists.
#include <sstream>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

int gates_of(const std::string& op) {
  return op == "Lstm" ? 4 : op == "Gru" ? 3 : 1;
}
int activations_per_direction(const std::string& op) {
  return op == "Lstm" ? 3 : op == "Gru" ? 2 : 1;
}

bool known_activation(const std::string& a) {
  for (const char* k : {"Sigmoid", "Tanh", "Relu", "HardSigmoid", "LeakyRelu", "ThresholdedRelu",
                        "Affine", "ScaledTanh", "Elu", "Softsign", "Softplus"})
    if (a == k) return true;
  return false;
}

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> v;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');) v.push_back(item);
  return v;
}

Status check_shape(const Node& n, const Shape& got, const Shape& want, const char* what) {
  if (got == want) return Status::ok();
  return shape_error(n,
                     std::string(what) + " must be " + shape_str(want) + ", got " + shape_str(got));
}

Expected<std::vector<OutputInfo>> recurrent_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (x.size() != 3) return shape_error(n, "X must be rank 3, got " + shape_str(x));
  const int64_t layout = n.params.get_int("layout", 0);
  if (layout != 0 && layout != 1) return shape_error(n, "layout must be 0 or 1");
  const int64_t seq = layout ? x[1] : x[0], batch = layout ? x[0] : x[1], in = x[2];
  const int64_t h = n.params.get_int("hidden_size", 0);
  if (h < 1 || h > (int64_t{1} << 20)) return shape_error(n, "hidden_size must be in [1, 2^20]");
  const std::string dir = n.params.get_string("direction", "forward");
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    return shape_error(n, "direction must be forward, reverse or bidirectional");
  const int64_t d = dir == "bidirectional" ? 2 : 1, gh = gates_of(n.op) * h;
  auto acts = split_list(n.params.get_string("activations"));
  if (static_cast<int64_t>(acts.size()) != d * activations_per_direction(n.op))
    return shape_error(n, "activations must list " +
                              std::to_string(d * activations_per_direction(n.op)) + " functions");
  for (const auto& a : acts)
    if (!known_activation(a)) return shape_error(n, "unknown activation '" + a + "'");
  if (n.params.get_floats("activation_alpha").size() != acts.size() ||
      n.params.get_floats("activation_beta").size() != acts.size())
    return shape_error(n, "activation_alpha/activation_beta must have one value per activation");
  OQNN_RETURN_IF_ERROR(check_shape(n, input_shape(g, n, 1), {d, gh, in}, "W"));
  OQNN_RETURN_IF_ERROR(check_shape(n, input_shape(g, n, 2), {d, gh, h}, "R"));
  if (has_input(n, 3)) OQNN_RETURN_IF_ERROR(check_shape(n, input_shape(g, n, 3), {d, 2 * gh}, "B"));
  if (has_input(n, 4)) {
    OQNN_RETURN_IF_ERROR(check_shape(n, input_shape(g, n, 4), {batch}, "sequence_lens"));
    if (g.tensor(n.inputs[4]).dtype != DataType::kInt32)
      return shape_error(n, "sequence_lens must be int32");
  }
  Shape state = layout ? Shape{batch, d, h} : Shape{d, batch, h};
  for (size_t i : {size_t{5}, size_t{6}})
    if (has_input(n, i)) OQNN_RETURN_IF_ERROR(check_shape(n, input_shape(g, n, i), state, "state"));
  if (has_input(n, 7)) OQNN_RETURN_IF_ERROR(check_shape(n, input_shape(g, n, 7), {d, 3 * h}, "P"));
  // float32, or quantized codes with an encoding (an HTP graph)
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (i == 4 || !has_input(n, i)) continue;
    const Tensor& t = g.tensor(n.inputs[i]);
    if (t.dtype != DataType::kFloat32 && !t.encoding)
      return shape_error(n, "X, W, R, B, states and P must be float32 (or quantized)");
  }
  // Always Y, Y_h (and Y_c for Lstm): the kernel writes them all.
  const DataType dt = g.tensor(n.inputs[0]).dtype;
  std::vector<OutputInfo> out;
  out.push_back({dt, layout ? Shape{batch, seq, d, h} : Shape{seq, d, batch, h}});
  for (int j = 0; j < (n.op == "Lstm" ? 2 : 1); ++j) out.push_back({dt, state});
  return out;
}

std::vector<ParamDef> recurrent_params(const std::string& op) {
  std::vector<ParamDef> p = {{"hidden_size", ParamKind::kInt, true},
                             {"direction", ParamKind::kString},
                             {"activations", ParamKind::kString, true},
                             {"activation_alpha", ParamKind::kFloats, true},
                             {"activation_beta", ParamKind::kFloats, true},
                             {"clip", ParamKind::kFloat},
                             {"layout", ParamKind::kInt}};
  if (op == "Lstm") p.push_back({"input_forget", ParamKind::kInt});
  if (op == "Gru") p.push_back({"linear_before_reset", ParamKind::kInt});
  return p;
}

}  // namespace

void register_recurrent_ops(std::vector<OpDef>& ops) {
  const std::vector<std::string> lstm_in = {"X",        "W",         "R",         "B",
                                            "seq_lens", "initial_h", "initial_c", "P"};
  ops.push_back({"Lstm",
                 "LSTM layer (ONNX gate order i, o, f, c; peepholes, clip)",
                 lstm_in,
                 3,
                 8,
                 recurrent_params("Lstm"),
                 recurrent_rule,
                 false,
                 {"LSTM"}});
  const std::vector<std::string> gru_in = {"X", "W", "R", "B", "seq_lens", "initial_h"};
  ops.push_back({"Gru",
                 "GRU layer (ONNX gate order z, r, h; linear_before_reset)",
                 gru_in,
                 3,
                 6,
                 recurrent_params("Gru"),
                 recurrent_rule,
                 false,
                 {"GRU"}});
  ops.push_back({"Rnn",
                 "simple recurrent layer, H = f(X W^T + H R^T + b) (no QNN op)",
                 gru_in,
                 3,
                 6,
                 recurrent_params("Rnn"),
                 recurrent_rule,
                 false,
                 {"RNN"}});
}

}  // namespace oqnn::ir
