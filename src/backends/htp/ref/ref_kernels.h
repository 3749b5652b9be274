// The HTP reference kernels: simple, obviously correct integer kernels, one maker per op
// family. They define the HTP arithmetic bit for bit; the fast kernels are tested against
// them. Every maker reads a node of a finalized graph (uint8/uint16 activations with
// encodings, quantized static operands) and precomputes its multipliers and tables.
#pragma once

#include <memory>
#include <vector>

#include "ir/graph.h"
#include "runtime/host_plan.h"

namespace oqnn::htp::ref {

using KernelPtr = std::unique_ptr<rt::HostKernel>;

Expected<KernelPtr> make_conv2d(const ir::Graph& g,
                                const ir::Node& n);  // + DepthWiseConv2d, Conv3d
Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n);
// ElementWiseAdd / Subtract / Multiply (integer), Prelu with a tensor slope, Batchnorm.
Expected<KernelPtr> make_eltwise(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_prelu(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_batchnorm(const ir::Graph& g, const ir::Node& n);
// Unary ops by lookup table: Relu, ReluMinMax, Sigmoid, HardSwish, ElementWiseNeuron,
// Prelu with a scalar static slope, ElementWiseDivide by a scalar static, and the other
// unary ops from a table of the CPU reference over every input code.
Expected<KernelPtr> make_lut(const ir::Graph& g, const ir::Node& n);
// The table make_lut runs from: entry q - lut_first_code(input dtype) is the output code of
// input code q (256 entries for an 8-bit input, 65536 for a 16-bit one; signed codes, which
// only Dequantize reads, start at their lowest value).
Expected<std::vector<int32_t>> lut_table(const ir::Graph& g, const ir::Node& n);
int32_t lut_first_code(ir::DataType input);
bool lut_applies(const ir::Graph& g, const ir::Node& n);
// Float inside: Softmax and the general ElementWiseDivide.
Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n);
// Any op with a CPU reference kernel, computed in float between dequantized inputs and
// quantized outputs (float_inside_ref.cpp); used for the ops of kFloatInsideOps.
Expected<KernelPtr> make_float_inside(const ir::Graph& g, const ir::Node& n);
// What make_float_inside builds its kernel from: the node alone as a float32 plan on the CPU
// reference kernels, the run-time inputs and outputs (quantized, or plain: integer / bool
// values and integer codes, passed as they are) and each run-time input's node input index.
struct FloatInsideParts {
  std::unique_ptr<rt::HostPlan> plan;
  std::vector<ir::Tensor> in, out;
  std::vector<size_t> runtime_index;
};
Expected<FloatInsideParts> float_inside_parts(const ir::Graph& g, const ir::Node& n);
// A tensor make_float_inside passes to and from the reference kernel in its own dtype.
bool float_inside_plain(const ir::Tensor& t);
// The view of `data` as the float plan's tensor `t` (float32, or the plain dtype).
OqnnTensorView float_inside_view(const ir::Tensor& t, void* data, size_t bytes);
Expected<KernelPtr> make_divide(const ir::Graph& g, const ir::Node& n);
// PoolMax2d, PoolAvg2d, PoolMax3d, PoolAvg3d.
Expected<KernelPtr> make_pool(const ir::Graph& g, const ir::Node& n);
Expected<KernelPtr> make_reduce_mean(const ir::Graph& g, const ir::Node& n);
// Reshape, Transpose, ChannelShuffle, Concat, Pad.
Expected<KernelPtr> make_layout(const ir::Graph& g, const ir::Node& n);

}  // namespace oqnn::htp::ref
