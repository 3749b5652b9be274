// Data movement: Reshape (a copy, or nothing when the plan aliases the buffers),
// Transpose (any rank, via source strides) and Concat (one contiguous block per input
// per outer index).
#include <cstring>

#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

struct TransposePlan {
  ir::Shape out;
  std::vector<int64_t> src_strides;  // stride in the input of each output dimension
};

void transpose_f32_ref(const TransposePlan& p, const float* x, float* y) {
  const size_t rank = p.out.size();
  const int64_t count = ir::num_elements(p.out);
  std::vector<int64_t> idx(rank, 0);
  int64_t src = 0;
  for (int64_t i = 0; i < count; ++i) {
    y[i] = x[src];
    // Odometer increment of the output index, keeping the source offset in step.
    for (size_t d = rank; d-- > 0;) {
      src += p.src_strides[d];
      if (++idx[d] < p.out[d]) break;
      src -= p.src_strides[d] * p.out[d];
      idx[d] = 0;
    }
  }
}

}  // namespace

Expected<KernelPtr> make_reshape(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  return make_fn_kernel([](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                           const rt::KernelContext&) {
    if (out[0].size && in[0].data != out[0].data)
      std::memmove(out[0].data, in[0].data, out[0].size);
    return Status::ok();
  });
}

Expected<KernelPtr> make_transpose(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  auto perm = n.params.get_ints("perm");
  std::vector<int64_t> in_strides(x.size(), 1);
  for (size_t d = x.size(); d-- > 1;) in_strides[d - 1] = in_strides[d] * x[d];
  TransposePlan p{shape_of(g, n.outputs[0]), {}};
  for (int64_t d : perm) p.src_strides.push_back(in_strides[static_cast<size_t>(d)]);
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    transpose_f32_ref(p, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

Expected<KernelPtr> make_concat(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& y = shape_of(g, n.outputs[0]);
  const size_t axis = static_cast<size_t>(n.params.get_int("axis"));
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= y[d];
  for (size_t d = axis + 1; d < y.size(); ++d) inner *= y[d];
  std::vector<int64_t> block;  // floats each input contributes per outer index
  for (ir::TensorId t : n.inputs) block.push_back(shape_of(g, t)[axis] * inner);
  return make_fn_kernel([outer, block](std::span<const rt::HostTensor> in,
                                       std::span<const rt::HostTensor> out,
                                       const rt::KernelContext&) {
    float* y = out[0].as<float>();
    for (int64_t o = 0; o < outer; ++o)
      for (size_t i = 0; i < in.size(); ++i) {
        if (block[i] == 0) continue;
        std::memcpy(y, in[i].as<const float>() + o * block[i],
                    static_cast<size_t>(block[i]) * sizeof(float));
        y += block[i];
      }
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::ref
