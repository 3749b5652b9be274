// MatMul (batched, numpy-broadcast batch dimensions, optional transposes) as one GEMM with
// a group per output matrix. A static right side is packed once at kernel creation, a
// run-time one (attention's Q.K^T and A.V) on every run, in parallel; a transposed right
// side is read column-wise while packing, so it costs nothing more. The left side is read
// in place (a row per output row) unless transposed, when it is packed.
#include <algorithm>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/gemm.h"
#include "backends/cpu/ref/broadcast.h"

namespace oqnn::cpu::fast {
namespace {

struct MatMulPlan {
  int64_t batches, m, n, k;
  bool ta, tb;
  std::vector<int64_t> a_offset, b_offset;  // per output matrix, in floats
};

StridedB b_layout(const MatMulPlan& p, const float* b, std::vector<const float*>& bases) {
  bases.resize(static_cast<size_t>(p.batches));
  for (int64_t i = 0; i < p.batches; ++i) bases[static_cast<size_t>(i)] = b + p.b_offset[i];
  // B_g[kk][j]: [k, n] row-major, or [n, k] (transposed) read column-wise.
  return p.tb ? StridedB{nullptr, 0, 1, p.k, bases.data()}
              : StridedB{nullptr, 0, p.n, 1, bases.data()};
}

}  // namespace

Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n, const MicroKernel* uk) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const MicroKernel& kernel = uk ? *uk : best_micro_kernel();
  if (kernel.mr > kMaxMr)
    return internal_error("micro-kernel " + std::string(kernel.name) + " has too many rows");
  const ir::Shape& a = shape_of(g, n.inputs[0]);
  const ir::Shape& b = shape_of(g, n.inputs[1]);
  const ir::Shape& out = shape_of(g, n.outputs[0]);
  auto p = std::make_shared<MatMulPlan>();
  p->ta = n.params.get_int("transpose_in0") != 0;
  p->tb = n.params.get_int("transpose_in1") != 0;
  p->m = out[out.size() - 2];
  p->n = out.back();
  p->k = p->ta ? a[a.size() - 2] : a.back();
  const ir::Shape batch(out.begin(), out.end() - 2);
  p->batches = ir::num_elements(batch);
  const auto sa = ref::broadcast_strides(ir::Shape(a.begin(), a.end() - 2), batch);
  const auto sb = ref::broadcast_strides(ir::Shape(b.begin(), b.end() - 2), batch);
  for (int64_t i = 0; i < p->batches; ++i) {
    p->a_offset.push_back(ref::broadcast_offset(i, batch, sa) * p->m * p->k);
    p->b_offset.push_back(ref::broadcast_offset(i, batch, sb) * p->k * p->n);
  }
  GemmShape shape{p->batches, p->m, p->n, p->k, p->n, p->m * p->n};
  if (!p->ta && p->k > 0) shape.run = p->k;  // A read in place: one run per row
  const ir::Tensor& bt = g.tensor(n.inputs[1]);
  std::vector<const float*> bases;
  const bool static_b = bt.is_static();
  auto gemm = std::make_shared<PackedGemm>(
      shape, kernel,
      static_b ? b_layout(*p, bt.values<float>().data(), bases) : StridedB{nullptr, 0, 0, 0});
  return make_fn_kernel([gemm, p, static_b](std::span<const rt::HostTensor> in,
                                            std::span<const rt::HostTensor> out,
                                            const rt::KernelContext& ctx) {
    const float* x = in[0].as<const float>();
    AlignedFloats packed;
    if (!static_b) {
      std::vector<const float*> bases;
      packed = AlignedFloats(gemm->packed_b_size());
      gemm->pack_b(b_layout(*p, in[1].as<const float>(), bases), packed.data(), ctx.pool);
    }
    const float* packed_b = static_b ? nullptr : packed.data();
    if (p->ta || p->k == 0)
      gemm->run(
          nullptr, {},
          [&](int64_t gi, int64_t m0, int64_t rows, int64_t k0, int64_t kc, int mr, float* dst) {
            // A_g[i][kk] = a[kk][i]: each depth step of a panel is mr contiguous floats.
            const float* ag = x + p->a_offset[gi];
            for (int64_t rp = 0; rp * mr < rows; ++rp) {
              const int64_t i0 = m0 + rp * mr, valid = std::min<int64_t>(mr, rows - rp * mr);
              float* panel = dst + rp * kc * mr;
              for (int64_t kk = 0; kk < kc; ++kk) {
                const float* s = ag + (k0 + kk) * p->m + i0;
                std::copy(s, s + valid, panel + kk * mr);
                std::fill(panel + kk * mr + valid, panel + (kk + 1) * mr, 0.0f);
              }
            }
          },
          nullptr, out[0].as<float>(), ctx.pool, packed_b);
    else
      gemm->run(
          nullptr, {}, nullptr,
          [&](int64_t gi, int64_t m0, int64_t rows, int64_t, const float*, const float** dst) {
            const float* ag = x + p->a_offset[gi];
            for (int64_t r = 0; r < rows; ++r) dst[r] = ag + (m0 + r) * p->k;
          },
          out[0].as<float>(), ctx.pool, packed_b);
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::fast
