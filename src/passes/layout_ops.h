// What the layout rewrites know about each op: which ops commute with a transpose of
// their input (and how their parameters change), and how static operands are brought
// into the other layout. Ops not listed here block transpose movement, which is always
// safe.
#pragma once

#include <optional>
#include <string>

#include "ir/graph.h"
#include "passes/graph_edit.h"
#include "passes/perm.h"

namespace oqnn::passes {

enum class LayoutClass {
  kNone,     // layout-sensitive or unknown: transposes stop here
  kUnary,    // Relu, ReluMinMax, Sigmoid, HardSwish, ElementWiseNeuron, unary ElementWise*
  kBinary,   // ElementWise{Add,Subtract,...} and the other dtype-keeping ones, Prelu
  kSoftmax,  // Softmax, LogSoftmax, Hardmax, L2Norm, ChannelShuffle: axis
  kReduce,   // Reduce*: axes, keep_dims
  kPad,      // pad_amount per dim
  kConcat,   // axis, all inputs
  kSlice,    // StridedSlice without shrink_axes: ranges per dim, begin/end mask bits
};
LayoutClass layout_class(const ir::Node& n);

// An operand whose meaning does not depend on layout: a single value of rank <= `rank`
// broadcasts the same way whatever the order of the other operand's dims.
bool is_layout_free(const ir::Graph& g, ir::TensorId t, size_t rank);

// Static operand `s` of node `reader` (output rank `rank`) right-aligned to `rank` dims
// and transposed by `perm`; per-axis encodings follow their axis.
ir::TensorId permute_static_operand(ir::Graph& g, const Uses& u, ir::TensorId s, size_t rank,
                                    const Perm& perm, int reader);

// For a unary or binary node: the input slot that carries the data (the others are
// static or layout-free and of rank <= the output's); nullopt when there is none or more
// than one.
std::optional<size_t> main_input(const ir::Graph& g, const ir::Node& n);

// Rewrites n's axis parameters for reading a instead of b = transpose(a, p); returns the
// perm that turns n's new output into its old one.
Perm remap_axes(ir::Node& n, const Perm& p, size_t rank);

// A Transpose into channel-last reads the source-layout (model) tensor; any other
// transpose writes it. Decides which name survives when a transpose goes away.
bool output_is_source_side(const Perm& p);
// A new intermediate holding transpose(tensor `of`, perm), named after it ("_nhwc",
// "_nchw" or "_t") and recorded in `made`.
ir::TensorId add_layout_twin(ir::Graph& g, ir::TensorId of, const Perm& perm, MadeNames& made);

}  // namespace oqnn::passes
