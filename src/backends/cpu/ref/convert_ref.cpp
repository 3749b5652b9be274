// Cast between the run-time dtypes, element by element (ONNX Cast semantics: float to
// integer truncates toward zero; out-of-range values saturate and NaN becomes 0, where
// C++ would leave them undefined; anything to bool is value != 0).
#include <cmath>
#include <limits>
#include <type_traits>

#include "backends/cpu/kernel_registry.h"

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

Expected<KernelPtr> make_cast(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  ir::DataType from = g.tensor(n.inputs[0]).dtype, to = g.tensor(n.outputs[0]).dtype;
  return dispatch_dtype(n, from, [&](auto f) -> Expected<KernelPtr> {
    using From = decltype(f);
    return dispatch_dtype(n, to, [&](auto t) -> Expected<KernelPtr> {
      using To = decltype(t);
      return make_fn_kernel([](std::span<const rt::HostTensor> in,
                               std::span<const rt::HostTensor> out, const rt::KernelContext&) {
        const From* x = in[0].as<const From>();
        To* y = out[0].as<To>();
        const int64_t count = out[0].elements();
        for (int64_t i = 0; i < count; ++i) y[i] = convert_one<To>(x[i]);
        return Status::ok();
      });
    });
  });
}

}  // namespace

void register_convert_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"Cast", make_cast, nullptr, "float32,int32,int16,uint16,int8,uint8,bool", ""});
}

}  // namespace oqnn::cpu
