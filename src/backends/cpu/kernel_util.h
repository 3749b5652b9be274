// Helpers every CPU kernel shares: checking a node before a kernel is built for it,
// the fused-activation range, errors that name the node, and a HostKernel made from a
// lambda (most kernels are one function plus the parameters they captured).
#pragma once

#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>

#include "ir/graph.h"
#include "runtime/host_plan.h"

namespace oqnn::cpu {

using KernelPtr = std::unique_ptr<rt::HostKernel>;
using KernelMaker = Expected<KernelPtr> (*)(const ir::Graph&, const ir::Node&);

// "node '<name>' (<op>): <what>" as an unsupported-feature error.
Error node_unsupported(const ir::Node& n, const std::string& what);
Error node_bad_input(const ir::Node& n, const std::string& what);

// What a kernel may rely on before it reads a single byte: the op is known, the input
// count fits, every tensor is float32, static data has the size of its shape and output
// shapes agree with the op's shape rule. Graphs that skipped ir::verify get an error
// here instead of an out-of-bounds read later.
Status check_node(const ir::Graph& g, const ir::Node& n);
// The same checks without the float32 rule, for kernels that run other IR dtypes (they
// check which themselves, e.g. with dispatch_dtype); output dtypes must still be the
// shape rule's.
Status check_node_any_dtype(const ir::Graph& g, const ir::Node& n);

// Calls f(T{}) with the C++ type of `dt` (float, int32_t, int16_t, uint16_t, int8_t,
// uint8_t, bool); float16 and int64 reach only the Cast kernel (graph I/O boundary).
// Returns an unsupported error naming the node for any other dtype.
template <class F>
auto dispatch_dtype(const ir::Node& n, ir::DataType dt, F&& f) -> decltype(f(float{})) {
  switch (dt) {
    case ir::DataType::kFloat32:
      return f(float{});
    case ir::DataType::kInt32:
      return f(int32_t{});
    case ir::DataType::kInt16:
      return f(int16_t{});
    case ir::DataType::kUInt16:
      return f(uint16_t{});
    case ir::DataType::kInt8:
      return f(int8_t{});
    case ir::DataType::kUInt8:
      return f(uint8_t{});
    case ir::DataType::kBool:
      return f(bool{});
    default:
      return node_unsupported(
          n, "dtype " + std::string(ir::dtype_name(dt)) + " is not supported by the cpu kernels");
  }
}

// Output range of a fused activation: fused_activation "relu" gives [0, inf), "clip"
// [clip_min, clip_max]; absent or "" gives (-inf, inf).
struct ActivationRange {
  float lo = -std::numeric_limits<float>::infinity();
  float hi = std::numeric_limits<float>::infinity();
};
Expected<ActivationRange> fused_activation(const ir::Node& n);
inline float clamp_to(float v, ActivationRange r) {
  // Written so that NaN passes through unchanged.
  v = v < r.lo ? r.lo : v;
  return v > r.hi ? r.hi : v;
}

inline const ir::Shape& shape_of(const ir::Graph& g, ir::TensorId t) {
  return g.tensor(t).shape;
}

template <class F>
class FnKernel final : public rt::HostKernel {
 public:
  explicit FnKernel(F f) : f_(std::move(f)) {}
  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    return f_(in, out, ctx);
  }

 private:
  F f_;
};

// f(inputs, outputs, ctx) -> Status.
template <class F>
KernelPtr make_fn_kernel(F f) {
  return std::make_unique<FnKernel<F>>(std::move(f));
}

}  // namespace oqnn::cpu
