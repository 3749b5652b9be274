// The element-wise ops of the GPU backend as one table (an X-macro), read by the lowering
// (lower_elementwise.cpp: the kernel family and op code of each op, the dtypes it accepts)
// and by the capability table (capabilities.h: one row per op and input dtype), so the two
// cannot drift. Codes index the switches of kernels/elementwise.cl (binary_*, compare_*,
// unary_*); select and cast have no code.
#pragma once

#include <cstdint>

namespace oqnn::gpu {

// Kernel families of kernels/elementwise.cl.
enum class EltwiseFamily : uint8_t {
  kBinary,   // eltwise_binary_<t>: broadcast, output the inputs' dtype
  kCompare,  // eltwise_compare_<t>: broadcast, output bool
  kUnary,    // eltwise_unary_<t>: output the input's dtype
  kToBool,   // eltwise_unary_f_b: float in, bool out (IsNan, IsInf)
  kSelect,   // eltwise_select[_<size>]: three-way broadcast, bit copies
  kCast,     // cast_<from>_<to>
};

// Input dtype sets, as bits (kEltwise<SET> below; the capability rows expand OQNN_GPU_<SET>).
enum : uint8_t {
  kDtF = 1,  // float32 (and float16 statics)
  kDtI32 = 2,
  kDtI16 = 4,
  kDtU16 = 8,
  kDtI8 = 16,
  kDtU8 = 32,
  kDtBool = 64,
};
inline constexpr uint8_t kEltwiseFLOAT = kDtF;
inline constexpr uint8_t kEltwiseINTS = kDtI32 | kDtI16 | kDtU16 | kDtI8 | kDtU8;
inline constexpr uint8_t kEltwiseNUM = kDtF | kEltwiseINTS;
inline constexpr uint8_t kEltwiseBOOL = kDtBool;
inline constexpr uint8_t kEltwiseANY = kEltwiseNUM | kDtBool;

#define OQNN_BCAST "numpy broadcasting, at most 8 dimensions after merging"
#define OQNN_INT_BCAST "numpy broadcasting; integers computed in 64 bits, wrapped to the type"
// X(op, family, code, input dtypes, note)
// clang-format off
#define OQNN_GPU_ELTWISE_OPS(X)                                                              \
  X("ElementWiseAdd", kBinary, 0, NUM, OQNN_INT_BCAST)                                       \
  X("ElementWiseSubtract", kBinary, 1, NUM, OQNN_INT_BCAST)                                  \
  X("ElementWiseMultiply", kBinary, 2, NUM, OQNN_INT_BCAST)                                  \
  X("ElementWiseDivide", kBinary, 3, NUM, "numpy broadcasting; integers truncate, x/0 is 0") \
  X("Prelu", kBinary, 4, FLOAT, "slope broadcast to the input")                              \
  X("ElementWiseMaximum", kBinary, 5, NUM, "numpy broadcasting; NaN propagates")             \
  X("ElementWiseMinimum", kBinary, 6, NUM, "numpy broadcasting; NaN propagates")             \
  X("ElementWisePower", kBinary, 7, NUM, OQNN_INT_BCAST)                                     \
  X("ElementWiseFmod", kBinary, 8, NUM, "sign of the dividend; integer x%0 is 0")            \
  X("ElementWiseMod", kBinary, 9, NUM, "sign of the divisor; integer x%0 is 0")              \
  X("ElementWiseBitwiseAnd", kBinary, 10, INTS, OQNN_BCAST)                                  \
  X("ElementWiseBitwiseOr", kBinary, 11, INTS, OQNN_BCAST)                                   \
  X("ElementWiseBitwiseXor", kBinary, 12, INTS, OQNN_BCAST)                                  \
  X("ElementWiseShiftLeft", kBinary, 13, INTS, "shifts outside [0, 64) give 0")              \
  X("ElementWiseShiftRight", kBinary, 14, INTS, "arithmetic; shifts outside [0, 64) give 0") \
  X("ElementWiseEqual", kCompare, 0, ANY, OQNN_BCAST)                                        \
  X("ElementWiseGreater", kCompare, 1, ANY, OQNN_BCAST)                                      \
  X("ElementWiseGreaterEqual", kCompare, 2, ANY, OQNN_BCAST)                                 \
  X("ElementWiseLess", kCompare, 3, ANY, OQNN_BCAST)                                         \
  X("ElementWiseLessEqual", kCompare, 4, ANY, OQNN_BCAST)                                    \
  X("ElementWiseAnd", kCompare, 5, BOOL, OQNN_BCAST)                                         \
  X("ElementWiseOr", kCompare, 6, BOOL, OQNN_BCAST)                                          \
  X("ElementWiseXor", kCompare, 7, BOOL, OQNN_BCAST)                                         \
  X("ElementWiseSelect", kSelect, 0, ANY, "bool condition; three-way broadcasting")          \
  X("Cast", kCast, 0, ANY, "to any device dtype; float to integer truncates, saturates")     \
  X("Relu", kUnary, 0, FLOAT, "")                                                            \
  X("ReluMinMax", kUnary, 1, FLOAT, "")                                                      \
  X("Sigmoid", kUnary, 2, FLOAT, "")                                                         \
  X("HardSwish", kUnary, 3, FLOAT, "")                                                       \
  X("ElementWiseNeuron", kUnary, 4, FLOAT, "operation hard_sigmoid")                         \
  X("ElementWiseAbs", kUnary, 5, NUM, "")                                                    \
  X("ElementWiseNeg", kUnary, 6, NUM, "")                                                    \
  X("ElementWiseSign", kUnary, 7, NUM, "")                                                   \
  X("ElementWiseFloor", kUnary, 8, FLOAT, "")                                                \
  X("ElementWiseCeil", kUnary, 9, FLOAT, "")                                                 \
  X("ElementWiseRound", kUnary, 10, FLOAT, "half to even")                                   \
  X("ElementWiseExp", kUnary, 11, FLOAT, "")                                                 \
  X("ElementWiseLog", kUnary, 12, FLOAT, "")                                                 \
  X("ElementWiseSquareRoot", kUnary, 13, FLOAT, "")                                          \
  X("ElementWiseErf", kUnary, 14, FLOAT, "")                                                 \
  X("ElementWiseSin", kUnary, 15, FLOAT, "")                                                 \
  X("ElementWiseCos", kUnary, 16, FLOAT, "")                                                 \
  X("ElementWiseTan", kUnary, 17, FLOAT, "")                                                 \
  X("ElementWiseAsin", kUnary, 18, FLOAT, "")                                                \
  X("ElementWiseAcos", kUnary, 19, FLOAT, "")                                                \
  X("ElementWiseAtan", kUnary, 20, FLOAT, "")                                                \
  X("ElementWiseSinh", kUnary, 21, FLOAT, "")                                                \
  X("ElementWiseCosh", kUnary, 22, FLOAT, "")                                                \
  X("ElementWiseAsinh", kUnary, 23, FLOAT, "")                                               \
  X("ElementWiseAcosh", kUnary, 24, FLOAT, "")                                               \
  X("ElementWiseAtanh", kUnary, 25, FLOAT, "")                                               \
  X("Tanh", kUnary, 26, FLOAT, "")                                                           \
  X("ElementWiseSoftplus", kUnary, 27, FLOAT, "")                                            \
  X("Softsign", kUnary, 28, FLOAT, "")                                                       \
  X("Mish", kUnary, 29, FLOAT, "")                                                           \
  X("Elu", kUnary, 30, FLOAT, "")                                                            \
  X("Celu", kUnary, 31, FLOAT, "")                                                           \
  X("Selu", kUnary, 32, FLOAT, "")                                                           \
  X("ThresholdedRelu", kUnary, 33, FLOAT, "")                                                \
  X("Gelu", kUnary, 34, FLOAT, "approximate none|tanh")                                      \
  X("ElementWiseBitwiseNot", kUnary, 36, INTS, "")                                           \
  X("ElementWiseNot", kUnary, 37, BOOL, "")                                                  \
  X("ElementWiseIsNan", kToBool, 38, FLOAT, "output bool")                                   \
  X("ElementWiseIsInf", kToBool, 39, FLOAT, "output bool; detect_negative, detect_positive")
// clang-format on

// Gelu with approximate = "tanh" runs code 35.
inline constexpr int kGeluTanhCode = 35;

}  // namespace oqnn::gpu
