// Ops whose capability rows (capabilities.h) and lowering (lowering.cpp's table) are
// expanded from this one X-macro list, so that the two cannot drift: X(op, lowering
// function, input dtype set, note). FLOAT is float32 (and float16 statics); FLOAT_I32 also
// takes the int32 index inputs the op has (RoiAlign batch_indices, sequence_lens), and the
// lowering refuses int32 in any other input.
#pragma once

#include "support/status.h"

namespace oqnn::ir {
struct Node;
}

namespace oqnn::gpu {

struct NodeLowering;

Status lower_transpose_conv2d(NodeLowering& l, const ir::Node& n);  // lower_conv.cpp
Status lower_l2pool2d(NodeLowering& l, const ir::Node& n);          // lower_pool_norm.cpp
Status lower_roi_align(NodeLowering& l, const ir::Node& n);         // lower_roi.cpp
Status lower_recurrent(NodeLowering& l, const ir::Node& n);         // lower_recurrent.cpp

// clang-format off
#define OQNN_GPU_TABLE_OPS(X)                                                                  \
  X("TransposeConv2d", lower_transpose_conv2d, FLOAT,                                          \
    "NHWC, weight [kh,kw,cin,cout/group]; groups, dilation, output_padding")                  \
  X("L2Pool2d", lower_l2pool2d, FLOAT, "NHWC; rounding_mode")                                  \
  X("RoiAlign", lower_roi_align, FLOAT_I32,                                                    \
    "NHWC; int32 batch_indices checked at run time; avg|max, aligned")                         \
  X("Lstm", lower_recurrent, FLOAT_I32,                                                        \
    "every direction, layout, activation; peepholes, clip, input_forget, int32 sequence_lens") \
  X("Gru", lower_recurrent, FLOAT_I32,                                                         \
    "every direction, layout, activation; clip, linear_before_reset, int32 sequence_lens")     \
  X("Rnn", lower_recurrent, FLOAT_I32,                                                         \
    "every direction, layout, activation; clip, int32 sequence_lens")
// clang-format on

}  // namespace oqnn::gpu
