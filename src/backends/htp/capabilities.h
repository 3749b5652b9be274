// The HTP capability table (op x activation dtype x constraints), as data: validation,
// --target_backends checks and backend choice read it through backend_api.h. Every op of
// the op table runs with uint8 and with uint16 activations.
#pragma once

#include <string_view>

#include "oqnn/backend_api.h"

namespace oqnn::htp {

// clang-format off
#define OQNN_HTP_CAP(op, note) {op, "uint8", note}, {op, "uint16", note}
// clang-format on
inline constexpr const char* kFloatInsideNote = "computed in float inside (quantized I/O)";
inline constexpr const char* kWeightNote =
    "static weight: int8/uint8 (or 16-bit), per-tensor or per-output-channel; static bias";

inline constexpr OqnnOpCapability kCapabilities[] = {
    OQNN_HTP_CAP("Batchnorm", "static scale and bias"),
    OQNN_HTP_CAP("Concat", ""),
    OQNN_HTP_CAP("Conv2d", kWeightNote),
    OQNN_HTP_CAP("DepthWiseConv2d", kWeightNote),
    OQNN_HTP_CAP("ElementWiseAdd", ""),
    OQNN_HTP_CAP("ElementWiseDivide",
                 "computed in float inside unless the divisor is a static scalar"),
    OQNN_HTP_CAP("ElementWiseMultiply", ""),
    OQNN_HTP_CAP("ElementWiseNeuron", "operation=hard_sigmoid"),
    OQNN_HTP_CAP("ElementWiseSubtract", ""),
    OQNN_HTP_CAP("FullyConnected", kWeightNote),
    OQNN_HTP_CAP("HardSwish", ""),
    OQNN_HTP_CAP("MatMul", "per-tensor encodings"),
    OQNN_HTP_CAP("Pad", ""),
    OQNN_HTP_CAP("PoolAvg2d", ""),
    OQNN_HTP_CAP("PoolMax2d", ""),
    OQNN_HTP_CAP("Prelu", ""),
    OQNN_HTP_CAP("ReduceMean", ""),
    OQNN_HTP_CAP("Relu", ""),
    OQNN_HTP_CAP("ReluMinMax", ""),
    OQNN_HTP_CAP("Reshape", ""),
    OQNN_HTP_CAP("Sigmoid", ""),
    OQNN_HTP_CAP("Softmax", "computed in float inside"),
    OQNN_HTP_CAP("Transpose", ""),
    // Float inside (ref/float_inside_ref.cpp): ops QNN's HTP runs that have no fixed-point
    // kernel here yet; quantized I/O, the CPU reference in float32 between.
    OQNN_HTP_CAP("Lstm", kFloatInsideNote),
};
#undef OQNN_HTP_CAP

inline bool supports_op(std::string_view op) {
  for (const auto& c : kCapabilities)
    if (op == c.op) return true;
  return false;
}

}  // namespace oqnn::htp
