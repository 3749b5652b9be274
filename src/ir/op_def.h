// The op table: one definition per QNN op type — its inputs, parameters and their types,
// and its shape rule. The importer, passes, codegen, verifier and backends all read it.
// Activations are channel-last (NHWC); conv weights are [kh, kw, cin/group, cout].
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::ir {

enum class ParamKind { kInt, kFloat, kString, kInts, kFloats };

struct ParamDef {
  std::string name;
  ParamKind kind;
  bool required = false;
};

struct OutputInfo {
  DataType dtype;
  Shape shape;
};

using ShapeRule = Expected<std::vector<OutputInfo>> (*)(const Graph& g, const Node& n);

struct OpDef {
  std::string name;                      // QNN op type, e.g. "Conv2d"
  std::string summary;                   // one line for docs
  std::vector<std::string> input_names;  // in order; inputs past min_inputs are optional
  int min_inputs = 1;
  int max_inputs = 1;  // -1: variadic
  std::vector<ParamDef> params;
  ShapeRule infer = nullptr;
  // Output values are a subset of input values (Reshape, Transpose, MaxPool, ...), so the
  // output may share its input's encoding.
  bool value_preserving = false;
  std::vector<std::string> onnx_ops;  // ONNX ops that map here (support matrix)
};

const OpDef* find_op(std::string_view name);
std::span<const OpDef> all_ops();  // sorted by name

// Helpers the shape rules share; errors name the node.
Error shape_error(const Node& n, const std::string& what);
const Shape& input_shape(const Graph& g, const Node& n, size_t i);
bool has_input(const Node& n, size_t i);
// Whether two tensors hold values of one type: the same dtype, both quantized (an encoding
// each: codes standing for float values, each through its own encoding), or both float
// (a float32 activation and the float16 static an fp16 GPU plan stores).
bool same_value_type(const Tensor& a, const Tensor& b);
// Whether `t`, an operand of real coordinates (GridSample's grid, RoiAlign's boxes), holds
// values the op reads beside its input `x`: float32, or codes with an encoding of their own
// when `x` is quantized too (the HTP's finalized graph quantizes them as activations).
bool real_or_quantized_like(const Tensor& t, const Tensor& x);
// The rule of element-wise unary ops: one output of input 0's dtype and shape.
Expected<std::vector<OutputInfo>> same_as_input_rule(const Graph& g, const Node& n);
// Numpy-style broadcast of two shapes; nullopt when incompatible.
std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b);

// The fused-activation parameters shared by Conv2d, DepthWiseConv2d and FullyConnected:
// fused_activation = "relu" | "clip" (with clip_min/clip_max); absent means none.
void add_fused_activation_params(std::vector<ParamDef>& params);

// The weighted linear ops — input 1 a weight with an output-channel axis, input 2 a bias
// per output channel, a fused activation: the axis, or -1 for any other op. Conv2d,
// DepthWiseConv2d and Conv3d ([..., cout]) give their last axis, FullyConnected
// ([cout, k]) 0.
int weight_channel_axis(std::string_view op);

}  // namespace oqnn::ir
