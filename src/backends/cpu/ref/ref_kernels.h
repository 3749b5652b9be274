// Reference kernels: plain loops, one small file per op family, written to be obviously
// correct rather than fast. They are the oracle the fast kernels are tested against
// (make_ref_kernel) and the kernels used for every op without a fast one.
#pragma once

#include "backends/cpu/kernel_util.h"

namespace oqnn::cpu::ref {

// A kernel applying `op` to each element: y[i] = op(x[i]) (In and Out the C++ types).
template <class In, class Out, class Op>
KernelPtr map_kernel(Op op) {
  return make_fn_kernel([op](std::span<const rt::HostTensor> in,
                             std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    const In* x = in[0].as<const In>();
    Out* y = out[0].as<Out>();
    const int64_t count = out[0].elements();
    for (int64_t i = 0; i < count; ++i) y[i] = op(x[i]);
    return Status::ok();
  });
}

// conv_ref.cpp
Expected<KernelPtr> make_conv2d(const ir::Graph& g, const ir::Node& n);  // + Conv3d
Expected<KernelPtr> make_depthwise_conv2d(const ir::Graph& g, const ir::Node& n);
// pool_ref.cpp
Expected<KernelPtr> make_pool_max2d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_pool_avg2d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_l2pool2d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_pool_max3d(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_pool_avg3d(const ir::Graph& g, const ir::Node& n);
// linear_ref.cpp
Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n);
// elementwise_ref.cpp (Prelu; the ElementWise* binary ops register their own rows)
Expected<KernelPtr> make_binary(const ir::Graph& g, const ir::Node& n);
// activation_ref.cpp (Relu, ReluMinMax, Sigmoid, HardSwish, ElementWiseNeuron)
Expected<KernelPtr> make_unary(const ir::Graph& g, const ir::Node& n);
// layout_ref.cpp
Expected<KernelPtr> make_reshape(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_transpose(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_concat(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_channel_shuffle(const ir::Graph& g, const ir::Node& n);
// pad_ref.cpp
Expected<KernelPtr> make_pad(const ir::Graph& g, const ir::Node& n);
// norm_ref.cpp (Softmax, LogSoftmax, Hardmax, L2Norm, Batchnorm)
Expected<KernelPtr> make_l2norm(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_batchnorm(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::cpu::ref
