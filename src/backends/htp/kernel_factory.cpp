#include "backends/htp/kernel_factory.h"

#include <algorithm>

#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp {
namespace {

using Maker = Expected<std::unique_ptr<rt::HostKernel>> (*)(const ir::Graph&, const ir::Node&);

struct Entry {
  const char* op;
  Maker ref;
  Maker fast;  // nullptr: the reference kernel is the only one
};

// Ops whose kernel depends on more than the op name pick it in their maker.
Expected<std::unique_ptr<rt::HostKernel>> make_prelu(const ir::Graph& g, const ir::Node& n) {
  return ref::lut_applies(g, n) ? ref::make_lut(g, n) : ref::make_prelu(g, n);
}
Expected<std::unique_ptr<rt::HostKernel>> make_divide(const ir::Graph& g, const ir::Node& n) {
  return ref::lut_applies(g, n) ? ref::make_lut(g, n) : ref::make_divide(g, n);
}
Expected<std::unique_ptr<rt::HostKernel>> make_prelu_fast(const ir::Graph& g, const ir::Node& n) {
  return ref::lut_applies(g, n) ? fast::make_lut(g, n) : ref::make_prelu(g, n);
}
Expected<std::unique_ptr<rt::HostKernel>> make_divide_fast(const ir::Graph& g, const ir::Node& n) {
  return ref::lut_applies(g, n) ? fast::make_lut(g, n) : ref::make_divide(g, n);
}

constexpr Entry kKernels[] = {
    {"Batchnorm", ref::make_batchnorm, nullptr},
    {"Concat", ref::make_layout, fast::make_layout},
    {"Conv2d", ref::make_conv2d, fast::make_conv2d},
    {"Conv3d", ref::make_conv2d, fast::make_conv2d},
    {"DepthWiseConv2d", ref::make_conv2d, fast::make_depthwise_conv2d},
    {"ElementWiseAdd", ref::make_eltwise, fast::make_eltwise},
    {"ElementWiseDivide", make_divide, make_divide_fast},
    {"ElementWiseMultiply", ref::make_eltwise, fast::make_eltwise},
    {"ElementWiseNeuron", ref::make_lut, fast::make_lut},
    {"ElementWiseSubtract", ref::make_eltwise, fast::make_eltwise},
    {"FullyConnected", ref::make_fully_connected, fast::make_fully_connected},
    {"HardSwish", ref::make_lut, fast::make_lut},
    {"MatMul", ref::make_matmul, fast::make_matmul},
    {"Pad", ref::make_layout, nullptr},
    {"PoolAvg2d", ref::make_pool, fast::make_pool},
    {"PoolMax2d", ref::make_pool, fast::make_pool},
    {"Prelu", make_prelu, make_prelu_fast},
    {"ReduceMean", ref::make_reduce_mean, nullptr},
    {"Relu", ref::make_lut, fast::make_lut},
    {"ReluMinMax", ref::make_lut, fast::make_lut},
    {"Reshape", ref::make_layout, fast::make_layout},
    {"Sigmoid", ref::make_lut, fast::make_lut},
    {"Softmax", ref::make_softmax, nullptr},
    {"Transpose", ref::make_layout, fast::make_layout},
    {"ChannelShuffle", ref::make_layout, fast::make_layout},
    {"GroupNorm", ref::make_float_inside, fast::make_float_inside},
    {"InstanceNorm", ref::make_float_inside, fast::make_float_inside},
    {"L2Norm", ref::make_float_inside, fast::make_float_inside},
    {"LayerNorm", ref::make_float_inside, fast::make_float_inside},
    {"RmsNorm", ref::make_float_inside, fast::make_float_inside},
    {"LogSoftmax", ref::make_float_inside, fast::make_float_inside},
    {"Lrn", ref::make_float_inside, fast::make_float_inside},
    {"Lstm", ref::make_float_inside, fast::make_float_inside},
    {"ReduceMax", ref::make_float_inside, fast::make_float_inside},
    {"ReduceMin", ref::make_float_inside, fast::make_float_inside},
    {"ReduceSum", ref::make_float_inside, fast::make_float_inside},
    {"Resize", ref::make_float_inside, fast::make_float_inside},
    {"DepthToSpace", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseFmod", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseMaximum", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseMinimum", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseMod", ref::make_float_inside, fast::make_float_inside},
    {"ElementWisePower", ref::make_float_inside, fast::make_float_inside},
    {"SpaceToDepth", ref::make_float_inside, fast::make_float_inside},
    {"Split", ref::make_float_inside, fast::make_float_inside},
    {"StridedSlice", ref::make_float_inside, fast::make_float_inside},
    {"Tile", ref::make_float_inside, fast::make_float_inside},
    {"TransposeConv2d", ref::make_float_inside, fast::make_float_inside},
    {"TransposeConv3d", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseAbs", ref::make_lut, fast::make_lut},
    {"ElementWiseNeg", ref::make_lut, fast::make_lut},
    {"ElementWiseSign", ref::make_lut, fast::make_lut},
    {"ElementWiseFloor", ref::make_lut, fast::make_lut},
    {"ElementWiseCeil", ref::make_lut, fast::make_lut},
    {"ElementWiseRound", ref::make_lut, fast::make_lut},
    {"ElementWiseExp", ref::make_lut, fast::make_lut},
    {"ElementWiseLog", ref::make_lut, fast::make_lut},
    {"ElementWiseSquareRoot", ref::make_lut, fast::make_lut},
    {"ElementWiseErf", ref::make_lut, fast::make_lut},
    {"ElementWiseSin", ref::make_lut, fast::make_lut},
    {"ElementWiseCos", ref::make_lut, fast::make_lut},
    {"ElementWiseTan", ref::make_lut, fast::make_lut},
    {"ElementWiseAsin", ref::make_lut, fast::make_lut},
    {"ElementWiseAcos", ref::make_lut, fast::make_lut},
    {"ElementWiseAtan", ref::make_lut, fast::make_lut},
    {"ElementWiseSinh", ref::make_lut, fast::make_lut},
    {"ElementWiseCosh", ref::make_lut, fast::make_lut},
    {"ElementWiseAsinh", ref::make_lut, fast::make_lut},
    {"ElementWiseAcosh", ref::make_lut, fast::make_lut},
    {"ElementWiseAtanh", ref::make_lut, fast::make_lut},
    {"Tanh", ref::make_lut, fast::make_lut},
    {"ElementWiseSoftplus", ref::make_lut, fast::make_lut},
    {"Softsign", ref::make_lut, fast::make_lut},
    {"Mish", ref::make_lut, fast::make_lut},
    {"Elu", ref::make_lut, fast::make_lut},
    {"Celu", ref::make_lut, fast::make_lut},
    {"Selu", ref::make_lut, fast::make_lut},
    {"ThresholdedRelu", ref::make_lut, fast::make_lut},
    {"Gelu", ref::make_lut, fast::make_lut},
    {"Argmax", ref::make_float_inside, fast::make_float_inside},
    {"Argmin", ref::make_float_inside, fast::make_float_inside},
    {"Cast", ref::make_float_inside, fast::make_float_inside},
    {"CumulativeSum", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseEqual", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseGreater", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseGreaterEqual", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseLess", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseLessEqual", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseSelect", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseAnd", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseNot", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseOr", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseXor", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseBitwiseAnd", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseBitwiseNot", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseBitwiseOr", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseBitwiseXor", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseShiftLeft", ref::make_float_inside, fast::make_float_inside},
    {"ElementWiseShiftRight", ref::make_float_inside, fast::make_float_inside},
    {"Gather", ref::make_float_inside, fast::make_float_inside},
    {"GatherElements", ref::make_float_inside, fast::make_float_inside},
    {"GatherNd", ref::make_float_inside, fast::make_float_inside},
    {"ScatterElements", ref::make_float_inside, fast::make_float_inside},
    {"ScatterNd", ref::make_float_inside, fast::make_float_inside},
    {"TopK", ref::make_float_inside, fast::make_float_inside},
    {"Trilu", ref::make_float_inside, fast::make_float_inside},
    {"Hardmax", ref::make_float_inside, fast::make_float_inside},
    {"ReduceL1", ref::make_float_inside, fast::make_float_inside},
    {"ReduceL2", ref::make_float_inside, fast::make_float_inside},
    {"ReduceLogSum", ref::make_float_inside, fast::make_float_inside},
    {"ReduceLogSumExp", ref::make_float_inside, fast::make_float_inside},
    {"Rnn", ref::make_float_inside, fast::make_float_inside},
    {"NonMaxSuppression", ref::make_float_inside, fast::make_float_inside},
    {"NonZero", ref::make_float_inside, fast::make_float_inside},
    {"PoolAvg3d", ref::make_pool, fast::make_pool},
    {"PoolMax3d", ref::make_pool, fast::make_pool},
    {"GridSample", ref::make_float_inside, fast::make_float_inside},
    {"RoiAlign", ref::make_float_inside, fast::make_float_inside},
    {"ReduceProd", ref::make_float_inside, fast::make_float_inside},
    {"ReduceSumSquare", ref::make_float_inside, fast::make_float_inside},
    {"OneHot", ref::make_float_inside, fast::make_float_inside},
    {"Gru", ref::make_float_inside, fast::make_float_inside},
    {"L2Pool2d", ref::make_float_inside, fast::make_float_inside},
    {"Quantize", ref::make_lut, nullptr},
    {"Dequantize", ref::make_lut, nullptr},
};

// Integer and bool tensors are not quantized: a node that reads or writes one runs float
// inside whatever its op, which passes them through to the CPU reference exactly.
bool touches_unquantized(const ir::Graph& g, const ir::Node& n) {
  auto plain = [&](ir::TensorId t) { return t >= 0 && is_unquantized(g.tensor(t)); };
  return std::any_of(n.inputs.begin(), n.inputs.end(), plain) ||
         std::any_of(n.outputs.begin(), n.outputs.end(), plain);
}

}  // namespace

Expected<std::unique_ptr<rt::HostKernel>> make_kernel(const ir::Graph& g, const ir::Node& n,
                                                      KernelVariant variant) {
  for (const Entry& e : kKernels) {
    if (n.op != e.op) continue;
    if (touches_unquantized(g, n)) return ref::make_float_inside(g, n);
    if (variant == KernelVariant::kFast && e.fast) return e.fast(g, n);
    return e.ref(g, n);
  }
  return unsupported("node '" + n.name + "': op '" + n.op + "' has no HTP kernel");
}

rt::KernelFactory kernel_factory(KernelVariant variant) {
  return [variant](const ir::Graph& g, const ir::Node& n) { return make_kernel(g, n, variant); };
}

}  // namespace oqnn::htp
