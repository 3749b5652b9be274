#include "backends/cpu/kernels.h"

#include <algorithm>
#include <array>
#include <string_view>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu {
namespace {

Expected<KernelPtr> fast_conv2d(const ir::Graph& g, const ir::Node& n) {
  return fast::make_conv2d(g, n);
}
Expected<KernelPtr> fast_fully_connected(const ir::Graph& g, const ir::Node& n) {
  return fast::make_fully_connected(g, n);
}

struct KernelEntry {
  std::string_view op;
  KernelMaker ref;
  KernelMaker fast;  // null: the reference kernel is the only one
};

// Sorted by op name; one row per op of the op table (tests check both).
constexpr std::array kKernels = {
    KernelEntry{"Batchnorm", ref::make_batchnorm, nullptr},
    KernelEntry{"Concat", ref::make_concat, nullptr},
    KernelEntry{"Conv2d", ref::make_conv2d, fast_conv2d},
    KernelEntry{"DepthWiseConv2d", ref::make_depthwise_conv2d, fast::make_depthwise_conv2d},
    KernelEntry{"ElementWiseAdd", ref::make_binary, nullptr},
    KernelEntry{"ElementWiseDivide", ref::make_binary, nullptr},
    KernelEntry{"ElementWiseMultiply", ref::make_binary, nullptr},
    KernelEntry{"ElementWiseNeuron", ref::make_unary, nullptr},
    KernelEntry{"ElementWiseSubtract", ref::make_binary, nullptr},
    KernelEntry{"FullyConnected", ref::make_fully_connected, fast_fully_connected},
    KernelEntry{"HardSwish", ref::make_unary, nullptr},
    KernelEntry{"MatMul", ref::make_matmul, nullptr},
    KernelEntry{"Pad", ref::make_pad, nullptr},
    KernelEntry{"PoolAvg2d", ref::make_pool_avg2d, nullptr},
    KernelEntry{"PoolMax2d", ref::make_pool_max2d, nullptr},
    KernelEntry{"Prelu", ref::make_binary, nullptr},
    KernelEntry{"ReduceMean", ref::make_reduce_mean, nullptr},
    KernelEntry{"Relu", ref::make_unary, nullptr},
    KernelEntry{"ReluMinMax", ref::make_unary, nullptr},
    KernelEntry{"Reshape", ref::make_reshape, nullptr},
    KernelEntry{"Sigmoid", ref::make_unary, nullptr},
    KernelEntry{"Softmax", ref::make_softmax, nullptr},
    KernelEntry{"Transpose", ref::make_transpose, nullptr},
};

const KernelEntry* find_entry(std::string_view op) {
  auto it = std::lower_bound(kKernels.begin(), kKernels.end(), op,
                             [](const KernelEntry& e, std::string_view o) { return e.op < o; });
  return it != kKernels.end() && it->op == op ? &*it : nullptr;
}

Error no_kernel(const ir::Node& n) {
  return unsupported("node '" + n.name + "' (" + n.op + "): no cpu kernel for this op");
}

}  // namespace

Expected<std::unique_ptr<rt::HostKernel>> make_kernel(const ir::Graph& g, const ir::Node& n) {
  const KernelEntry* e = find_entry(n.op);
  if (!e) return no_kernel(n);
  return e->fast ? e->fast(g, n) : e->ref(g, n);
}

Expected<std::unique_ptr<rt::HostKernel>> make_ref_kernel(const ir::Graph& g, const ir::Node& n) {
  const KernelEntry* e = find_entry(n.op);
  if (!e) return no_kernel(n);
  return e->ref(g, n);
}

}  // namespace oqnn::cpu
