// Unary activations on the EltwiseIsa tables: Relu, ReluMinMax, Sigmoid, Tanh,
// ElementWiseExp, HardSwish and ElementWiseNeuron hard_sigmoid. The reference kernel is
// built first: it validates the node (its errors are the ones reported) and is what runs
// for anything this file does not cover.
#include <optional>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/parallel.h"
#include "backends/cpu/kernels.h"

namespace oqnn::cpu::fast {
namespace {

struct UnarySpec {
  UnaryOp op;
  UnaryParams p;
};

std::optional<UnarySpec> unary_spec(const ir::Node& n) {
  if (n.op == "Relu") return UnarySpec{UnaryOp::kRelu, {}};
  if (n.op == "ReluMinMax")
    return UnarySpec{UnaryOp::kClamp,
                     {static_cast<float>(n.params.get_float("min_value")),
                      static_cast<float>(n.params.get_float("max_value"))}};
  if (n.op == "Sigmoid") return UnarySpec{UnaryOp::kSigmoid, {}};
  if (n.op == "Tanh") return UnarySpec{UnaryOp::kTanh, {}};
  if (n.op == "ElementWiseExp") return UnarySpec{UnaryOp::kExp, {}};
  if (n.op == "HardSwish") return UnarySpec{UnaryOp::kHardSwish, {}};
  if (n.op == "ElementWiseNeuron" && n.params.get_string("operation") == "hard_sigmoid")
    return UnarySpec{UnaryOp::kHardSigmoid,
                     {static_cast<float>(n.params.get_float("alpha", 0.2)),
                      static_cast<float>(n.params.get_float("beta", 0.5))}};
  return std::nullopt;
}

}  // namespace

Expected<KernelPtr> make_unary(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  OQNN_ASSIGN_OR_RETURN(KernelPtr ref, make_ref_kernel(g, n));
  std::optional<UnarySpec> s = unary_spec(n);
  if (!s) return ref;
  return make_fn_kernel([s = *s, isa = &isa](std::span<const rt::HostTensor> in,
                                             std::span<const rt::HostTensor> out,
                                             const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    float* y = out[0].as<float>();
    parallel_range(ctx, out[0].elements(), 8,
                   [&](int64_t b, int64_t e) { isa->unary(s.op, s.p, x + b, y + b, e - b); });
    return Status::ok();
  });
}

Expected<KernelPtr> make_unary(const ir::Graph& g, const ir::Node& n) {
  return make_unary(g, n, best_eltwise_isa());
}

}  // namespace oqnn::cpu::fast
