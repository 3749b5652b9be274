// The HTP capability table (op x activation dtype x constraints), as data: validation,
// --target_backends checks and backend choice read it through backend_api.h. Every op of
// the op table runs with uint8 and with uint16 activations.
#pragma once

#include <string_view>

#include "oqnn/backend_api.h"

namespace oqnn::htp {

// clang-format off
#define OQNN_HTP_CAP(op, note) {op, "uint8", note}, {op, "uint16", note}
#define OQNN_HTP_CAP8(op, note) {op, "uint8", note}
// clang-format on
inline constexpr const char* kFloatInsideNote = "computed in float inside (quantized I/O)";
inline constexpr const char* kTableNote =
    "lookup table from the CPU reference over every input code (quantized I/O)";
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
    // kernel here yet; quantized I/O, the CPU reference in float32 between. 8-bit only
    // where QNN's HTP has no 16-bit kernel (qnn-ops.tsv).
    OQNN_HTP_CAP("GroupNorm", kFloatInsideNote),
    OQNN_HTP_CAP("InstanceNorm", kFloatInsideNote),
    OQNN_HTP_CAP("L2Norm", kFloatInsideNote),
    OQNN_HTP_CAP("LayerNorm", kFloatInsideNote),
    OQNN_HTP_CAP("LogSoftmax", kFloatInsideNote),
    OQNN_HTP_CAP8("Lrn", kFloatInsideNote),
    OQNN_HTP_CAP8("Lstm", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceMax", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceMin", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceSum", kFloatInsideNote),
    OQNN_HTP_CAP("Resize", kFloatInsideNote),
    // Further ops QNN's HTP runs (qnn-ops.tsv; Mod, Fmod, Maximum, Minimum and Power as
    // ElementWiseBinary), float inside; data movement (DepthToSpace, SpaceToDepth, Split,
    // StridedSlice, Tile) is exact there when input and output encodings agree.
    OQNN_HTP_CAP("DepthToSpace", kFloatInsideNote),
    OQNN_HTP_CAP("ElementWiseFmod", kFloatInsideNote),
    OQNN_HTP_CAP("ElementWiseMaximum", kFloatInsideNote),
    OQNN_HTP_CAP("ElementWiseMinimum", kFloatInsideNote),
    OQNN_HTP_CAP("ElementWiseMod", kFloatInsideNote),
    OQNN_HTP_CAP("ElementWisePower", kFloatInsideNote),
    OQNN_HTP_CAP("SpaceToDepth", kFloatInsideNote),
    OQNN_HTP_CAP("Split", kFloatInsideNote),
    OQNN_HTP_CAP("StridedSlice", kFloatInsideNote),
    OQNN_HTP_CAP("Tile", kFloatInsideNote),
    OQNN_HTP_CAP("TransposeConv2d", kFloatInsideNote),
    // Unary ops by a lookup table built from the CPU reference (ref/lut_ref.cpp); the ops
    // QNN has no op of its own for run as its ElementWiseUnary / ElementWiseNeuron.
    // Asin is 8-bit only on QNN's HTP.
    OQNN_HTP_CAP("ElementWiseAbs", kTableNote),
    OQNN_HTP_CAP("ElementWiseNeg", kTableNote),
    OQNN_HTP_CAP("ElementWiseSign", kTableNote),
    OQNN_HTP_CAP("ElementWiseFloor", kTableNote),
    OQNN_HTP_CAP("ElementWiseCeil", kTableNote),
    OQNN_HTP_CAP("ElementWiseRound", kTableNote),
    OQNN_HTP_CAP("ElementWiseExp", kTableNote),
    OQNN_HTP_CAP("ElementWiseLog", kTableNote),
    OQNN_HTP_CAP("ElementWiseSquareRoot", kTableNote),
    OQNN_HTP_CAP("ElementWiseErf", kTableNote),
    OQNN_HTP_CAP("ElementWiseSin", kTableNote),
    OQNN_HTP_CAP("ElementWiseCos", kTableNote),
    OQNN_HTP_CAP("ElementWiseTan", kTableNote),
    OQNN_HTP_CAP8("ElementWiseAsin", kTableNote),
    OQNN_HTP_CAP("ElementWiseAcos", kTableNote),
    OQNN_HTP_CAP("ElementWiseAtan", kTableNote),
    OQNN_HTP_CAP("ElementWiseSinh", kTableNote),
    OQNN_HTP_CAP("ElementWiseCosh", kTableNote),
    OQNN_HTP_CAP("ElementWiseAsinh", kTableNote),
    OQNN_HTP_CAP("ElementWiseAcosh", kTableNote),
    OQNN_HTP_CAP("ElementWiseAtanh", kTableNote),
    OQNN_HTP_CAP("Tanh", kTableNote),
    OQNN_HTP_CAP("ElementWiseSoftplus", kTableNote),
    OQNN_HTP_CAP("Softsign", kTableNote),
    OQNN_HTP_CAP("Mish", kTableNote),
    OQNN_HTP_CAP("Elu", kTableNote),
    OQNN_HTP_CAP("Celu", kTableNote),
    OQNN_HTP_CAP("Selu", kTableNote),
    OQNN_HTP_CAP("ThresholdedRelu", kTableNote),
    OQNN_HTP_CAP("Gelu", kTableNote),
};
#undef OQNN_HTP_CAP
#undef OQNN_HTP_CAP8

inline bool supports_op(std::string_view op) {
  for (const auto& c : kCapabilities)
    if (op == c.op) return true;
  return false;
}

// Whether `op` has a row for activation dtype `dtype` ("uint8", "uint16").
inline bool supports_op(std::string_view op, std::string_view dtype) {
  for (const auto& c : kCapabilities)
    if (op == c.op && dtype == c.dtype) return true;
  return false;
}

}  // namespace oqnn::htp
