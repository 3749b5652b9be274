// Binary element-wise ops with numpy broadcasting: arithmetic on float32 and the integer
// types (integers compute in int64 and wrap to their width, as ONNX runtimes do; division
// and remainder by zero give 0 rather than trapping), comparisons (-> bool), logical ops
// on bool, ElementWiseSelect, and Prelu (float32, slope broadcast to the input).
#include <cmath>
#include <type_traits>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/ref/broadcast.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu {
namespace {

using ref::BinaryPlan;

template <class T>
constexpr bool kIsFloat = std::is_floating_point_v<T>;

enum class Arith {
  kAdd,
  kSub,
  kMul,
  kDiv,
  kMax,
  kMin,
  kPow,
  kFmod,
  kMod,
  kAnd,
  kOr,
  kXor,
  kShl,
  kShr
};

constexpr bool is_bitwise(Arith a) {
  return a == Arith::kAnd || a == Arith::kOr || a == Arith::kXor || a == Arith::kShl ||
         a == Arith::kShr;
}

// Non-negative integer power by squaring, wrapping like the narrow type; a negative
// exponent truncates 1/base^-e toward zero.
int64_t int_pow(int64_t base, int64_t e) {
  if (e < 0) return base == 1 ? 1 : base == -1 ? (e % 2 ? -1 : 1) : 0;
  uint64_t r = 1, b = static_cast<uint64_t>(base);
  for (; e > 0; e >>= 1, b *= b)
    if (e & 1) r *= b;
  return static_cast<int64_t>(r);
}

template <Arith A, class T>
T float_arith(T a, T b) {
  if constexpr (A == Arith::kAdd) return a + b;
  if constexpr (A == Arith::kSub) return a - b;
  if constexpr (A == Arith::kMul) return a * b;
  if constexpr (A == Arith::kDiv) return a / b;
  if constexpr (A == Arith::kMax) return std::isnan(a) || a > b ? a : b;  // NaN propagates
  if constexpr (A == Arith::kMin) return std::isnan(a) || a < b ? a : b;
  if constexpr (A == Arith::kPow) return std::pow(a, b);
  if constexpr (A == Arith::kFmod) return std::fmod(a, b);
  if constexpr (is_bitwise(A)) return T{};  // not reached: make_arith refuses floats
  if constexpr (A == Arith::kMod) {
    T r = std::fmod(a, b);
    return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
  }
}

// Shifts by a negative amount or by the width or more give 0 (ONNX leaves them undefined).
template <Arith A>
int64_t int_arith(int64_t a, int64_t b) {
  if constexpr (A == Arith::kAnd) return a & b;
  if constexpr (A == Arith::kOr) return a | b;
  if constexpr (A == Arith::kXor) return a ^ b;
  if constexpr (A == Arith::kShl)
    return b < 0 || b >= 64 ? 0 : static_cast<int64_t>(static_cast<uint64_t>(a) << b);
  if constexpr (A == Arith::kShr) return b < 0 || b >= 64 ? 0 : a >> b;
  if constexpr (A == Arith::kAdd) return a + b;
  if constexpr (A == Arith::kSub) return a - b;
  if constexpr (A == Arith::kMul) return static_cast<int64_t>(static_cast<uint64_t>(a) * b);
  if constexpr (A == Arith::kDiv) return b == 0 ? 0 : a / b;  // truncates, as C and ORT
  if constexpr (A == Arith::kMax) return a > b ? a : b;
  if constexpr (A == Arith::kMin) return a < b ? a : b;
  if constexpr (A == Arith::kPow) return int_pow(a, b);
  if constexpr (A == Arith::kFmod) return b == 0 ? 0 : a % b;
  if constexpr (A == Arith::kMod) {
    if (b == 0) return 0;
    int64_t r = a % b;
    return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
  }
}

template <Arith A, class T>
T arith(T a, T b) {
  if constexpr (kIsFloat<T>)
    return float_arith<A>(a, b);
  else
    return static_cast<T>(int_arith<A>(a, b));
}

enum class Cmp { kEq, kGreater, kGreaterEq, kLess, kLessEq };

template <Cmp C, class T>
bool compare(T a, T b) {
  if constexpr (C == Cmp::kEq) return a == b;
  if constexpr (C == Cmp::kGreater) return a > b;
  if constexpr (C == Cmp::kGreaterEq) return a >= b;
  if constexpr (C == Cmp::kLess) return a < b;
  if constexpr (C == Cmp::kLessEq) return a <= b;
}

enum class Logic { kAnd, kOr, kXor };

template <class T, class Y, class Op>
KernelPtr binary_kernel(BinaryPlan p, Op op) {
  return make_fn_kernel([p, op](std::span<const rt::HostTensor> in,
                                std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    ref::binary_loop(p, in[0].as<const T>(), in[1].as<const T>(), out[0].as<Y>(), op);
    return Status::ok();
  });
}

// The node's checks, the inputs' common dtype and the broadcast plan.
Expected<std::pair<ir::DataType, BinaryPlan>> prepare(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  ir::DataType dt = g.tensor(n.inputs[0]).dtype;
  if (g.tensor(n.inputs[1]).dtype != dt) return node_bad_input(n, "inputs differ in type");
  return std::pair{dt, ref::plan_binary(shape_of(g, n.inputs[0]), shape_of(g, n.inputs[1]),
                                        shape_of(g, n.outputs[0]))};
}

Error not_bool(const ir::Node& n) {
  return node_unsupported(n, "dtype bool is not supported");
}

template <Arith A>
Expected<KernelPtr> make_arith(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(auto prep, prepare(g, n));
  return dispatch_dtype(n, prep.first, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    if constexpr (std::is_same_v<T, bool>)
      return not_bool(n);
    else if constexpr (is_bitwise(A) && kIsFloat<T>)
      return node_unsupported(n, "dtype float32 is not supported (integers only)");
    else
      return binary_kernel<T, T>(prep.second, [](T a, T b) { return arith<A>(a, b); });
  });
}

