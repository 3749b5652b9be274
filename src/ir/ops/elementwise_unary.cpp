// Unary element-wise math and activations beyond activation.cpp. One IR op per QNN op
// where QNN has one (ElementWiseExp, ElementWiseSquareRoot, Elu, Gelu, Tanh, ...); the
// ONNX ops QNN has no op for get an op of their own in the same style (ElementWiseErf,
// ElementWiseTan, Selu, Mish, ...), so each runs wherever a backend declares it and falls
// back to the CPU elsewhere. Outputs keep the input's dtype and shape, except
// ElementWiseIsNan / ElementWiseIsInf (bool); ElementWiseNot takes and gives bool.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

constexpr ShapeRule same_rule = same_as_input_rule;

Expected<std::vector<OutputInfo>> to_bool_rule(const Graph& g, const Node& n) {
  return std::vector<OutputInfo>{{DataType::kBool, input_shape(g, n, 0)}};
}

Expected<std::vector<OutputInfo>> bool_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (x.dtype != DataType::kBool)
    return shape_error(n, "input is " + std::string(dtype_name(x.dtype)) + ", not bool");
  return same_rule(g, n);
}

Expected<std::vector<OutputInfo>> gelu_rule(const Graph& g, const Node& n) {
  std::string a = n.params.get_string("approximate", "none");
  if (a != "none" && a != "tanh")
    return shape_error(n, "approximate '" + a + "' is not none or tanh");
  return same_rule(g, n);
}

Expected<std::vector<OutputInfo>> positive_alpha_rule(const Graph& g, const Node& n) {
  // Celu divides by alpha.
  if (n.params.has("alpha") && n.params.get_float("alpha") == 0.0)
    return shape_error(n, "alpha must not be 0");
  return same_rule(g, n);
}

struct Entry {
  const char* name;
  const char* summary;
  const char* onnx;
  std::vector<ParamDef> params = {};
  ShapeRule rule = same_rule;
};

std::vector<Entry> entries() {
  const ParamDef alpha{"alpha", ParamKind::kFloat};
  return {
      {"ElementWiseAbs", "|x|", "Abs"},
      {"ElementWiseNeg", "-x", "Neg"},
      {"ElementWiseSign", "-1, 0 or 1", "Sign"},
      {"ElementWiseFloor", "floor(x)", "Floor"},
      {"ElementWiseCeil", "ceil(x)", "Ceil"},
      {"ElementWiseRound", "round half to even", "Round"},
      {"ElementWiseExp", "e^x", "Exp"},
      {"ElementWiseLog", "ln(x)", "Log"},
      {"ElementWiseSquareRoot", "sqrt(x)", "Sqrt"},
      {"ElementWiseErf", "erf(x)", "Erf"},
      {"ElementWiseSin", "sin(x)", "Sin"},
      {"ElementWiseCos", "cos(x)", "Cos"},
      {"ElementWiseTan", "tan(x)", "Tan"},
      {"ElementWiseAsin", "asin(x)", "Asin"},
      {"ElementWiseAcos", "acos(x)", "Acos"},
      {"ElementWiseAtan", "atan(x)", "Atan"},
      {"ElementWiseSinh", "sinh(x)", "Sinh"},
      {"ElementWiseCosh", "cosh(x)", "Cosh"},
      {"ElementWiseAsinh", "asinh(x)", "Asinh"},
      {"ElementWiseAcosh", "acosh(x)", "Acosh"},
      {"ElementWiseAtanh", "atanh(x)", "Atanh"},
      {"Tanh", "tanh(x)", "Tanh"},
      {"ElementWiseSoftplus", "ln(1 + e^x)", "Softplus"},
      {"Softsign", "x / (1 + |x|)", "Softsign"},
      {"Mish", "x * tanh(softplus(x))", "Mish"},
      {"Elu", "x < 0 ? alpha * (e^x - 1) : x (alpha default 1)", "Elu", {alpha}},
      {"Celu",
       "max(0, x) + min(0, alpha * (e^(x/alpha) - 1)) (alpha default 1)",
       "Celu",
       {alpha},
       positive_alpha_rule},
      {"Selu",
       "gamma * (x <= 0 ? alpha * (e^x - 1) : x) (ONNX defaults)",
       "Selu",
       {alpha, {"gamma", ParamKind::kFloat}}},
      {"ThresholdedRelu", "x > alpha ? x : 0 (alpha default 1)", "ThresholdedRelu", {alpha}},
      {"Gelu",
       "x * Phi(x); approximate = none | tanh",
       "Gelu",
       {{"approximate", ParamKind::kString}},
       gelu_rule},
      {"ElementWiseIsNan", "x is NaN -> bool", "IsNaN", {}, to_bool_rule},
      {"ElementWiseIsInf",
       "x is +-inf -> bool (detect_negative, detect_positive: 0 or 1, default 1)",
       "IsInf",
       {{"detect_negative", ParamKind::kInt}, {"detect_positive", ParamKind::kInt}},
       to_bool_rule},
      {"ElementWiseNot", "!x (bool)", "Not", {}, bool_rule},
      {"ElementWiseBitwiseNot", "~x (integers)", "BitwiseNot"},
  };
}

}  // namespace

void register_elementwise_unary_ops(std::vector<OpDef>& ops) {
  for (const Entry& e : entries())
    ops.push_back({e.name, e.summary, {"in"}, 1, 1, e.params, e.rule, false, {e.onnx}});
}

}  // namespace oqnn::ir
