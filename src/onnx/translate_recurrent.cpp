// ONNX LSTM, GRU and RNN → Lstm, Gru, Rnn. Inputs keep ONNX's order and layouts (3-D
// tensors, never channel-last); the activation list gets ONNX's defaults, and
// activation_alpha/beta are consumed in order by the activations that take them (as
// onnxruntime does), so that the IR holds one explicit (alpha, beta) pair per activation.
#include <map>

#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

struct ActDefault {
  bool alpha, beta;  // which of the two the function reads
  double a, b;       // ONNX defaults
};

// ONNX names (case as in the spec) → IR names with their parameter use.
const std::map<std::string, std::pair<std::string, ActDefault>>& activation_table() {
  static const std::map<std::string, std::pair<std::string, ActDefault>> t = {
      {"sigmoid", {"Sigmoid", {false, false, 0, 0}}},
      {"tanh", {"Tanh", {false, false, 0, 0}}},
      {"relu", {"Relu", {false, false, 0, 0}}},
      {"hardsigmoid", {"HardSigmoid", {true, true, 0.2, 0.5}}},
      {"leakyrelu", {"LeakyRelu", {true, false, 0.01, 0}}},
      {"thresholdedrelu", {"ThresholdedRelu", {true, false, 1.0, 0}}},
      {"affine", {"Affine", {true, true, 1.0, 0.0}}},
      {"scaledtanh", {"ScaledTanh", {true, true, 1.0, 1.0}}},
      {"elu", {"Elu", {true, false, 1.0, 0}}},
      {"softsign", {"Softsign", {false, false, 0, 0}}},
      {"softplus", {"Softplus", {false, false, 0, 0}}}};
  return t;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Status translate_recurrent(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                           std::vector<std::string> default_acts, size_t num_inputs) {
  const std::string dir = n.attr_string("direction", "forward");
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    return n.bad_input("direction '" + dir + "' must be forward, reverse or bidirectional");
  const int64_t hidden = n.attr_int("hidden_size", 0);
  if (hidden < 1) return n.bad_input("hidden_size must be given and >= 1");
  const size_t dirs = dir == "bidirectional" ? 2 : 1;
  std::vector<std::string> acts = n.attr_strings("activations");
  if (acts.empty())
    for (size_t d = 0; d < dirs; ++d)
      acts.insert(acts.end(), default_acts.begin(), default_acts.end());
  if (acts.size() != dirs * default_acts.size())
    return n.bad_input("activations must list " + std::to_string(dirs * default_acts.size()) +
                       " functions, got " + std::to_string(acts.size()));
  auto alphas = n.attr_floats("activation_alpha"), betas = n.attr_floats("activation_beta");
  size_t ai = 0, bi = 0;
  std::string names;
  std::vector<double> alpha, beta;
  for (const std::string& a : acts) {
    auto it = activation_table().find(lower(a));
    if (it == activation_table().end())
      return n.unsupported("activation '" + a + "' is not supported");
    const ActDefault& def = it->second.second;
    alpha.push_back(def.alpha && ai < alphas.size() ? alphas[ai++] : def.a);
    beta.push_back(def.beta && bi < betas.size() ? betas[bi++] : def.b);
    names += (names.empty() ? "" : ",") + it->second.first;
  }
  ir::Params p;
  p.set("hidden_size", hidden);
  p.set("direction", dir);
  p.set("activations", names);
  p.set("activation_alpha", alpha);
  p.set("activation_beta", beta);
  if (n.has_attr("clip")) {
    double clip = n.attr_float("clip", 0.0);
    if (!(clip > 0)) return n.bad_input("clip must be > 0");
    p.set("clip", clip);
  }
  const int64_t layout = n.attr_int("layout", 0);
  if (layout != 0 && layout != 1) return n.bad_input("layout must be 0 or 1");
  p.set("layout", layout);
  if (op == "Lstm") p.set("input_forget", n.attr_int("input_forget", 0));
  if (op == "Gru") p.set("linear_before_reset", n.attr_int("linear_before_reset", 0));
  std::vector<ir::TensorId> inputs;
  for (size_t i = 0; i < std::min(num_inputs, n.num_inputs()); ++i) {
    if (!n.has_input(i)) {
      inputs.push_back(ir::kNoTensor);
      continue;
    }
    OQNN_ASSIGN_OR_RETURN(ir::TensorId t, input_tensor(ctx, n, i));
    inputs.push_back(t);
  }
  while (!inputs.empty() && inputs.back() == ir::kNoTensor) inputs.pop_back();
  std::vector<std::string> outs(op == "Lstm" ? 3 : 2);  // unnamed ones get derived names
  for (size_t j = 0; j < std::min(n.num_outputs(), outs.size()); ++j) outs[j] = n.output(j);
  OQNN_ASSIGN_OR_RETURN(auto ids,
                        ctx.emit_multi(n.name(), op, std::move(inputs), std::move(p), outs));
  for (size_t j = 0; j < outs.size(); ++j)
    if (!outs[j].empty()) ctx.set_tensor(outs[j], ids[j]);
  return Status::ok();
}

}  // namespace

void register_recurrent_translators(std::vector<Translator>& out) {
  out.push_back({"LSTM", [](ImportContext& ctx, const OnnxNode& n) {
                   return translate_recurrent(ctx, n, "Lstm", {"Sigmoid", "Tanh", "Tanh"}, 8);
                 }});
  out.push_back({"GRU", [](ImportContext& ctx, const OnnxNode& n) {
                   return translate_recurrent(ctx, n, "Gru", {"Sigmoid", "Tanh"}, 6);
                 }});
  out.push_back({"RNN", [](ImportContext& ctx, const OnnxNode& n) {
                   return translate_recurrent(ctx, n, "Rnn", {"Tanh"}, 6);
                 }});
}

}  // namespace oqnn::onnx_import
