// add_q_fast / sub_q_fast / mul_q_fast: ElementWiseAdd / Subtract / Multiply with the
// reference's numbers (EltwiseQuant) and its broadcasting, over runs of contiguous
// outputs. The output shape is reduced once to rows of `inner` elements in which each
// input either advances one element per output or stays on one element (same-shape, a
// scalar, NHWC [N,H,W,C] x [N,1,1,C]); a run calls one of the vectorized loops of
// eltwise_loops.h. Those compute in int32, which the maker proves exact from the
// encodings (and otherwise leaves the node to the reference kernel). Outputs are split
// over threads in blocks; every element is computed alone, so the split changes nothing.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "backends/htp/fast/eltwise_loops.h"
#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/fast/parallel.h"
#include "backends/htp/ref/broadcast.h"
#include "backends/htp/ref/eltwise_quant.h"

namespace oqnn::htp::fast {
namespace {

// The output as rows of `inner` elements; dims / stride_* describe the rows.
struct Runs {
  std::vector<int64_t> dims, stride_a, stride_b;
  int64_t inner = 1;
  bool a_steps = true, b_steps = true;  // whether an input advances along a row
};

// Drops unit dimensions and merges neighbours that both inputs walk as one.
Runs make_runs(const ir::Shape& out, const ir::Shape& a, const ir::Shape& b) {
  const std::vector<int64_t> sa = broadcast_strides(out, a), sb = broadcast_strides(out, b);
  Runs r;
  for (size_t d = 0; d < out.size(); ++d) {
    if (out[d] == 1) continue;
    if (!r.dims.empty() && r.stride_a.back() == sa[d] * out[d] &&
        r.stride_b.back() == sb[d] * out[d]) {
      r.dims.back() *= out[d];
      r.stride_a.back() = sa[d];
      r.stride_b.back() = sb[d];
      continue;
    }
    r.dims.push_back(out[d]);
    r.stride_a.push_back(sa[d]);
    r.stride_b.push_back(sb[d]);
  }
  if (r.dims.empty()) return r;  // one element
  r.inner = r.dims.back();
  r.a_steps = r.stride_a.back() != 0;
  r.b_steps = r.stride_b.back() != 0;
  r.dims.pop_back();
  r.stride_a.pop_back();
  r.stride_b.pop_back();
  return r;
}

int32_t max_centred(const QParams& p, ir::DataType dt) {
  const int64_t top = dt == ir::DataType::kUInt8 ? 255 : 65535;
  return static_cast<int32_t>(std::max<int64_t>(top - p.zero_point, p.zero_point));
}

// |round(v * m)| for |v| <= bound, from above.
double scaled_bound(double bound, quant::QuantizedMultiplier m) {
  return bound * std::ldexp(std::abs(static_cast<double>(m.multiplier)), m.shift - 31) + 1.0;
}

// Whether every intermediate of the int32 loops fits for any input codes.
bool fits_int32(const EltwiseQuant& q, ir::DataType dt) {
  constexpr double kMax = std::numeric_limits<int32_t>::max();
  const double ma = max_centred(q.a, dt), mb = max_centred(q.b, dt);
  if (q.multiply) return ma * mb <= kMax;
  const double scale = std::ldexp(1.0, q.left_shift);
  if (ma * scale > kMax || mb * scale > kMax) return false;
  return scaled_bound(ma * scale, q.mult_a) + scaled_bound(mb * scale, q.mult_b) <= kMax;
}

OutQuant out_quant(const EltwiseQuant& q) {
  return {q.mult_out.multiplier, q.mult_out.shift, q.y.zero_point, q.y.qmin, q.y.qmax};
}

template <class T>
class EltwiseFast final : public rt::HostKernel {
 public:
  EltwiseFast(const EltwiseQuant& q, Runs runs, SimdLevel isa)
      : multiply_(q.multiply), runs_(std::move(runs)), loops_(eltwise_loops<T>(isa)) {
    add_.a = {q.a.zero_point, q.mult_a.multiplier, q.mult_a.shift};
    add_.b = {q.b.zero_point, q.mult_b.multiplier, q.mult_b.shift};
    add_.scale = int32_t{1} << q.left_shift;
    add_.out = mul_.out = out_quant(q);
    mul_.za = q.a.zero_point;
    mul_.zb = q.b.zero_point;
    add_swapped_ = add_;
    std::swap(add_swapped_.a, add_swapped_.b);
    mul_swapped_ = mul_;
    std::swap(mul_swapped_.za, mul_swapped_.zb);
    if constexpr (sizeof(T) == 1) {
      for (int c = 0; c < 256; ++c) {
        lut_a_[static_cast<size_t>(c)] = rescaled(add_.a, static_cast<T>(c));
        lut_b_[static_cast<size_t>(c)] = rescaled(add_.b, static_cast<T>(c));
      }
    }
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext& ctx) override {
    const T* a = in[0].as<T>();
    const T* b = in[1].as<T>();
    T* y = reinterpret_cast<T*>(out[0].data);
    const int64_t total = out[0].elements();
    constexpr int64_t kBlock = 4096;
    parallel_rows(ctx, (total + kBlock - 1) / kBlock, kBlock * 8, [&](int64_t b0, int64_t b1) {
      run_range(a, b, y, b0 * kBlock, std::min(total, b1 * kBlock));
    });
    return Status::ok();
  }

