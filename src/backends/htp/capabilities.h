// The HTP capability table (op x dtype x constraints), as data: validation,
// --target_backends checks and backend choice read it through backend_api.h. The rows
// "uint8" / "uint16" mean quantized float activations (8- or 16-bit codes with an
// encoding); "int32" and "bool" mean unquantized integer and bool tensors (QNN's INT_32 and
// BOOL_8: indices, masks, comparison results), which keep their dtype. A node runs natively
// when each float tensor it touches is covered by the op's uint8/uint16 rows and each
// integer or bool tensor of dtype D by a row D; integer tensors of other dtypes (uint8,
// int8, int16, uint16 as plain integers) only by a row "D codes" (the integer codes a
// Quantize writes or a Dequantize reads), else never (CPU fallback).
#pragma once

#include <string_view>

#include "oqnn/backend_api.h"

namespace oqnn::htp {

// clang-format off
#define OQNN_HTP_CAP(op, note) {op, "uint8", note}, {op, "uint16", note}
#define OQNN_HTP_CAP8(op, note) {op, "uint8", note}
#define OQNN_HTP_INT(op, note) {op, "int32", note}
#define OQNN_HTP_BOOL(op, note) {op, "bool", note}
#define OQNN_HTP_INT_BOOL(op, note) OQNN_HTP_INT(op, note), OQNN_HTP_BOOL(op, note)
#define OQNN_HTP_ANY(op, note) OQNN_HTP_CAP(op, note), OQNN_HTP_INT_BOOL(op, note)
#define OQNN_HTP_CODES(op, note) \
  {op, "uint8 codes", note}, {op, "int8 codes", note}, {op, "uint16 codes", note}, \
  {op, "int16 codes", note}
// clang-format on
inline constexpr const char* kFloatInsideNote = "computed in float inside (quantized I/O)";
inline constexpr const char* kTableNote =
    "lookup table from the CPU reference over every input code (quantized I/O)";
inline constexpr const char* kExactNote =
    "integer and bool tensors unquantized, exact (the CPU reference between)";
inline constexpr const char* kCodesNote =
    "per tensor; table from the CPU reference over every input code (integer codes exact)";
inline constexpr const char* kWeightNote =
    "static weight: int8/uint8 (or 16-bit), per-tensor or per-output-channel; static bias";

inline constexpr OqnnOpCapability kCapabilities[] = {
    OQNN_HTP_CAP("Batchnorm", "static scale and bias"),
    OQNN_HTP_CAP("Concat", ""),
    OQNN_HTP_CAP("Conv2d", kWeightNote),
    OQNN_HTP_CAP("Conv3d", kWeightNote),
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
    OQNN_HTP_CAP("ChannelShuffle", ""),
    // Float inside (ref/float_inside_ref.cpp): ops QNN's HTP runs that have no fixed-point
    // kernel here yet; quantized I/O, the CPU reference in float32 between. 8-bit only
    // where QNN's HTP has no 16-bit kernel (qnn-ops.tsv).
    OQNN_HTP_CAP("GroupNorm", kFloatInsideNote),
    OQNN_HTP_CAP("InstanceNorm", kFloatInsideNote),
    OQNN_HTP_CAP("L2Norm", kFloatInsideNote),
    OQNN_HTP_CAP("LayerNorm", kFloatInsideNote),
    OQNN_HTP_CAP("RmsNorm", kFloatInsideNote),
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
    OQNN_HTP_CAP("TransposeConv3d", kFloatInsideNote),
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
    // Integer and bool tensors (float_inside_ref.cpp passes them through unquantized): the
    // ops above that QNN's HTP runs on INT_32 / BOOL_8 where our CPU reference does too.
    OQNN_HTP_INT_BOOL("Concat", kExactNote),
    OQNN_HTP_INT_BOOL("DepthToSpace", kExactNote),
    OQNN_HTP_INT_BOOL("Reshape", kExactNote),
    OQNN_HTP_INT_BOOL("SpaceToDepth", kExactNote),
    OQNN_HTP_INT_BOOL("Split", kExactNote),
    OQNN_HTP_INT_BOOL("StridedSlice", kExactNote),
    OQNN_HTP_INT_BOOL("Tile", kExactNote),
    OQNN_HTP_INT_BOOL("Transpose", kExactNote),
    OQNN_HTP_INT_BOOL("ChannelShuffle", kExactNote),
    OQNN_HTP_INT("ElementWiseAbs", kExactNote),
    OQNN_HTP_INT("ElementWiseAdd", kExactNote),
    OQNN_HTP_INT("ElementWiseDivide", kExactNote),
    OQNN_HTP_INT("ElementWiseFmod", kExactNote),
    OQNN_HTP_INT("ElementWiseMaximum", kExactNote),
    OQNN_HTP_INT("ElementWiseMinimum", kExactNote),
    OQNN_HTP_INT("ElementWiseMod", kExactNote),
    OQNN_HTP_INT("ElementWiseMultiply", kExactNote),
    OQNN_HTP_INT("ElementWiseNeg", kExactNote),
    OQNN_HTP_INT("ElementWiseSign", kExactNote),
    OQNN_HTP_INT("ElementWiseSubtract", kExactNote),
    OQNN_HTP_INT("ReduceSum", kExactNote),
    OQNN_HTP_INT_BOOL("ReduceMax", kExactNote),
    OQNN_HTP_INT_BOOL("ReduceMin", kExactNote),
    // Ops with no fixed-point kernel here yet, float inside; integer and bool tensors exact.
    // Quantized inputs of comparisons are compared as the reals they stand for.
    OQNN_HTP_CAP("Argmax", kFloatInsideNote),
    OQNN_HTP_INT("Argmax", kExactNote),
    OQNN_HTP_CAP("Argmin", kFloatInsideNote),
    OQNN_HTP_INT("Argmin", kExactNote),
    OQNN_HTP_ANY("Cast", kFloatInsideNote),
    OQNN_HTP_CAP("CumulativeSum", kFloatInsideNote),
    OQNN_HTP_INT("CumulativeSum", kExactNote),
    OQNN_HTP_ANY("ElementWiseEqual", kFloatInsideNote),
    OQNN_HTP_ANY("ElementWiseGreater", kFloatInsideNote),
    OQNN_HTP_ANY("ElementWiseGreaterEqual", kFloatInsideNote),
    OQNN_HTP_ANY("ElementWiseLess", kFloatInsideNote),
    OQNN_HTP_ANY("ElementWiseLessEqual", kFloatInsideNote),
    OQNN_HTP_ANY("ElementWiseSelect", kFloatInsideNote),
    OQNN_HTP_BOOL("ElementWiseAnd", kExactNote),
    OQNN_HTP_BOOL("ElementWiseNot", kExactNote),
    OQNN_HTP_BOOL("ElementWiseOr", kExactNote),
    OQNN_HTP_BOOL("ElementWiseXor", kExactNote),
    OQNN_HTP_INT("ElementWiseBitwiseAnd", kExactNote),
    OQNN_HTP_INT("ElementWiseBitwiseNot", kExactNote),
    OQNN_HTP_INT("ElementWiseBitwiseOr", kExactNote),
    OQNN_HTP_INT("ElementWiseBitwiseXor", kExactNote),
    OQNN_HTP_INT("ElementWiseShiftLeft", kExactNote),
    OQNN_HTP_INT("ElementWiseShiftRight", kExactNote),
    OQNN_HTP_ANY("Gather", kFloatInsideNote),
    OQNN_HTP_ANY("GatherElements", kFloatInsideNote),
    OQNN_HTP_ANY("GatherNd", kFloatInsideNote),
    OQNN_HTP_ANY("ScatterElements", kFloatInsideNote),
    OQNN_HTP_ANY("ScatterNd", kFloatInsideNote),
    OQNN_HTP_CAP("TopK", kFloatInsideNote),
    OQNN_HTP_INT("TopK", kExactNote),
    OQNN_HTP_ANY("Trilu", kFloatInsideNote),
    OQNN_HTP_CAP("Hardmax", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceL1", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceL2", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceLogSum", kFloatInsideNote),
    OQNN_HTP_CAP("ReduceLogSumExp", kFloatInsideNote),
    OQNN_HTP_CAP("Rnn", kFloatInsideNote),
    // Static-output detection ops (ir/ops/detection.h): boxes and scores dequantized, IoU
    // and thresholds compared in float inside; int32 indices and count exact. NonZero is
    // 8-bit only, as QNN's HTP (qnn-ops.tsv).
    OQNN_HTP_CAP("NonMaxSuppression", kFloatInsideNote),
    OQNN_HTP_INT("NonMaxSuppression", kExactNote),
    OQNN_HTP_CAP8("NonZero", kFloatInsideNote),
    OQNN_HTP_INT_BOOL("NonZero", kExactNote),
    // 3-D pools (and the dilated 1-D / 2-D pools the importer makes 3-D) in fixed point as
    // the 2-D ones (ref/pool_ref.cpp); GridSample and RoiAlign float inside, their grid /
    // boxes quantized activations dequantized inside; RoiAlign's batch indices and Lstm's
    // sequence_lens int32 (QNN's HTP has no 16-bit Lstm).
    OQNN_HTP_CAP("PoolAvg3d", "dilation; count_pad_for_edges"),
    OQNN_HTP_CAP("PoolMax3d", "dilation"),
    OQNN_HTP_CAP("GridSample", kFloatInsideNote),
    OQNN_HTP_CAP("RoiAlign", kFloatInsideNote),
    OQNN_HTP_INT("RoiAlign", "batch_indices"),
    OQNN_HTP_INT("Lstm", "sequence_lens"),
    // Ops QNN's HTP table leaves to the CPU (qnn-ops.tsv: htp NO) that float inside runs as
    // the CPU reference does; OneHot's indices are int32 (float indices reach it through a
    // Cast), on_value / off_value quantized with the output's encoding.
    OQNN_HTP_CAP("ReduceProd", kFloatInsideNote),
    OQNN_HTP_INT("ReduceProd", kExactNote),
    OQNN_HTP_CAP("ReduceSumSquare", kFloatInsideNote),
    OQNN_HTP_INT("ReduceSumSquare", kExactNote),
    OQNN_HTP_CAP("OneHot", kFloatInsideNote),
    OQNN_HTP_INT("OneHot", "indices"),
    OQNN_HTP_CAP("Gru", kFloatInsideNote),
    OQNN_HTP_INT("Gru", "sequence_lens"),
    OQNN_HTP_CAP("L2Pool2d", kFloatInsideNote),
    // Quantize / Dequantize (ONNX QuantizeLinear / DequantizeLinear), per tensor: a table over
    // every input code from the CPU reference kernel (ref/lut_ref.cpp), so the codes are the
    // CPU's for the HTP's input. "<dtype> codes" rows are the integer codes (ref/qtensor.h
    // is_integer_codes): plain values, the node's scale and zero point their encoding.
    OQNN_HTP_CAP("Quantize", kCodesNote),
    OQNN_HTP_CODES("Quantize", kCodesNote),
    OQNN_HTP_CAP("Dequantize", kCodesNote),
    OQNN_HTP_CODES("Dequantize", kCodesNote),
};
#undef OQNN_HTP_CAP
#undef OQNN_HTP_CAP8
#undef OQNN_HTP_INT
#undef OQNN_HTP_BOOL
#undef OQNN_HTP_INT_BOOL
#undef OQNN_HTP_ANY
#undef OQNN_HTP_CODES

inline bool supports_op(std::string_view op) {
  for (const auto& c : kCapabilities)
    if (op == c.op) return true;
  return false;
}

// Whether `op` has a row for `dtype` ("uint8", "uint16": quantized; "int32", "bool").
inline bool supports_op(std::string_view op, std::string_view dtype) {
  for (const auto& c : kCapabilities)
    if (op == c.op && dtype == c.dtype) return true;
  return false;
}

}  // namespace oqnn::htp
