// Binary element-wise ops with numpy broadcasting (ElementWiseAdd, Subtract, Multiply,
// Divide) and Prelu (slope broadcast to the input). Dimensions along which both inputs
// advance the same way are merged first, so the inner loop runs over long contiguous
// (or constant) stretches.
#include "backends/cpu/ref/broadcast.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

struct BinaryPlan {
  ir::Shape out;                // at least rank 1
  std::vector<int64_t> sa, sb;  // broadcast strides of the two inputs
};

BinaryPlan plan_binary(const ir::Shape& a, const ir::Shape& b, const ir::Shape& out) {
  BinaryPlan p{out, broadcast_strides(a, out), broadcast_strides(b, out)};
  if (p.out.empty()) p = {{1}, {0}, {0}};
  // Merge dimension d into d+1 when each input's stride there is the stride of d+1 times
  // its size: walking the merged dimension visits the same elements.
  BinaryPlan m{{p.out.back()}, {p.sa.back()}, {p.sb.back()}};
  for (size_t i = p.out.size() - 1; i-- > 0;) {
    auto fits = [&](const std::vector<int64_t>& s, const std::vector<int64_t>& ms) {
      return s[i] == ms.front() * m.out.front();
    };
    if (fits(p.sa, m.sa) && fits(p.sb, m.sb)) {
      m.out.front() *= p.out[i];
    } else {
      m.out.insert(m.out.begin(), p.out[i]);
      m.sa.insert(m.sa.begin(), p.sa[i]);
      m.sb.insert(m.sb.begin(), p.sb[i]);
    }
  }
  return m;
}

template <class Op>
void binary_f32_ref(const BinaryPlan& p, const float* a, const float* b, float* y, Op op) {
  const int64_t inner = p.out.back(), ia = p.sa.back(), ib = p.sb.back();
  ir::Shape outer(p.out.begin(), p.out.end() - 1);
  std::vector<int64_t> oa(p.sa.begin(), p.sa.end() - 1), ob(p.sb.begin(), p.sb.end() - 1);
  const int64_t rows = ir::num_elements(outer);
  for (int64_t r = 0; r < rows; ++r) {
    const float* ap = a + broadcast_offset(r, outer, oa);
    const float* bp = b + broadcast_offset(r, outer, ob);
    float* yp = y + r * inner;
    for (int64_t i = 0; i < inner; ++i) yp[i] = op(ap[i * ia], bp[i * ib]);
  }
}

template <class Op>
KernelPtr binary_kernel(BinaryPlan p, Op op) {
  return make_fn_kernel([p, op](std::span<const rt::HostTensor> in,
                                std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    binary_f32_ref(p, in[0].as<const float>(), in[1].as<const float>(), out[0].as<float>(), op);
    return Status::ok();
  });
}

}  // namespace

Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  BinaryPlan p =
      plan_binary(shape_of(g, n.inputs[0]), shape_of(g, n.inputs[1]), shape_of(g, n.outputs[0]));
  if (n.op == "ElementWiseAdd") return binary_kernel(p, [](float a, float b) { return a + b; });
  if (n.op == "ElementWiseSubtract")
    return binary_kernel(p, [](float a, float b) { return a - b; });
  if (n.op == "ElementWiseMultiply")
    return binary_kernel(p, [](float a, float b) { return a * b; });
  if (n.op == "ElementWiseDivide") return binary_kernel(p, [](float a, float b) { return a / b; });
  if (n.op == "Prelu")
    return binary_kernel(p, [](float x, float slope) { return x < 0.0f ? slope * x : x; });
  return node_unsupported(n, "not a binary element-wise op");
}

}  // namespace oqnn::cpu::ref