template <Cmp C>
Expected<KernelPtr> make_compare(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(auto prep, prepare(g, n));
  return dispatch_dtype(n, prep.first, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return binary_kernel<T, bool>(prep.second, [](T a, T b) { return compare<C>(a, b); });
  });
}

template <Logic L>
Expected<KernelPtr> make_logical(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(auto prep, prepare(g, n));
  if (prep.first != ir::DataType::kBool) return node_unsupported(n, "inputs must be bool");
  return binary_kernel<bool, bool>(prep.second, [](bool a, bool b) {
    if constexpr (L == Logic::kAnd) return a && b;
    if constexpr (L == Logic::kOr) return a || b;
    return a != b;
  });
}

// Three-way broadcast: each output element finds its three source offsets (O(rank) per
// element, linear in the output size).
Expected<KernelPtr> make_select(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  ir::DataType dt = g.tensor(n.inputs[1]).dtype;
  if (g.tensor(n.inputs[0]).dtype != ir::DataType::kBool || g.tensor(n.inputs[2]).dtype != dt)
    return node_bad_input(n, "needs a bool condition and two values of one type");
  const ir::Shape out = shape_of(g, n.outputs[0]);
  std::vector<std::vector<int64_t>> st;
  for (ir::TensorId t : n.inputs) st.push_back(ref::broadcast_strides(shape_of(g, t), out));
  return dispatch_dtype(n, dt, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([out, st](std::span<const rt::HostTensor> in,
                                    std::span<const rt::HostTensor> o, const rt::KernelContext&) {
      const bool* c = in[0].as<const bool>();
      const T *a = in[1].as<const T>(), *b = in[2].as<const T>();
      T* y = o[0].as<T>();
      const int64_t count = ir::num_elements(out);
      for (int64_t i = 0; i < count; ++i)
        y[i] = c[ref::broadcast_offset(i, out, st[0])] ? a[ref::broadcast_offset(i, out, st[1])]
                                                       : b[ref::broadcast_offset(i, out, st[2])];
      return Status::ok();
    });
  });
}

}  // namespace

