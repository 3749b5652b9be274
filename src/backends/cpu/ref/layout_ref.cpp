// Data movement on any dtype (element size, not type): Reshape (a copy, or nothing when
// the plan aliases the buffers), Transpose (any rank, via source strides), Concat (one
// contiguous block per input per outer index) and ChannelShuffle (the transpose of the
// axis viewed as [groups, C/groups]).
#include <cstring>

#include "backends/cpu/ref/indexing_ref.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {

Expected<KernelPtr> make_reshape(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  return make_fn_kernel([](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                           const rt::KernelContext&) {
    if (out[0].size && in[0].data != out[0].data)
      std::memmove(out[0].data, in[0].data, out[0].size);
    return Status::ok();
  });
}

Expected<KernelPtr> make_transpose(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  auto perm = n.params.get_ints("perm");
  auto in_strides = elem_strides(x);
  std::vector<int64_t> step;  // stride in the input of each output dimension
  for (int64_t d : perm) step.push_back(in_strides[static_cast<size_t>(d)]);
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([y = shape_of(g, n.outputs[0]), step, es](
                            std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    strided_copy(in[0].data, out[0].data, y, 0, step, es);
    return Status::ok();
  });
}

Expected<KernelPtr> make_channel_shuffle(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  const auto axis =
      static_cast<size_t>(n.params.get_int("axis", static_cast<int64_t>(x.size()) - 1));
  const int64_t groups = n.params.get_int("num_groups"), per = x[axis] / groups;
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= x[d];
  for (size_t d = axis + 1; d < x.size(); ++d) inner *= x[d];
  // Output [outer, per, groups, inner] reads input [outer, groups, per, inner].
  ir::Shape y{outer, per, groups, inner};
  std::vector<int64_t> step{groups * per * inner, inner, per * inner, 1};
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([y, step, es](std::span<const rt::HostTensor> in,
                                      std::span<const rt::HostTensor> out,
                                      const rt::KernelContext&) {
    strided_copy(in[0].data, out[0].data, y, 0, step, es);
    return Status::ok();
  });
}

Expected<KernelPtr> make_concat(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& y = shape_of(g, n.outputs[0]);
  const size_t axis = static_cast<size_t>(n.params.get_int("axis"));
  int64_t outer = 1, inner = 1;
  for (size_t d = 0; d < axis; ++d) outer *= y[d];
  for (size_t d = axis + 1; d < y.size(); ++d) inner *= y[d];
  std::vector<size_t> block;  // bytes each input contributes per outer index
  for (ir::TensorId t : n.inputs)
    block.push_back(static_cast<size_t>(shape_of(g, t)[axis] * inner) * elem_size(g, t));
  return make_fn_kernel([outer, block](std::span<const rt::HostTensor> in,
                                       std::span<const rt::HostTensor> out,
                                       const rt::KernelContext&) {
    std::byte* y = out[0].data;
    for (int64_t o = 0; o < outer; ++o)
      for (size_t i = 0; i < in.size(); ++i) {
        if (block[i] == 0) continue;
        std::memcpy(y, in[i].data + static_cast<size_t>(o) * block[i], block[i]);
        y += block[i];
      }
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::ref
