// FullyConnected as one GEMM: rows of the flattened input times the [cout, k] weight
// transposed into packed panels at kernel creation.
#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/gemm.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::fast {
Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n,
                                         const MicroKernel* uk) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Tensor& w = g.tensor(n.inputs[1]);
  // No depth (an empty weight): nothing to multiply, the reference fills the bias.
  if (!w.is_static() || w.shape[1] == 0) return ref::make_fully_connected(g, n);
  OQNN_ASSIGN_OR_RETURN(ActivationRange act, fused_activation(n));
  const MicroKernel& kernel = uk ? *uk : best_micro_kernel();
  if (kernel.mr > kMaxMr)
    return internal_error("micro-kernel " + std::string(kernel.name) + " has too many rows");
  const int64_t k = w.shape[1], cout = w.shape[0];
  GemmShape shape{1, ir::num_elements(shape_of(g, n.inputs[0])) / k, cout, k};
  shape.run = k;  // A read in place: one run per row
  // B[kk][j] = weight[j][kk]: the [cout, k] weight read column-wise.
  auto gemm =
      std::make_shared<PackedGemm>(shape, kernel, StridedB{w.values<float>().data(), 0, 1, k});
  return make_fn_kernel([gemm, act, k](std::span<const rt::HostTensor> in,
                                       std::span<const rt::HostTensor> out,
                                       const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    gemm->run(
        bias, act, nullptr,
        [&](int64_t, int64_t m0, int64_t rows, int64_t, const float*, const float** dst) {
          for (int64_t r = 0; r < rows; ++r) dst[r] = x + (m0 + r) * k;
        },
        out[0].as<float>(), ctx.pool);
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::fast
