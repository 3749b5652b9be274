// Unary element-wise math and activations (ir/ops/elementwise_unary.cpp). Float functions
// compute in double and round once to float32; Abs, Neg and Sign also run on the integer
// types (computed in int64, wrapping to the type's width); IsNan/IsInf give bool and Not
// takes bool.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <type_traits>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu {
namespace {

using ref::map_kernel;

Status require_dtype(const ir::Graph& g, const ir::Node& n, ir::DataType dt) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  ir::DataType in = g.tensor(n.inputs[0]).dtype;
  if (in != dt)
    return node_unsupported(n, "dtype " + std::string(ir::dtype_name(in)) + " is not supported (" +
                                   std::string(ir::dtype_name(dt)) + ")");
  return Status::ok();
}

// A float32 -> float32 kernel from a double function.
template <class F>
Expected<KernelPtr> float_kernel(const ir::Graph& g, const ir::Node& n, F f) {
  OQNN_RETURN_IF_ERROR(require_dtype(g, n, ir::DataType::kFloat32));
  return map_kernel<float, float>(
      [f](float x) { return static_cast<float>(f(static_cast<double>(x))); });
}

double softplus(double x) {
  return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));  // never overflows
}

double round_half_even(double x) {
  return std::nearbyint(x);  // the default rounding mode rounds halves to even
}

struct MathFn {
  std::string_view op;
  double (*f)(double);
};

// Plain functions, parameterless; the rest are built in make_float_op.
constexpr MathFn kMath[] = {
    {"ElementWiseFloor", [](double x) { return std::floor(x); }},
    {"ElementWiseCeil", [](double x) { return std::ceil(x); }},
    {"ElementWiseRound", round_half_even},
    {"ElementWiseExp", [](double x) { return std::exp(x); }},
    {"ElementWiseLog", [](double x) { return std::log(x); }},
    {"ElementWiseSquareRoot", [](double x) { return std::sqrt(x); }},
    {"ElementWiseErf", [](double x) { return std::erf(x); }},
    {"ElementWiseSin", [](double x) { return std::sin(x); }},
    {"ElementWiseCos", [](double x) { return std::cos(x); }},
    {"ElementWiseTan", [](double x) { return std::tan(x); }},
    {"ElementWiseAsin", [](double x) { return std::asin(x); }},
    {"ElementWiseAcos", [](double x) { return std::acos(x); }},
    {"ElementWiseAtan", [](double x) { return std::atan(x); }},
    {"ElementWiseSinh", [](double x) { return std::sinh(x); }},
    {"ElementWiseCosh", [](double x) { return std::cosh(x); }},
    {"ElementWiseAsinh", [](double x) { return std::asinh(x); }},
    {"ElementWiseAcosh", [](double x) { return std::acosh(x); }},
    {"ElementWiseAtanh", [](double x) { return std::atanh(x); }},
    {"Tanh", [](double x) { return std::tanh(x); }},
    {"ElementWiseSoftplus", softplus},
    {"Softsign", [](double x) { return x / (1.0 + std::fabs(x)); }},
    {"Mish", [](double x) { return x * std::tanh(softplus(x)); }},
};

Expected<KernelPtr> make_math(const ir::Graph& g, const ir::Node& n) {
  for (const MathFn& m : kMath)
    if (m.op == n.op) return float_kernel(g, n, m.f);
  return node_unsupported(n, "not a unary math op");
}

