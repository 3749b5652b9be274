// Cast between the run-time dtypes, element by element (ONNX Cast semantics: float to
// integer truncates toward zero; out-of-range values saturate and NaN becomes 0, where
// C++ would leave them undefined; anything to bool is value != 0).
#include <cmath>
#include <limits>
#include <type_traits>

#include "backends/cpu/kernel_registry.h"
#include "ir/types.h"

namespace oqnn::cpu {
namespace {

template <class To, class From>
To convert_one(From v) {
  if constexpr (std::is_same_v<To, bool>) {
    return v != From{};
  } else if constexpr (std::is_floating_point_v<To>) {
    return static_cast<To>(v);
  } else if constexpr (std::is_floating_point_v<From>) {
    if (std::isnan(v)) return To{0};
    const double d = std::trunc(static_cast<double>(v));
    if (d <= static_cast<double>(std::numeric_limits<To>::min()))
      return std::numeric_limits<To>::min();
    if (d >= static_cast<double>(std::numeric_limits<To>::max()))
      return std::numeric_limits<To>::max();
    return static_cast<To>(d);
  } else {
    return static_cast<To>(v);  // integer to integer: wraps modulo 2^n, as ONNX Cast
  }
}

// float16 is held as its bit pattern and converts through float32 (a float16 value is
// exactly a float32 one; float32 to float16 rounds to nearest even).
struct Half {
  uint16_t bits;
};

template <class T>
auto widen(T v) {
  if constexpr (std::is_same_v<T, Half>)
    return ir::half_to_float(v.bits);
  else
    return v;
}

template <class To, class From>
To cast_one(From v) {
  if constexpr (std::is_same_v<To, Half>)
    return Half{ir::float_to_half(convert_one<float>(widen(v)))};
  else
    return convert_one<To>(widen(v));
}

// dispatch_dtype plus the types only Cast reads or writes: float16 (both ways) and int64
// (read: an int64 graph input kept by --keep_int64_inputs).
template <class F>
Expected<KernelPtr> dispatch_cast_dtype(const ir::Node& n, ir::DataType dt, F&& f) {
  if (dt == ir::DataType::kFloat16) return f(Half{});
  if (dt == ir::DataType::kInt64) return f(int64_t{});
  return dispatch_dtype(n, dt, f);
}

Expected<KernelPtr> make_cast(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  ir::DataType from = g.tensor(n.inputs[0]).dtype, to = g.tensor(n.outputs[0]).dtype;
  return dispatch_cast_dtype(n, from, [&](auto f) -> Expected<KernelPtr> {
    using From = decltype(f);
    return dispatch_cast_dtype(n, to, [&](auto t) -> Expected<KernelPtr> {
      using To = decltype(t);
      return make_fn_kernel([](std::span<const rt::HostTensor> in,
                               std::span<const rt::HostTensor> out, const rt::KernelContext&) {
        const From* x = in[0].as<const From>();
        To* y = out[0].as<To>();
        const int64_t count = out[0].elements();
        for (int64_t i = 0; i < count; ++i) y[i] = cast_one<To>(x[i]);
        return Status::ok();
      });
    });
  });
}

}  // namespace

void register_convert_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"Cast", make_cast, nullptr, "float32,float16,int32,int16,uint16,int8,uint8,bool",
               "float16 and int64 inputs at the graph boundary only"});
}

}  // namespace oqnn::cpu
