// What the GPU backend runs, as data (DESIGN §5): one row per op and activation dtype.
// Float tensors arrive as float32; they are stored on the device as fp16 (precision_mode
// "fp16", the default) or fp32, and computed with fp32 accumulation either way. Integer and
// bool tensors (int32, int16, uint16, int8, uint8, bool as one byte) keep their type on the
// device; an op has rows for them only where its kernels handle them. A node is accepted
// when every input's dtype has a row for its op.
#pragma once

#include "backends/gpu/eltwise_ops.h"
#include "backends/gpu/table_ops.h"
#include "oqnn/backend_api.h"
#include "support/status.h"

namespace oqnn::ir {
class Graph;
}

namespace oqnn::gpu {

// clang-format off
#define OQNN_GPU_OP(op, note) {op, "float32", note}, {op, "float16", note}
#define OQNN_GPU_INTS(op, note)                                                          \
  {op, "int32", note}, {op, "int16", note}, {op, "uint16", note}, {op, "int8", note}, \
      {op, "uint8", note}
#define OQNN_GPU_ANY(op, note) OQNN_GPU_OP(op, note), OQNN_GPU_INTS(op, note), {op, "bool", note}
// The element-wise table's dtype sets (eltwise_ops.h).
#define OQNN_GPU_FLOAT(op, note) OQNN_GPU_OP(op, note)
#define OQNN_GPU_NUM(op, note) OQNN_GPU_OP(op, note), OQNN_GPU_INTS(op, note)
#define OQNN_GPU_BOOL(op, note) {op, "bool", note}
#define OQNN_GPU_ELTWISE_ROW(op, family, code, dtypes, note) OQNN_GPU_##dtypes(op, note),
// The ops of table_ops.h.
#define OQNN_GPU_FLOAT_I32(op, note) OQNN_GPU_OP(op, note), {op, "int32", note}
#define OQNN_GPU_TABLE_ROW(op, lowering, dtypes, note) OQNN_GPU_##dtypes(op, note),
// (one row per line; the table's expansion at the end would make clang-format pack them)
inline constexpr OqnnOpCapability kGpuCapabilities[] = {
    OQNN_GPU_OP("Batchnorm", "channel-last"),
    OQNN_GPU_ANY("Concat", "at most 8 dimensions after merging"),
    OQNN_GPU_OP("Conv2d", "NHWC, HWIO weight; groups, dilation, fused relu/clip"),
    OQNN_GPU_OP("DepthWiseConv2d", "NHWC, weight [kh,kw,1,cout]; fused relu/clip"),
    OQNN_GPU_OP("FullyConnected", "weight [cout,k]; fused relu/clip"),
    OQNN_GPU_OP("MatMul", "batch dimensions broadcast; transpose_in0/in1"),
    OQNN_GPU_OP("Pad", "constant, reflect, edge; rank <= 8"),
    OQNN_GPU_OP("PoolAvg2d", "NHWC; rounding_mode, count_pad_for_edges"),
    OQNN_GPU_OP("PoolMax2d", "NHWC; rounding_mode"),
    OQNN_GPU_OP("ReduceMean", "any axes, keep_dims"),
    OQNN_GPU_ANY("Reshape", "aliases its input, no copy"),
    OQNN_GPU_OP("Softmax", "any axis, beta"),
    OQNN_GPU_ANY("Transpose", "at most 8 dimensions after merging"),
    // lower_reduce.cpp, lower_norm_extra.cpp, lower_indexing.cpp, lower_resize.cpp
    OQNN_GPU_OP("ReduceSum", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceMax", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceMin", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceProd", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceSumSquare", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceL1", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceL2", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceLogSum", "any axes, keep_dims"),
    OQNN_GPU_OP("ReduceLogSumExp", "any axes, keep_dims; max-shifted"),
    OQNN_GPU_OP("CumulativeSum", "exclusive, reverse"),
    OQNN_GPU_OP("LayerNorm", "any axes, gamma/beta broadcast, stats_outputs"),
    OQNN_GPU_OP("RmsNorm", "any axes, gamma/beta broadcast"),
    OQNN_GPU_OP("InstanceNorm", "channel-last"),
    OQNN_GPU_OP("GroupNorm", "channel-last"),
    OQNN_GPU_OP("LogSoftmax", "any axis, beta"),
    OQNN_GPU_OP("Hardmax", "any axis"),
    OQNN_GPU_OP("L2Norm", "one axis"),
    OQNN_GPU_OP("Lrn", "across channels, channel-last"),
    OQNN_GPU_ANY("StridedSlice", "negative strides, masks, shrink_axes; walk rank <= 8"),
    OQNN_GPU_ANY("Split", "any axis"),
    OQNN_GPU_ANY("Tile", "walk rank <= 8 after merging"),
    OQNN_GPU_ANY("DepthToSpace", "NHWC; mode DCR|CRD"),
    OQNN_GPU_ANY("SpaceToDepth", "NHWC; mode DCR|CRD"),
    OQNN_GPU_ANY("Trilu", "upper/lower, k"),
    OQNN_GPU_ANY("ChannelShuffle", "any axis"),
    OQNN_GPU_OP("Argmax", "keep_dims, select_last_index; int32 output"),
    {"Argmax", "int32", "keep_dims, select_last_index; int32 output"},
    OQNN_GPU_OP("Argmin", "keep_dims, select_last_index; int32 output"),
    {"Argmin", "int32", "keep_dims, select_last_index; int32 output"},
    OQNN_GPU_ANY("GatherElements", "any data dtype; int32 indices, negative from the end"),
    OQNN_GPU_ANY("Gather", "any data dtype; int32 indices, negative from the end"),
    OQNN_GPU_ANY("GatherNd", "any data dtype; batch_dims; index tuples <= 8"),
    {"OneHot", "int32", "int32 indices, float output; on_value, off_value, axis"},
    OQNN_GPU_OP("ScatterElements", "reduction none|add|mul|max|min; serial, in order"),
    {"ScatterElements", "int32", "reduction none|add|mul|max|min; serial, in order"},
    OQNN_GPU_OP("ScatterNd", "reduction none|add|mul|max|min; serial, in order"),
    {"ScatterNd", "int32", "reduction none|add|mul|max|min; serial, in order"},
    OQNN_GPU_OP("TopK", "last dim; largest, sorted, ties to the lower index"),
    {"TopK", "int32", "last dim; largest, sorted, ties to the lower index"},
    {"CumulativeSum", "int32", "exclusive, reverse; wraps"},
    OQNN_GPU_OP("Resize", "NHWC; nearest, linear, cubic; every ONNX coordinate mode"),
    // lower_elementwise.cpp: Dequantize (Quantize has no gpu kernel, as in QNN: cpu fallback)
    // (its float32 row is the output's, which the fallback partitioner checks too).
    OQNN_GPU_INTS("Dequantize", "per tensor, per axis or blocked; zero points within 2^24"),
    {"Dequantize", "float32", "per tensor, per axis or blocked; zero points within 2^24"},
    // lower_elementwise.cpp: every op of the element-wise table
    OQNN_GPU_ELTWISE_OPS(OQNN_GPU_ELTWISE_ROW)
    // table_ops.h: lower_conv.cpp, lower_pool_norm.cpp, lower_roi.cpp, lower_recurrent.cpp
    OQNN_GPU_TABLE_OPS(OQNN_GPU_TABLE_ROW)
};
// clang-format on
#undef OQNN_GPU_TABLE_ROW
#undef OQNN_GPU_FLOAT_I32
#undef OQNN_GPU_ELTWISE_ROW
#undef OQNN_GPU_BOOL
#undef OQNN_GPU_NUM
#undef OQNN_GPU_FLOAT
#undef OQNN_GPU_ANY
#undef OQNN_GPU_INTS
#undef OQNN_GPU_OP

// The capability check of finalize and deserialize: every op in the table above, float
// tensors of 1 to 2^31-1 elements and rank <= 8 whose dtype has a row for the op reading
// them (quantized integer tensors are refused), each intermediate written by one node.
// Unsupported ops and dtypes give kUnsupported naming the node and op.
Status check_gpu_graph(const ir::Graph& g);

}  // namespace oqnn::gpu