Expected<KernelPtr> make_float_op(const ir::Graph& g, const ir::Node& n) {
  const double alpha = n.params.get_float("alpha", 1.0);
  if (n.op == "Elu")
    return float_kernel(g, n, [alpha](double x) { return x < 0 ? alpha * std::expm1(x) : x; });
  if (n.op == "Celu") {
    if (alpha == 0.0) return node_bad_input(n, "alpha must not be 0");
    return float_kernel(g, n, [alpha](double x) {
      return std::max(0.0, x) + std::min(0.0, alpha * std::expm1(x / alpha));
    });
  }
  if (n.op == "Selu") {
    const double a = n.params.get_float("alpha", 1.67326319217681884765625);
    const double gamma = n.params.get_float("gamma", 1.05070102214813232421875);
    return float_kernel(g, n,
                        [a, gamma](double x) { return gamma * (x <= 0 ? a * std::expm1(x) : x); });
  }
  if (n.op == "ThresholdedRelu")
    return float_kernel(g, n, [alpha](double x) { return x > alpha ? x : 0.0; });
  if (n.op == "Gelu") {
    if (n.params.get_string("approximate", "none") == "tanh")
      return float_kernel(g, n, [](double x) {
        const double k = std::sqrt(2.0 / std::numbers::pi);
        return 0.5 * x * (1.0 + std::tanh(k * (x + 0.044715 * x * x * x)));
      });
    return float_kernel(
        g, n, [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::numbers::sqrt2)); });
  }
  return node_unsupported(n, "not a unary activation");
}

// Abs, Neg, Sign on float32 and the integer types.
Expected<KernelPtr> make_signed(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const int which = n.op == "ElementWiseAbs" ? 0 : n.op == "ElementWiseNeg" ? 1 : 2;
  return dispatch_dtype(n, g.tensor(n.inputs[0]).dtype, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    if constexpr (std::is_same_v<T, bool>) {
      return node_unsupported(n, "dtype bool is not supported");
    } else {
      using W = std::conditional_t<std::is_floating_point_v<T>, T, int64_t>;
      return map_kernel<T, T>([which](T v) {
        const W x = static_cast<W>(v);
        if (which == 0) return static_cast<T>(x < 0 ? -x : x);
        if (which == 1) return static_cast<T>(-x);
        return static_cast<T>(x > 0 ? W{1} : x < 0 ? W{-1} : x);  // NaN stays NaN
      });
    }
  });
}

Expected<KernelPtr> make_predicate(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(require_dtype(g, n, ir::DataType::kFloat32));
  if (n.op == "ElementWiseIsNan")
    return map_kernel<float, bool>([](float x) { return std::isnan(x); });
  const bool neg = n.params.get_int("detect_negative", 1) != 0;
  const bool pos = n.params.get_int("detect_positive", 1) != 0;
  return map_kernel<float, bool>(
      [neg, pos](float x) { return std::isinf(x) && (x > 0 ? pos : neg); });
}

Expected<KernelPtr> make_bitwise_not(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  return dispatch_dtype(n, g.tensor(n.inputs[0]).dtype, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    if constexpr (std::is_same_v<T, bool> || std::is_floating_point_v<T>)
      return node_unsupported(n, "integers only");
    else
      return map_kernel<T, T>([](T x) { return static_cast<T>(~x); });
  });
}

Expected<KernelPtr> make_not(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(require_dtype(g, n, ir::DataType::kBool));
  return map_kernel<bool, bool>([](bool x) { return !x; });
}

}  // namespace

void register_unary_kernels(std::vector<KernelEntry>& k) {
  const KernelMaker fast_unary = fast::make_unary;
  for (const MathFn& m : kMath) {
    const bool fast = m.op == "Tanh" || m.op == "ElementWiseExp";
    k.push_back({m.op, make_math, fast ? fast_unary : nullptr, "float32", ""});
  }
  for (const char* op : {"Elu", "Celu", "Selu", "ThresholdedRelu"})
    k.push_back({op, make_float_op, nullptr, "float32", ""});
  k.push_back({"Gelu", make_float_op, nullptr, "float32", "approximate none|tanh"});
  for (const char* op : {"ElementWiseAbs", "ElementWiseNeg", "ElementWiseSign"})
    k.push_back({op, make_signed, nullptr, "float32,int32,int16,uint16,int8,uint8", ""});
  k.push_back({"ElementWiseIsNan", make_predicate, nullptr, "float32", "output bool"});
  k.push_back({"ElementWiseIsInf", make_predicate, nullptr, "float32", "output bool"});
  k.push_back({"ElementWiseNot", make_not, nullptr, "bool", ""});
  k.push_back(
      {"ElementWiseBitwiseNot", make_bitwise_not, nullptr, "int32,int16,uint16,int8,uint8", ""});
}

}  // namespace oqnn::cpu
