// Lowering: each node of a finalized graph becomes zero or more kernel launches whose
// arguments are fixed once, at finalize. One file per op family (lower_*.cpp); this
// header also holds the helpers they share (argument builders, stride walks, statics).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "backends/gpu/gpu_config.h"
#include "ir/graph.h"
#include "support/status.h"

namespace oqnn::gpu {

struct KernelArg {
  enum class Kind : uint8_t { kBuffer, kInt, kFloat, kInts };
  Kind kind = Kind::kInt;
  int buffer = -1;                // kBuffer: index of a plan buffer; -1 passes NULL
  std::array<int32_t, 8> ints{};  // kInt: ints[0]; kInts: an int2, int4 or int8
  uint8_t count = 1;
  float f = 0.0f;
};

struct Launch {
  std::string kernel;
  bool f32 = false;  // from the float32 program (a node touching graph I/O), else storage's
  std::vector<KernelArg> args;
  std::array<size_t, 3> global{1, 1, 1};
  uint32_t dims = 1;
};

// What lowering one node may ask of the plan being built.
struct NodeLowering {
  const ir::Graph& graph;
  const GpuConfig& config;
  // The node runs on float32 buffers (its activations are graph inputs or outputs, or
  // float copies of intermediates): buffer() already returns float32 buffers.
  bool f32;
  std::function<int(ir::TensorId)> buffer;  // a tensor's device buffer (storage precision)
  // A static tensor's values as a float32 device buffer (uploaded once per plan).
  std::function<Expected<int>(ir::TensorId)> static_weight;
  // A float32 device buffer holding these values (weights repacked at finalize).
  std::function<Expected<int>(std::vector<float>)> constant;
  // A float32 device buffer of `elements` values, written by this node's launches.
  std::function<Expected<int>(size_t elements)> scratch;
  std::vector<Launch> launches;  // filled by the lowering
  // The plan's int32 index-error flag (created on first use): kernels that read run-time
  // indices write node_index + 1 there for an index out of range, and execute fails
  // naming that node (as the CPU reference does), never reading outside a buffer.
  std::function<Expected<int>()> index_flag;
  int node_index = 0;
};

// Whether input `index` of `n` is a weight or bias that the kernels read as float32 in
// every precision (Conv2d, DepthWiseConv2d, FullyConnected: inputs 1 and 2).
bool is_weight_input(const ir::Node& n, size_t index);

// Ops whose outputs hold only values copied from their inputs (no arithmetic on them).
bool moves_values_only(const std::string& op);

// Whether `n` runs the float32 kernels in an fp16 plan: it reads or writes a tensor whose
// buffer holds float32 (`held_f32`: graph I/O and values only moved from them), or it
// computes with a static float operand that fp16 cannot hold exactly (a learned scale, a
// LayerNorm gamma): rounding that would bias every value it touches the same way, an error
// that, unlike the rounding of activations, does not average out over a network. Weights
// (is_weight_input) are float32 anyway.
bool runs_float32_kernels(const ir::Graph& g, const ir::Node& n,
                          const std::function<bool(ir::TensorId)>& held_f32);

// The float32 buffer of weight input `t` of the node being lowered: a static tensor's
// upload, or for a computed one a scratch buffer filled by a to_float launch added to
// `l.launches`.
Expected<int> weight_buffer(NodeLowering& l, ir::TensorId t);

using LowerFn = Status (*)(NodeLowering& l, const ir::Node& n);
// The lowering for `op`; nullptr when the GPU backend has no kernel for it.
LowerFn find_lowering(std::string_view op);

// ---- helpers shared by the lower_*.cpp files

KernelArg arg_buffer(int buffer);
KernelArg arg_int(int64_t v);
KernelArg arg_float(double v);
// An int2 or int4 argument (by the number of values), and an int8 zero-padded from `v`.
KernelArg arg_ints(std::initializer_list<int64_t> v);
KernelArg arg_int8(const std::vector<int64_t>& v);

// Row-major strides (in elements) of `shape`.
std::vector<int64_t> row_major_strides(const ir::Shape& shape);
// The element counts before and after `axis` of `shape` (a line along the axis is
// `inner`-strided; `outer * inner` lines in all).
struct AxisSplit {
  int64_t outer = 1, inner = 1;
};
AxisSplit split_at_axis(const ir::Shape& shape, size_t axis);

// A walk over `dims` with one stride list per operand. collapse() drops dimensions of
// size 1 and merges neighbours along which every operand stays contiguous, so most walks
// end with one to three dimensions; it never returns an empty walk.
struct Walk {
  std::vector<int64_t> dims;
  std::vector<std::vector<int64_t>> strides;
};
Walk collapse(Walk w);
// The walk must fit the kernels' int8 vectors.
Status check_rank(const ir::Node& n, const Walk& w);

// Static tensor values as float (the graph holds float32, or float16 after a plan was
// serialized in fp16 precision).
std::vector<float> static_floats(const ir::Tensor& t);

// Fused activation of Conv2d/DepthWiseConv2d/FullyConnected: code 0 none, 1 relu, 2 clip.
struct FusedActivation {
  int code = 0;
  float lo = 0.0f, hi = 0.0f;
};
Expected<FusedActivation> fused_activation(const ir::Node& n);

int64_t elements(const ir::Graph& g, ir::TensorId t);

// Per-family registration, called once to build the lowering table.
struct LoweringEntry {
  const char* op;
  LowerFn fn;
};
void add_conv_lowerings(std::vector<LoweringEntry>& t);
void add_linear_lowerings(std::vector<LoweringEntry>& t);
void add_elementwise_lowerings(std::vector<LoweringEntry>& t);
void add_layout_lowerings(std::vector<LoweringEntry>& t);
void add_pool_norm_lowerings(std::vector<LoweringEntry>& t);
void add_reduce_lowerings(std::vector<LoweringEntry>& t);      // lower_reduce.cpp
void add_norm_extra_lowerings(std::vector<LoweringEntry>& t);  // lower_norm_extra.cpp
void add_indexing_lowerings(std::vector<LoweringEntry>& t);    // lower_indexing.cpp
void add_resize_lowerings(std::vector<LoweringEntry>& t);      // lower_resize.cpp

// copy_strided (lower_layout.cpp): walks w.dims, reading `in` at in_base + the walk's
// strides[0] offsets and writing `out` at out_base + its strides[1] offsets. `kernel` is
// copy_kernel(graph, tensor): the storage-type copy for floats, by element size otherwise.
std::string copy_kernel(const ir::Graph& g, ir::TensorId t);
// bits_kernel(base, graph, tensor): `base` for floats, `base`_<element size> otherwise (the
// kernels that move bits: copy_strided, trilu).
std::string bits_kernel(const std::string& base, const ir::Graph& g, ir::TensorId t);
Launch copy_launch(const std::string& kernel, int in, int out, const Walk& w, int64_t in_base,
                   int64_t out_base);

// A reduction over `axes` of `x` as two walks (lower_reduce.cpp): `kept`, the output walked
// with the input strides of the kept dimensions, and `reduced`, the sub-box each output
// element combines (one operand each).
struct ReduceWalks {
  Walk kept, reduced;
};
ReduceWalks reduce_walks(const ir::Shape& x, const std::vector<int64_t>& axes);
Status check_rank(const ir::Node& n, const ReduceWalks& w);
// The kernel arguments describing both walks, as reduce_nd and moments_nd take them.
std::vector<KernelArg> reduce_walk_args(const ReduceWalks& w);
// axis_line (kernels/reduce.cl) over input 0 of `n` as [outer, x[axis], inner].
Launch axis_line_launch(NodeLowering& l, const ir::Node& n, int mode, size_t axis, double p,
                        int flags);

}  // namespace oqnn::gpu