 private:
  // Outputs [e0, e1), cut at row ends.
  void run_range(const T* a, const T* b, T* y, int64_t e0, int64_t e1) const {
    const int64_t inner = runs_.inner;
    for (int64_t e = e0; e < e1;) {
      const int64_t j = e % inner, len = std::min(inner - j, e1 - e);
      int64_t oa = 0, ob = 0;
      for (int64_t r = e / inner, d = static_cast<int64_t>(runs_.dims.size()); d-- > 0;) {
        const int64_t i = r % runs_.dims[d];
        r /= runs_.dims[d];
        oa += i * runs_.stride_a[d];
        ob += i * runs_.stride_b[d];
      }
      run_row(a + oa + (runs_.a_steps ? j : 0), b + ob + (runs_.b_steps ? j : 0), y + e, len);
      e += len;
    }
  }

  void run_row(const T* a, const T* b, T* y, int64_t n) const {
    if (runs_.a_steps && runs_.b_steps) {
      if (multiply_)
        loops_.mul_vv(mul_, a, b, y, n);
      else if constexpr (sizeof(T) == 1)
        loops_.add_vv_lut(add_.out, lut_a_.data(), lut_b_.data(), a, b, y, n);
      else
        loops_.add_vv(add_, a, b, y, n);
    } else if (runs_.a_steps) {
      if (multiply_)
        loops_.mul_vs(mul_, a, int32_t{*b} - mul_.zb, y, n);
      else
        loops_.add_vs(add_, a, rescaled(add_.b, *b), y, n);
    } else if (multiply_) {
      loops_.mul_vs(mul_swapped_, b, int32_t{*a} - mul_.za, y, n);
    } else {
      loops_.add_vs(add_swapped_, b, rescaled(add_.a, *a), y, n);
    }
  }

  int32_t rescaled(const AddSide& s, T q) const {
    return quant::requantize_int32((int32_t{q} - s.zero) * add_.scale, s.multiplier, s.shift, 0,
                                   std::numeric_limits<int32_t>::min(),
                                   std::numeric_limits<int32_t>::max());
  }

  bool multiply_;
  Runs runs_;
  EltwiseLoops<T> loops_;
  AddQuant add_, add_swapped_;
  MulQuant mul_, mul_swapped_;
  // uint8: each input's rescaled value per code (add_vv_lut); unused for 16-bit codes.
  std::array<int32_t, 256> lut_a_{}, lut_b_{};
};

}  // namespace

Expected<KernelPtr> make_eltwise(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(EltwiseQuant q, eltwise_quant(g, n));
  const ir::Tensor& ta = g.tensor(n.inputs[0]);
  const ir::Tensor& tb = g.tensor(n.inputs[1]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  const ir::DataType dt = ty.dtype;
  if (ta.dtype != dt || tb.dtype != dt || !fits_int32(q, dt)) return ref::make_eltwise(g, n);
  Runs runs = make_runs(ty.shape, ta.shape, tb.shape);
  if (dt == ir::DataType::kUInt8)
    return KernelPtr(new EltwiseFast<uint8_t>(q, std::move(runs), active_level()));
  return KernelPtr(new EltwiseFast<uint16_t>(q, std::move(runs), active_level()));
}

}  // namespace oqnn::htp::fast
