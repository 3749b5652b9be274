// Binary element-wise arithmetic (ElementWiseAdd/Subtract/Multiply/Divide/Maximum/Minimum
// on float32, the same but Divide on int32, and Prelu) on the EltwiseIsa tables. The
// broadcast plan (ref/broadcast.h) merges dimensions, so same shapes, a scalar operand and
// a trailing-contiguous operand ([N,H,W,C] * [N,1,1,C], a [C] bias) all become rows whose
// inner run each input reads contiguously or as one repeated value; rows shorter than one
// vector stay on the reference kernel, which is built first and validates the node.
#include <optional>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/parallel.h"
#include "backends/cpu/kernels.h"
#include "backends/cpu/ref/broadcast.h"

namespace oqnn::cpu::fast {
namespace {

constexpr int64_t kMinInner = 16;

std::optional<BinaryOp> binary_op(const ir::Node& n, ir::DataType dt) {
  const bool f32 = dt == ir::DataType::kFloat32;
  if (!f32 && dt != ir::DataType::kInt32) return std::nullopt;
  if (n.op == "ElementWiseAdd") return BinaryOp::kAdd;
  if (n.op == "ElementWiseSubtract") return BinaryOp::kSub;
  if (n.op == "ElementWiseMultiply") return BinaryOp::kMul;
  if (n.op == "ElementWiseMaximum") return BinaryOp::kMax;
  if (n.op == "ElementWiseMinimum") return BinaryOp::kMin;
  if (f32 && n.op == "ElementWiseDivide") return BinaryOp::kDiv;
  if (f32 && n.op == "Prelu") return BinaryOp::kPrelu;
  return std::nullopt;
}

// Rows of the merged plan, each cut into tiles of kParallelBlock: the unit of work.
template <class T>
KernelPtr binary_kernel(BinaryOp op, const ref::BinaryPlan& p, BinaryFn<T> fn) {
  const int64_t inner = p.out.back(), sa = p.sa.back(), sb = p.sb.back();
  const ir::Shape outer(p.out.begin(), p.out.end() - 1);
  const std::vector<int64_t> oa(p.sa.begin(), p.sa.end() - 1), ob(p.sb.begin(), p.sb.end() - 1);
  const int64_t tiles = (inner + kParallelBlock - 1) / kParallelBlock;
  return make_fn_kernel([=](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext& ctx) {
    const T *a = in[0].as<const T>(), *b = in[1].as<const T>();
    T* y = out[0].as<T>();
    const int64_t items = ir::num_elements(outer) * tiles;
    // Items cover at most kParallelBlock elements: ask for about 8 blocks' worth a chunk.
    const int64_t per_item = std::min(inner, kParallelBlock);
    auto run = [&](int64_t begin, int64_t end) {
      for (int64_t it = begin; it < end; ++it) {
        const int64_t r = it / tiles, start = (it % tiles) * kParallelBlock;
        const int64_t len = std::min(kParallelBlock, inner - start);
        fn(op, a + ref::broadcast_offset(r, outer, oa) + start * sa, sa,
           b + ref::broadcast_offset(r, outer, ob) + start * sb, sb, y + r * inner + start, len);
      }
    };
    const int64_t grain = std::max<int64_t>(1, 8 * kParallelBlock / per_item);
    parallel_items(ctx, items, grain, run);
    return Status::ok();
  });
}

}  // namespace

Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  OQNN_ASSIGN_OR_RETURN(KernelPtr ref, make_ref_kernel(g, n));
  const ir::DataType dt = g.tensor(n.inputs[0]).dtype;
  std::optional<BinaryOp> op = binary_op(n, dt);
  if (!op) return ref;
  ref::BinaryPlan p = ref::plan_binary(shape_of(g, n.inputs[0]), shape_of(g, n.inputs[1]),
                                       shape_of(g, n.outputs[0]));
  if (p.out.back() < kMinInner) return ref;
  if (dt == ir::DataType::kFloat32) return binary_kernel<float>(*op, p, isa.binary_f32);
  return binary_kernel<int32_t>(*op, p, isa.binary_i32);
}

Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n) {
  return make_binary(g, n, best_eltwise_isa());
}

}  // namespace oqnn::cpu::fast
