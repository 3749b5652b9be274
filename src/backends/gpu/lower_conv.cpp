// Conv2d, DepthWiseConv2d and TransposeConv2d. A 1x1, stride-1, unpadded, ungrouped Conv2d is a
// matrix product of the [N*H*W, C] input with the [C, COUT] weight and runs on gemm_nn (with
// enable_transform_optimization); every other Conv2d runs on the direct conv2d_nhwc.
#include "backends/gpu/lowering.h"
#include "backends/gpu/table_ops.h"

namespace oqnn::gpu {
namespace {

// Must match conv.cl and gemm.cl.
constexpr int64_t kConvPixelsPerItem = 8;   // CONV_OWB
constexpr int64_t kConv8PixelsPerItem = 4;  // CONV8_OWB
constexpr int64_t kGemmRowsPerItem = 8;     // GEMM_MB and GEMM8_MB

int64_t ceil_div(int64_t a, int64_t b) {
  return (a + b - 1) / b;
}

struct ConvGeometry {
  std::vector<int64_t> stride, dilation, pad;
};

ConvGeometry geometry(const ir::Node& n) {
  return {n.params.get_ints("stride", {1, 1}), n.params.get_ints("dilation", {1, 1}),
          n.params.get_ints("pad_amount", {0, 0, 0, 0})};
}

Status lower_conv2d(NodeLowering& l, const ir::Node& n) {
  const ir::Graph& g = l.graph;
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  const ir::Shape& w = g.tensor(n.inputs[1]).shape;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  OQNN_ASSIGN_OR_RETURN(FusedActivation act, fused_activation(n));
  ConvGeometry geo = geometry(n);
  int64_t group = n.params.get_int("group", 1);
  bool has_bias = n.inputs.size() > 2 && n.inputs[2] >= 0;
  OQNN_ASSIGN_OR_RETURN(int weight, weight_buffer(l, n.inputs[1]));
  int bias = -1;
  if (has_bias) {
    OQNN_ASSIGN_OR_RETURN(bias, weight_buffer(l, n.inputs[2]));
  }
  Launch k;
  bool pointwise = w[0] == 1 && w[1] == 1 && geo.stride == std::vector<int64_t>{1, 1} &&
                   geo.pad == std::vector<int64_t>{0, 0, 0, 0} && group == 1;
  if (pointwise && l.config.transform_optimization) {
    int64_t m = x[0] * x[1] * x[2];
    bool c8 = w[3] % 8 == 0;
    k.kernel = c8 ? "gemm_nn_c8" : "gemm_nn";
    k.args = {arg_buffer(l.buffer(n.inputs[0])),
              arg_buffer(weight),
              arg_buffer(bias),
              arg_buffer(l.buffer(n.outputs[0])),
              arg_ints({m, w[3], w[2], has_bias ? 1 : 0}),
              arg_int(act.code),
              arg_float(act.lo),
              arg_float(act.hi)};
    k.global = {static_cast<size_t>(c8 ? w[3] / 8 : w[3]),
                static_cast<size_t>(ceil_div(m, kGemmRowsPerItem)), 1};
    k.dims = 2;
  } else {
    bool c8 = (w[3] / group) % 8 == 0;
    k.kernel = c8 ? "conv2d_nhwc_c8" : "conv2d_nhwc";
    k.args = {arg_buffer(l.buffer(n.inputs[0])),
              arg_buffer(weight),
              arg_buffer(bias),
              arg_buffer(l.buffer(n.outputs[0])),
              arg_ints({x[0], x[1], x[2], x[3]}),
              arg_ints({y[0], y[1], y[2], y[3]}),
              arg_ints({w[0], w[1], w[2], w[3] / group}),
              arg_ints({geo.stride[0], geo.stride[1], geo.dilation[0], geo.dilation[1]}),
              arg_ints({geo.pad[0], geo.pad[2], has_bias ? 1 : 0, act.code}),
              arg_float(act.lo),
              arg_float(act.hi)};
    k.global = {static_cast<size_t>(c8 ? y[3] / 8 : y[3]),
                static_cast<size_t>(ceil_div(y[2], c8 ? kConv8PixelsPerItem : kConvPixelsPerItem)),
                static_cast<size_t>(y[0] * y[1])};
    k.dims = 3;
  }
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// A direct kernel with one work-item per output element and the arguments (in, weight,
// bias, out, in shape, out shape, kshape, stride/dilation, pad top/left + has bias +
// activation, lo, hi): dwconv2d_nhwc and transpose_conv2d_nhwc.
Status lower_direct(NodeLowering& l, const ir::Node& n, const char* kernel,
                    std::initializer_list<int64_t> kshape) {
  const ir::Graph& g = l.graph;
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  OQNN_ASSIGN_OR_RETURN(FusedActivation act, fused_activation(n));
  ConvGeometry geo = geometry(n);
  bool has_bias = n.inputs.size() > 2 && n.inputs[2] >= 0;
  OQNN_ASSIGN_OR_RETURN(int weight, weight_buffer(l, n.inputs[1]));
  int bias = -1;
  if (has_bias) {
    OQNN_ASSIGN_OR_RETURN(bias, weight_buffer(l, n.inputs[2]));
  }
  l.launches.push_back(
      nhwc_launch(kernel,
                  {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(weight), arg_buffer(bias),
                   arg_buffer(l.buffer(n.outputs[0])), arg_ints({x[0], x[1], x[2], x[3]}),
                   arg_ints({y[0], y[1], y[2], y[3]}), arg_ints(kshape),
                   arg_ints({geo.stride[0], geo.stride[1], geo.dilation[0], geo.dilation[1]}),
                   arg_ints({geo.pad[0], geo.pad[2], has_bias ? 1 : 0, act.code}),
                   arg_float(act.lo), arg_float(act.hi)},
                  y));
  return Status::ok();
}

Status lower_dwconv2d(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& w = l.graph.tensor(n.inputs[1]).shape;
  return lower_direct(l, n, "dwconv2d_nhwc", {w[0], w[1], w[3] / x[3], 0});
}

}  // namespace

// TransposeConv2d (ONNX ConvTranspose, 1-D ones as 2-D with a height of 1) on the
// gather-form transpose_conv2d_nhwc (kernels/transpose_conv.cl).
Status lower_transpose_conv2d(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  const ir::Shape& w = l.graph.tensor(n.inputs[1]).shape;
  const int64_t group = n.params.get_int("group", 1);
  return lower_direct(l, n, "transpose_conv2d_nhwc", {w[0], w[1], x[3] / group, w[3]});
}

void add_conv_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"Conv2d", lower_conv2d});
  t.push_back({"DepthWiseConv2d", lower_dwconv2d});
}

}  // namespace oqnn::gpu