namespace ref {

Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  if (n.op != "Prelu") return node_unsupported(n, "not a binary element-wise op");
  BinaryPlan p =
      plan_binary(shape_of(g, n.inputs[0]), shape_of(g, n.inputs[1]), shape_of(g, n.outputs[0]));
  return binary_kernel<float, float>(p,
                                     [](float x, float slope) { return x < 0.0f ? slope * x : x; });
}

}  // namespace ref

void register_elementwise_kernels(std::vector<KernelEntry>& k) {
  const char* num = "float32,int32,int16,uint16,int8,uint8";
  const char* all = "float32,int32,int16,uint16,int8,uint8,bool";
  const char* bc = "numpy broadcasting";
  k.push_back({"ElementWiseAdd", make_arith<Arith::kAdd>, fast::make_binary, num, bc});
  k.push_back({"ElementWiseSubtract", make_arith<Arith::kSub>, fast::make_binary, num, bc});
  k.push_back({"ElementWiseMultiply", make_arith<Arith::kMul>, fast::make_binary, num, bc});
  k.push_back({"ElementWiseDivide", make_arith<Arith::kDiv>, fast::make_binary, num,
               "numpy broadcasting; integers truncate, x/0 is 0"});
  k.push_back({"ElementWiseMaximum", make_arith<Arith::kMax>, fast::make_binary, num, bc});
  k.push_back({"ElementWiseMinimum", make_arith<Arith::kMin>, fast::make_binary, num, bc});
  k.push_back({"ElementWisePower", make_arith<Arith::kPow>, nullptr, num, bc});
  k.push_back({"ElementWiseFmod", make_arith<Arith::kFmod>, nullptr, num, bc});
  k.push_back({"ElementWiseMod", make_arith<Arith::kMod>, nullptr, num, bc});
  const char* ints = "int32,int16,uint16,int8,uint8";
  k.push_back({"ElementWiseBitwiseAnd", make_arith<Arith::kAnd>, nullptr, ints, bc});
  k.push_back({"ElementWiseBitwiseOr", make_arith<Arith::kOr>, nullptr, ints, bc});
  k.push_back({"ElementWiseBitwiseXor", make_arith<Arith::kXor>, nullptr, ints, bc});
  k.push_back({"ElementWiseShiftLeft", make_arith<Arith::kShl>, nullptr, ints, bc});
  k.push_back({"ElementWiseShiftRight", make_arith<Arith::kShr>, nullptr, ints, bc});
  k.push_back({"ElementWiseEqual", make_compare<Cmp::kEq>, nullptr, all, bc});
  k.push_back({"ElementWiseGreater", make_compare<Cmp::kGreater>, nullptr, all, bc});
  k.push_back({"ElementWiseGreaterEqual", make_compare<Cmp::kGreaterEq>, nullptr, all, bc});
  k.push_back({"ElementWiseLess", make_compare<Cmp::kLess>, nullptr, all, bc});
  k.push_back({"ElementWiseLessEqual", make_compare<Cmp::kLessEq>, nullptr, all, bc});
  k.push_back({"ElementWiseAnd", make_logical<Logic::kAnd>, nullptr, "bool", bc});
  k.push_back({"ElementWiseOr", make_logical<Logic::kOr>, nullptr, "bool", bc});
  k.push_back({"ElementWiseXor", make_logical<Logic::kXor>, nullptr, "bool", bc});
  k.push_back({"ElementWiseSelect", make_select, nullptr, all, "bool condition; broadcasting"});
}

}  // namespace oqnn::cpu
