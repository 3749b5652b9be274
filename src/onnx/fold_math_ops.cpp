// Folders for arithmetic on constants: Add, Sub, Mul, Div, Mod, Pow, Min, Max, Neg, Floor,
// Ceil, Sqrt, Equal, Less, Greater, Not, Where, Cast. Integers compute in int64 (wrapping
// like the narrow type would after the final cast), floats in double rounded once.
#include <cmath>
#include <limits>

#include "ir/op_def.h"
#include "onnx/const_fold.h"
#include "onnx/shape_rules.h"
#include "onnx/tensor_proto.h"

namespace oqnn::onnx_import {
namespace {

using Inputs = std::span<const ConstTensor* const>;
using Result = Expected<std::vector<ConstTensor>>;
using ir::DataType;

// kMod: the sign of the divisor (ONNX Mod, fmod=0); kFmod: the sign of the dividend (C fmod).
enum class Bin { kAdd, kSub, kMul, kDiv, kMod, kFmod, kPow, kMin, kMax, kEq, kLess, kGreater };

bool is_compare(Bin op) {
  return op == Bin::kEq || op == Bin::kLess || op == Bin::kGreater;
}

Expected<int64_t> int_op(Bin op, int64_t a, int64_t b, const OnnxNode& n) {
  auto ua = static_cast<uint64_t>(a), ub = static_cast<uint64_t>(b);
  switch (op) {
    case Bin::kAdd:
      return static_cast<int64_t>(ua + ub);
    case Bin::kSub:
      return static_cast<int64_t>(ua - ub);
    case Bin::kMul:
      return static_cast<int64_t>(ua * ub);
    case Bin::kDiv:
      if (b == 0) return n.bad_input("integer division by zero");
      if (b == -1) return static_cast<int64_t>(0 - ua);  // INT64_MIN / -1 would trap
      return a / b;
    case Bin::kMod:
    case Bin::kFmod: {
      if (b == 0) return n.bad_input("integer modulo by zero");
      if (b == -1) return 0;  // INT64_MIN % -1 would trap
      int64_t r = a % b;
      if (op == Bin::kMod && r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    }
    case Bin::kPow:
      return static_cast<int64_t>(std::pow(static_cast<double>(a), static_cast<double>(b)));
    case Bin::kMin:
      return std::min(a, b);
    case Bin::kMax:
      return std::max(a, b);
    case Bin::kEq:
      return a == b;
    case Bin::kLess:
      return a < b;
    case Bin::kGreater:
      return a > b;
  }
  return 0;
}

double float_op(Bin op, double a, double b) {
  switch (op) {
    case Bin::kAdd:
      return a + b;
    case Bin::kSub:
      return a - b;
    case Bin::kMul:
      return a * b;
    case Bin::kDiv:
      return a / b;
    case Bin::kMod:
    case Bin::kFmod: {
      double r = std::fmod(a, b);
      if (op == Bin::kMod && r != 0 && ((r < 0) != (b < 0))) r += b;
      return r;
    }
    case Bin::kPow:
      return std::pow(a, b);
    case Bin::kMin:
      return std::isnan(a) || std::isnan(b) ? NAN : std::min(a, b);
    case Bin::kMax:
      return std::isnan(a) || std::isnan(b) ? NAN : std::max(a, b);
    case Bin::kEq:
      return a == b;
    case Bin::kLess:
      return a < b;
    case Bin::kGreater:
      return a > b;
  }
  return 0.0;
}

Expected<ConstTensor> binary(const OnnxNode& n, Bin op, const ConstTensor& a,
                             const ConstTensor& b) {
  if (!a.same_type(b) && op != Bin::kPow) return n.bad_input("inputs differ in type");
  auto shape = ir::broadcast_shapes(a.shape, b.shape);
  if (!shape)
    return n.bad_input("cannot broadcast " + ir::shape_str(a.shape) + " with " +
                       ir::shape_str(b.shape));
  if (!checked_numel(*shape))
    return n.bad_input("result " + ir::shape_str(*shape) + " is too large to fold");
  auto ia = broadcast_index(a.shape, *shape), ib = broadcast_index(b.shape, *shape);
  DataType out_type = is_compare(op) ? DataType::kBool : a.dtype;
  if (a.is_floating() || b.is_floating()) {
    auto va = to_doubles(a), vb = to_doubles(b);
    std::vector<double> r(ia.size());
    for (size_t i = 0; i < r.size(); ++i) r[i] = float_op(op, va[ia[i]], vb[ib[i]]);
    if (a.float64 && !is_compare(op)) return make_const_f64(*shape, r);
    return make_const_doubles(out_type, *shape, r);
  }
  auto va = to_ints(a), vb = to_ints(b);
  std::vector<int64_t> r(ia.size());
  for (size_t i = 0; i < r.size(); ++i) {
    OQNN_ASSIGN_OR_RETURN(r[i], int_op(op, va[ia[i]], vb[ib[i]], n));
  }
  return make_const_ints(out_type, *shape, r);
}

template <Bin kOp>
Result fold_binary(const OnnxNode& n, Inputs in) {
  if (in.size() != 2 || !in[1]) return n.bad_input("needs two inputs");
  OQNN_ASSIGN_OR_RETURN(ConstTensor r, binary(n, kOp, *in[0], *in[1]));
  return std::vector<ConstTensor>{std::move(r)};
}

// Mod: fmod=1 is C's fmod; fmod=0 takes the divisor's sign (as the ElementWiseMod kernel).
Result fold_mod(const OnnxNode& n, Inputs in) {
  if (in.size() != 2 || !in[1]) return n.bad_input("needs two inputs");
  int64_t fmod = n.attr_int("fmod", 0);
  if (fmod != 0 && fmod != 1) return n.bad_input("fmod must be 0 or 1");
  OQNN_ASSIGN_OR_RETURN(ConstTensor r, binary(n, fmod ? Bin::kFmod : Bin::kMod, *in[0], *in[1]));
  return std::vector<ConstTensor>{std::move(r)};
}

template <Bin kOp>
Result fold_variadic(const OnnxNode& n, Inputs in) {  // Min, Max
  ConstTensor acc = *in[0];
  for (size_t i = 1; i < in.size(); ++i) {
    if (!in[i]) continue;
    OQNN_ASSIGN_OR_RETURN(acc, binary(n, kOp, acc, *in[i]));
  }
  return std::vector<ConstTensor>{std::move(acc)};
}

template <class F>
Result unary_float(const OnnxNode& n, Inputs in, F f) {
  const ConstTensor& x = *in[0];
  if (!x.is_floating()) {
    auto v = to_ints(x);
    for (auto& e : v) e = static_cast<int64_t>(f(static_cast<double>(e)));
    return std::vector<ConstTensor>{make_const_ints(x.dtype, x.shape, v)};
  }
  auto v = to_doubles(x);
  for (auto& e : v) e = f(e);
  if (x.float64) return std::vector<ConstTensor>{make_const_f64(x.shape, v)};
  return std::vector<ConstTensor>{make_const_doubles(x.dtype, x.shape, v)};
}

Result fold_neg(const OnnxNode& n, Inputs in) {
  if (!in[0]->is_floating()) {
    auto v = to_ints(*in[0]);
    for (auto& e : v) e = static_cast<int64_t>(0 - static_cast<uint64_t>(e));
    return std::vector<ConstTensor>{make_const_ints(in[0]->dtype, in[0]->shape, v)};
  }
  return unary_float(n, in, [](double x) { return -x; });
}
Result fold_floor(const OnnxNode& n, Inputs in) {
  return unary_float(n, in, [](double x) { return std::floor(x); });
}
Result fold_ceil(const OnnxNode& n, Inputs in) {
  return unary_float(n, in, [](double x) { return std::ceil(x); });
}
Result fold_sqrt(const OnnxNode& n, Inputs in) {
  return unary_float(n, in, [](double x) { return std::sqrt(x); });
}
Result fold_not(const OnnxNode& n, Inputs in) {
  auto v = to_ints(*in[0]);
  for (auto& e : v) e = e == 0;
  return std::vector<ConstTensor>{make_const_ints(DataType::kBool, in[0]->shape, v)};
}

Result fold_where(const OnnxNode& n, Inputs in) {
  if (in.size() != 3 || !in[1] || !in[2]) return n.bad_input("needs three inputs");
  const ConstTensor &c = *in[0], &x = *in[1], &y = *in[2];
  if (!x.same_type(y)) return n.bad_input("inputs differ in type");
  auto s1 = ir::broadcast_shapes(c.shape, x.shape);
  auto shape = s1 ? ir::broadcast_shapes(*s1, y.shape) : std::nullopt;
  if (!shape || !checked_numel(*shape)) return n.bad_input("inputs do not broadcast");
  auto ic = broadcast_index(c.shape, *shape), ix = broadcast_index(x.shape, *shape),
       iy = broadcast_index(y.shape, *shape);
  auto vc = to_ints(c);
  size_t es = x.elem_size();
  std::vector<std::byte> bytes(ic.size() * es);
  for (size_t i = 0; i < ic.size(); ++i) {
    const std::byte* src = vc[ic[i]] ? x.data->data() + ix[i] * es : y.data->data() + iy[i] * es;
    std::copy(src, src + es, bytes.data() + i * es);
  }
  return std::vector<ConstTensor>{make_const_like(x, *shape, std::move(bytes))};
}

Result fold_cast(const OnnxNode& n, Inputs in) {
  auto to = static_cast<int32_t>(n.attr_int("to", 0));
  const ConstTensor& x = *in[0];
  if (to == ::onnx::TensorProto::DOUBLE)
    return std::vector<ConstTensor>{make_const_f64(x.shape, to_doubles(x))};
  auto dt = dtype_from_onnx(to);
  if (!dt) return n.unsupported("cast to " + onnx_dtype_name(to) + " is not supported");
  if (x.dtype == *dt && !x.float64) return std::vector<ConstTensor>{x};
  // Float to integer truncates; everything else goes through double exactly.
  if (x.is_floating() && !ir::is_float(*dt) && *dt != DataType::kBool)
    return std::vector<ConstTensor>{make_const_ints(*dt, x.shape, to_ints(x))};
  if (x.is_floating() || ir::is_float(*dt) || *dt == DataType::kBool)
    return std::vector<ConstTensor>{make_const_doubles(*dt, x.shape, to_doubles(x))};
  return std::vector<ConstTensor>{make_const_ints(*dt, x.shape, to_ints(x))};
}

}  // namespace

void register_math_folders(std::vector<FoldEntry>& out) {
  out.insert(out.end(), {{"Add", fold_binary<Bin::kAdd>, 2},
                         {"Sub", fold_binary<Bin::kSub>, 2},
                         {"Mul", fold_binary<Bin::kMul>, 2},
                         {"Div", fold_binary<Bin::kDiv>, 2},
                         {"Mod", fold_mod, 2},
                         {"Pow", fold_binary<Bin::kPow>, 2},
                         {"Equal", fold_binary<Bin::kEq>, 2},
                         {"Less", fold_binary<Bin::kLess>, 2},
                         {"Greater", fold_binary<Bin::kGreater>, 2},
                         {"Min", fold_variadic<Bin::kMin>, 1},
                         {"Max", fold_variadic<Bin::kMax>, 1},
                         {"Neg", fold_neg, 1},
                         {"Floor", fold_floor, 1},
                         {"Ceil", fold_ceil, 1},
                         {"Sqrt", fold_sqrt, 1},
                         {"Not", fold_not, 1},
                         {"Where", fold_where, 3},
                         {"Cast", fold_cast, 1}});
}

}  // namespace oqnn::onnx_import
