// FullyConnected (weight [cout, k], optional bias, fused activation) and MatMul (batched,
// numpy-broadcast batch dimensions, optional transposes). Sums in double.
#include "backends/cpu/ref/broadcast.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

struct FcShape {
  int64_t rows, k, cout;
  ActivationRange act;
};

void fully_connected_f32_ref(const FcShape& s, const float* x, const float* w, const float* bias,
                             float* y) {
  for (int64_t r = 0; r < s.rows; ++r)
    for (int64_t o = 0; o < s.cout; ++o) {
      double acc = bias ? bias[o] : 0.0;
      for (int64_t i = 0; i < s.k; ++i) acc += static_cast<double>(x[r * s.k + i]) * w[o * s.k + i];
      y[r * s.cout + o] = clamp_to(static_cast<float>(acc), s.act);
    }
}

struct MatMulShape {
  ir::Shape out;                                          // [batch..., m, n]
  std::vector<int64_t> a_batch_strides, b_batch_strides;  // per batch dim, in matrices
  int64_t m, n, k;
  bool ta, tb;
};

void matmul_f32_ref(const MatMulShape& s, const float* a, const float* b, float* y) {
  ir::Shape batch(s.out.begin(), s.out.end() - 2);
  int64_t batches = ir::num_elements(batch);
  for (int64_t bi = 0; bi < batches; ++bi) {
    const float* ap = a + broadcast_offset(bi, batch, s.a_batch_strides) * s.m * s.k;
    const float* bp = b + broadcast_offset(bi, batch, s.b_batch_strides) * s.k * s.n;
    float* yp = y + bi * s.m * s.n;
    for (int64_t i = 0; i < s.m; ++i)
      for (int64_t j = 0; j < s.n; ++j) {
        double acc = 0.0;
        for (int64_t p = 0; p < s.k; ++p) {
          float av = s.ta ? ap[p * s.m + i] : ap[i * s.k + p];
          float bv = s.tb ? bp[j * s.k + p] : bp[p * s.n + j];
          acc += static_cast<double>(av) * bv;
        }
        yp[i * s.n + j] = static_cast<float>(acc);
      }
  }
}

}  // namespace

Expected<KernelPtr> make_fully_connected(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& w = shape_of(g, n.inputs[1]);
  // Rows from the input, or from the output when the depth is 0 (no division by zero).
  int64_t rows = w[1] != 0   ? ir::num_elements(shape_of(g, n.inputs[0])) / w[1]
                 : w[0] != 0 ? ir::num_elements(shape_of(g, n.outputs[0])) / w[0]
                             : 0;
  FcShape s{rows, w[1], w[0], {}};
  OQNN_ASSIGN_OR_RETURN(s.act, fused_activation(n));
  return make_fn_kernel([s](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    const float* bias = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    fully_connected_f32_ref(s, in[0].as<const float>(), in[1].as<const float>(), bias,
                            out[0].as<float>());
    return Status::ok();
  });
}

Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& a = shape_of(g, n.inputs[0]);
  const ir::Shape& b = shape_of(g, n.inputs[1]);
  MatMulShape s;
  s.out = shape_of(g, n.outputs[0]);
  s.ta = n.params.get_int("transpose_in0") != 0;
  s.tb = n.params.get_int("transpose_in1") != 0;
  s.m = s.out[s.out.size() - 2];
  s.n = s.out.back();
  s.k = s.ta ? a[a.size() - 2] : a.back();
  ir::Shape batch(s.out.begin(), s.out.end() - 2);
  s.a_batch_strides = broadcast_strides(ir::Shape(a.begin(), a.end() - 2), batch);
  s.b_batch_strides = broadcast_strides(ir::Shape(b.begin(), b.end() - 2), batch);
  return make_fn_kernel([s](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    matmul_f32_ref(s, in[0].as<const float>(), in[1].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::ref
