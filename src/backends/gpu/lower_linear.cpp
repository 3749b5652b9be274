// FullyConnected and MatMul. FullyConnected's weight [N, K] is transposed to [K, N] at
// finalize for gemm_nn (with enable_transform_optimization), else read as stored by fc_nt.
#include "backends/gpu/lowering.h"

namespace oqnn::gpu {
namespace {

constexpr int64_t kGemmRowsPerItem = 8;  // GEMM_MB and GEMM8_MB in gemm.cl

Status lower_fc(NodeLowering& l, const ir::Node& n) {
  const ir::Graph& g = l.graph;
  const ir::Tensor& wt = g.tensor(n.inputs[1]);
  int64_t cout = wt.shape[0], k = wt.shape[1];
  int64_t m = elements(g, n.inputs[0]) / k;
  OQNN_ASSIGN_OR_RETURN(FusedActivation act, fused_activation(n));
  bool has_bias = n.inputs.size() > 2 && n.inputs[2] >= 0;
  Launch launch;
  int weight = -1;
  if (l.config.transform_optimization && wt.is_static()) {
    std::vector<float> src = static_floats(wt), packed(src.size());
    for (int64_t o = 0; o < cout; ++o)
      for (int64_t i = 0; i < k; ++i) packed[i * cout + o] = src[o * k + i];
    OQNN_ASSIGN_OR_RETURN(weight, l.constant(std::move(packed)));
    bool c8 = cout % 8 == 0;
    launch.kernel = c8 ? "gemm_nn_c8" : "gemm_nn";
    launch.global = {static_cast<size_t>(c8 ? cout / 8 : cout),
                     static_cast<size_t>((m + kGemmRowsPerItem - 1) / kGemmRowsPerItem), 1};
  } else {
    OQNN_ASSIGN_OR_RETURN(weight, weight_buffer(l, n.inputs[1]));
    launch.kernel = "fc_nt";
    launch.global = {static_cast<size_t>(cout), static_cast<size_t>(m), 1};
  }
  int bias = -1;
  if (has_bias) {
    OQNN_ASSIGN_OR_RETURN(bias, weight_buffer(l, n.inputs[2]));
  }
  launch.args = {arg_buffer(l.buffer(n.inputs[0])),
                 arg_buffer(weight),
                 arg_buffer(bias),
                 arg_buffer(l.buffer(n.outputs[0])),
                 arg_ints({m, cout, k, has_bias ? 1 : 0}),
                 arg_int(act.code),
                 arg_float(act.lo),
                 arg_float(act.hi)};
  launch.dims = 2;
  l.launches.push_back(std::move(launch));
  return Status::ok();
}

// Batch strides of one operand over the output's batch dimensions (0 where broadcast).
std::vector<int64_t> batch_strides(const ir::Shape& s, size_t out_batch_rank) {
  size_t rank = s.size() - 2;
  int64_t matrix = s[rank] * s[rank + 1];
  ir::Shape batch(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(rank));
  std::vector<int64_t> rm = row_major_strides(batch), out(out_batch_rank, 0);
  for (size_t i = 0; i < rank; ++i)
    if (batch[i] != 1) out[out_batch_rank - rank + i] = rm[i] * matrix;
  return out;
}

Status lower_matmul(NodeLowering& l, const ir::Node& n) {
  const ir::Graph& g = l.graph;
  const ir::Shape& a = g.tensor(n.inputs[0]).shape;
  const ir::Shape& b = g.tensor(n.inputs[1]).shape;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  bool ta = n.params.get_int("transpose_in0") != 0, tb = n.params.get_int("transpose_in1") != 0;
  int64_t a0 = a[a.size() - 2], a1 = a.back(), b0 = b[b.size() - 2], b1 = b.back();
  int64_t m = ta ? a1 : a0, k = ta ? a0 : a1, cols = tb ? b0 : b1;
  // Element (m, k) of A and (k, n) of B; a transpose swaps the strides.
  std::vector<int64_t> strides = {ta ? 1 : a1, ta ? a1 : 1, tb ? 1 : b1, tb ? b1 : 1};
  size_t batch_rank = y.size() - 2;
  Walk walk{ir::Shape(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(batch_rank)),
            {batch_strides(a, batch_rank), batch_strides(b, batch_rank)}};
  walk = collapse(std::move(walk));
  OQNN_RETURN_IF_ERROR(check_rank(n, walk));
  int64_t batches = ir::num_elements(walk.dims);
  Launch launch;
  launch.kernel = "matmul_batched";
  launch.args = {arg_buffer(l.buffer(n.inputs[0])),
                 arg_buffer(l.buffer(n.inputs[1])),
                 arg_buffer(l.buffer(n.outputs[0])),
                 arg_ints({m, cols, k, static_cast<int64_t>(walk.dims.size())}),
                 arg_ints({strides[0], strides[1], strides[2], strides[3]}),
                 arg_int8(walk.dims),
                 arg_int8(walk.strides[0]),
                 arg_int8(walk.strides[1])};
  launch.global = {static_cast<size_t>(cols), static_cast<size_t>(m), static_cast<size_t>(batches)};
  launch.dims = 3;
  l.launches.push_back(std::move(launch));
  return Status::ok();
}

}  // namespace

void add_linear_lowerings(std::vector<LoweringEntry>& t) {
  t.push_back({"FullyConnected", lower_fc});
  t.push_back({"MatMul", lower_matmul});
}

}  // namespace oqnn::gpu
