// Unary activations: Relu, ReluMinMax, Sigmoid, HardSwish and ElementWiseNeuron
// (operation "hard_sigmoid", alpha default 0.2, beta default 0.5 as ONNX HardSigmoid).
#include <algorithm>
#include <cmath>

#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

template <class Op>
KernelPtr unary_kernel(Op op) {
  return map_kernel<float, float>(op);
}

float sigmoid(float x) {
  return static_cast<float>(1.0 / (1.0 + std::exp(-static_cast<double>(x))));
}

}  // namespace

Expected<KernelPtr> make_unary(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  if (n.op == "Relu") return unary_kernel([](float x) { return x < 0.0f ? 0.0f : x; });
  if (n.op == "ReluMinMax") {
    float lo = static_cast<float>(n.params.get_float("min_value"));
    float hi = static_cast<float>(n.params.get_float("max_value"));
    if (!(lo <= hi)) return node_bad_input(n, "min_value is greater than max_value");
    return unary_kernel([r = ActivationRange{lo, hi}](float x) { return clamp_to(x, r); });
  }
  if (n.op == "Sigmoid") return unary_kernel(sigmoid);
  if (n.op == "HardSwish")
    return unary_kernel(
        [](float x) { return x * std::min(1.0f, std::max(0.0f, x / 6.0f + 0.5f)); });
  if (n.op == "ElementWiseNeuron") {
    std::string op = n.params.get_string("operation");
    if (op != "hard_sigmoid")
      return node_unsupported(n, "operation '" + op + "' is not supported (hard_sigmoid)");
    float alpha = static_cast<float>(n.params.get_float("alpha", 0.2));
    float beta = static_cast<float>(n.params.get_float("beta", 0.5));
    return unary_kernel(
        [alpha, beta](float x) { return std::min(1.0f, std::max(0.0f, alpha * x + beta)); });
  }
  return node_unsupported(n, "not a unary activation");
}

}  // namespace oqnn::cpu::ref
