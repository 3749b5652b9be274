// matmul_q_fast: MatMul with int32 accumulators where no sum can leave int32 (8-bit codes
// up to K ~ 33000; the maker checks the bound from the operands' code ranges, else the
// reference kernel runs). Per call, A's rows and B's matrices are centred into int32 (a
// static B once, when the kernel is made), B laid out [K][N]; each output row is built by
// axpy updates over N (per ISA level, eltwise_loops.cpp) and requantized with the
// reference's quant::requantize on the same exact sum, so the bytes are the reference's.
// Rows of all batches are split over threads.
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <vector>

#include "backends/htp/fast/eltwise_loops.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/ref/matmul_shape.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"
#include "quant/fixed_point.h"

namespace oqnn::htp::fast {
namespace {

class MatMulFast final : public rt::HostKernel {
 public:
  MatMulFast(ref::MatMulShape s, QParams a, QParams b, QParams y, int64_t b_matrices,
             const std::byte* static_b, ir::DataType b_dtype)
      : s_(std::move(s)),
        a_(a),
        b_(b),
        y_(y),
        mult_(quant::quantize_multiplier(a.scale * b.scale / y.scale)),
        b_matrices_(b_matrices),
        axpy_(axpy_loop(gemm_simd_level())) {
    for_each_broadcast(s_.batch, s_.a_batch_stride, s_.b_batch_stride,
                       [&](int64_t, int64_t ba, int64_t bb) {
                         pairs_.push_back(ba);
                         pairs_.push_back(bb);
                       });
    if (static_b) centre_b(static_b, b_dtype, static_b_);
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    std::vector<int32_t> run_b;
    if (static_b_.empty()) centre_b(in[1].data, in[1].info->dtype, run_b);
    const std::vector<int32_t>& bc = static_b_.empty() ? run_b : static_b_;
    const CodeReader a(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    const int64_t m = s_.m, k = s_.k, n = s_.n, batches = static_cast<int64_t>(pairs_.size() / 2);
    parallel_rows(ctx, batches * m, k * n, [&](int64_t r0, int64_t r1) {
      std::vector<int32_t> acc(static_cast<size_t>(n));
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t bo = r / m, i = r % m;
        const int64_t ba = pairs_[static_cast<size_t>(2 * bo)];
        const int32_t* bm = bc.data() + pairs_[static_cast<size_t>(2 * bo + 1)] * k * n;
        std::fill(acc.begin(), acc.end(), 0);
        for (int64_t kk = 0; kk < k; ++kk) {
          const int64_t ai = ba * m * k + (s_.ta ? kk * m + i : i * k + kk);
          const int32_t av = a[ai] - a_.zero_point;
          if (av != 0) axpy_(acc.data(), av, bm + kk * n, n);
        }
        for (int64_t j = 0; j < n; ++j)
          y.set((bo * m + i) * n + j, quant::requantize(int64_t{acc[static_cast<size_t>(j)]}, mult_,
                                                        y_.zero_point, y_.qmin, y_.qmax));
      }
    });
    return Status::ok();
  }

 private:
  // B's matrices centred, each [K][N].
  void centre_b(const std::byte* data, ir::DataType dt, std::vector<int32_t>& bc) const {
    const CodeReader b(data, dt);
    const int64_t k = s_.k, n = s_.n;
    bc.resize(static_cast<size_t>(b_matrices_ * k * n));
    for (int64_t mtx = 0; mtx < b_matrices_; ++mtx)
      for (int64_t kk = 0; kk < k; ++kk)
        for (int64_t j = 0; j < n; ++j)
          bc[static_cast<size_t>((mtx * k + kk) * n + j)] =
              b[mtx * k * n + (s_.tb ? j * k + kk : kk * n + j)] - b_.zero_point;
  }

  ref::MatMulShape s_;
  QParams a_, b_, y_;
  quant::QuantizedMultiplier mult_;
  int64_t b_matrices_;
  AxpyLoop axpy_;
  std::vector<int64_t> pairs_;  // per output batch: A's and B's matrix index
  std::vector<int32_t> static_b_;
};

// The largest |code - zero| of a tensor: from the data when static, else its code range.
int64_t max_centred(const ir::Tensor& t, const QParams& q) {
  if (t.is_static()) {
    const CodeReader r(t.data->data(), t.dtype);
    int64_t m = 0;
    for (int64_t i = 0, e = ir::num_elements(t.shape); i < e; ++i)
      m = std::max<int64_t>(m, std::abs(int64_t{r[i]} - q.zero_point));
    return m;
  }
  return std::max<int64_t>(std::abs(int64_t{q.qmin} - q.zero_point),
                           std::abs(int64_t{q.qmax} - q.zero_point));
}

}  // namespace

Expected<KernelPtr> make_matmul(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& ta = g.tensor(n.inputs[0]);
  const ir::Tensor& tb = g.tensor(n.inputs[1]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  OQNN_RETURN_IF_ERROR(check_activation(ty, n));
  OQNN_ASSIGN_OR_RETURN(QParams a, qparams_of(ta, n));
  OQNN_ASSIGN_OR_RETURN(QParams b, qparams_of(tb, n));
  OQNN_ASSIGN_OR_RETURN(QParams yq, qparams_of(ty, n));
  ref::MatMulShape s = ref::matmul_shape(g, n);
  // Every partial sum is at most K * max|a - za| * max|b - zb| in magnitude.
  const double bound = static_cast<double>(s.k) * static_cast<double>(max_centred(ta, a)) *
                       static_cast<double>(max_centred(tb, b));
  if (bound > static_cast<double>(std::numeric_limits<int32_t>::max()) || ta.is_static())
    return ref::make_matmul(g, n);
  const int64_t b_matrices = ir::num_elements(tb.shape) / std::max<int64_t>(1, s.k * s.n);
  return KernelPtr(new MatMulFast(std::move(s), a, b, yq, b_matrices,
                                  tb.is_static() ? tb.data->data() : nullptr, tb.dtype));
}

}  // namespace oqnn::htp::fast
