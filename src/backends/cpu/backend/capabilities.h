// The CPU backend's capability table: every op of the op table, float32 activations.
// finalize() and the runtime's backend selection both read it.
#pragma once

#include <string_view>

#include "oqnn/backend_api.h"

namespace oqnn::cpu {

inline constexpr OqnnOpCapability kCpuCapabilities[] = {
    {"Batchnorm", "float32", ""},
    {"Concat", "float32", ""},
    {"Conv2d", "float32", "fused_activation relu|clip"},
    {"DepthWiseConv2d", "float32", "fused_activation relu|clip"},
    {"ElementWiseAdd", "float32", "numpy broadcasting"},
    {"ElementWiseDivide", "float32", "numpy broadcasting"},
    {"ElementWiseMultiply", "float32", "numpy broadcasting"},
    {"ElementWiseNeuron", "float32", "operation hard_sigmoid"},
    {"ElementWiseSubtract", "float32", "numpy broadcasting"},
    {"FullyConnected", "float32", "fused_activation relu|clip"},
    {"HardSwish", "float32", ""},
    {"MatMul", "float32", ""},
    {"Pad", "float32", "scheme constant|reflect|edge"},
    {"PoolAvg2d", "float32", "padding smaller than the filter"},
    {"PoolMax2d", "float32", "padding smaller than the filter"},
    {"Prelu", "float32", ""},
    {"ReduceMean", "float32", ""},
    {"Relu", "float32", ""},
    {"ReluMinMax", "float32", ""},
    {"Reshape", "float32", ""},
    {"Sigmoid", "float32", ""},
    {"Softmax", "float32", ""},
    {"Transpose", "float32", ""},
};

inline bool cpu_supports_op(std::string_view op) {
  for (const auto& c : kCpuCapabilities)
    if (op == c.op) return true;
  return false;
}

}  // namespace oqnn::cpu
