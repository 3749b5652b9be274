// Unary activations: Relu, ReluMinMax (Clip, Relu6), Prelu (PRelu, LeakyRelu), Sigmoid,
// HardSwish, and ElementWiseNeuron for the rest (operation = "hard_sigmoid").
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> same_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

Expected<std::vector<OutputInfo>> prelu_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  auto b = broadcast_shapes(x, input_shape(g, n, 1));
  if (!b || *b != x)
    return shape_error(n, "slope " + shape_str(input_shape(g, n, 1)) +
                              " does not broadcast to input " + shape_str(x));
  return same_rule(g, n);
}

Expected<std::vector<OutputInfo>> neuron_rule(const Graph& g, const Node& n) {
  std::string op = n.params.get_string("operation");
  if (op != "hard_sigmoid") return shape_error(n, "unknown operation '" + op + "'");
  return same_rule(g, n);
}

}  // namespace

void register_activation_ops(std::vector<OpDef>& ops) {
  ops.push_back({"Relu", "max(x, 0)", {"in"}, 1, 1, {}, same_rule, false, {"Relu"}});
  ops.push_back({"ReluMinMax",
                 "min(max(x, min_value), max_value)",
                 {"in"},
                 1,
                 1,
                 {{"min_value", ParamKind::kFloat, true}, {"max_value", ParamKind::kFloat, true}},
                 same_rule,
                 false,
                 {"Clip"}});
  ops.push_back({"Prelu",
                 "x >= 0 ? x : slope * x (slope broadcast)",
                 {"in", "slope"},
                 2,
                 2,
                 {},
                 prelu_rule,
                 false,
                 {"PRelu", "LeakyRelu"}});
  ops.push_back({"Sigmoid", "1 / (1 + exp(-x))", {"in"}, 1, 1, {}, same_rule, false, {"Sigmoid"}});
  ops.push_back({"HardSwish",
                 "x * max(0, min(1, x/6 + 1/2))",
                 {"in"},
                 1,
                 1,
                 {},
                 same_rule,
                 false,
                 {"HardSwish"}});
  ops.push_back({"ElementWiseNeuron",
                 "hard_sigmoid: max(0, min(1, alpha*x + beta))",
                 {"in"},
                 1,
                 1,
                 {{"operation", ParamKind::kString, true},
                  {"alpha", ParamKind::kFloat},
                  {"beta", ParamKind::kFloat}},
                 neuron_rule,
                 false,
                 {"HardSigmoid"}});
}

}  // namespace oqnn::ir
