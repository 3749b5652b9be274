// The fast float-inside kernel: the reference's plan (ref::float_inside_parts) between the
// same dequantize and quantize steps, byte-identical to ref::make_float_inside. Inputs are
// dequantized through a table built once from quant::dequantize_value (the same float per
// code); outputs are quantized with quant::quantize_value's arithmetic (round(v / scale) -
// offset in double, clamped) with the per-tensor constants hoisted; the float buffers are
// allocated once. Per-axis or wider than 16-bit encodings take the reference kernel.
#include <algorithm>
#include <cmath>
#include <limits>

#include "backends/htp/fast/fast_kernels.h"
#include "backends/htp/ref/qtensor.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::fast {
namespace {

// The lowest code of a table-dequantized dtype; 1 when the dtype has no table.
int64_t lowest_code(ir::DataType dt) {
  switch (dt) {
    case ir::DataType::kUInt8:
    case ir::DataType::kUInt16:
      return 0;
    case ir::DataType::kInt8:
      return -128;
    case ir::DataType::kInt16:
      return -32768;
    default:
      return 1;
  }
}

bool table_fits(const ir::Tensor& t) {
  return ref::float_inside_plain(t) ||
         (!t.encoding->per_axis() && t.encoding->bitwidth <= 16 && lowest_code(t.dtype) <= 0);
}

template <class T>
void dequantize_codes(const std::byte* data, size_t n, const float* table, float* out) {
  const T* q = reinterpret_cast<const T*>(data);
  constexpr int32_t lo = std::numeric_limits<T>::min();
  for (size_t i = 0; i < n; ++i) out[i] = table[static_cast<int32_t>(q[i]) - lo];
}

template <class T>
void quantize_codes(const float* y, size_t n, const ir::Encoding& e, std::byte* data) {
  T* q = reinterpret_cast<T*>(data);
  const double scale = e.scale[0], offset = e.offset[0];
  const double qmin = static_cast<double>(e.qmin()), qmax = static_cast<double>(e.qmax());
  for (size_t i = 0; i < n; ++i) {
    // NaN becomes the code of 0.0, as in the reference.
    const double v = std::isnan(y[i]) ? 0.0 : y[i];
    q[i] = static_cast<T>(
        static_cast<int32_t>(std::clamp(std::round(v / scale) - offset, qmin, qmax)));
  }
}

class FloatInsideFast final : public rt::HostKernel {
 public:
  explicit FloatInsideFast(ref::FloatInsideParts p) : p_(std::move(p)) {
    xs_.resize(p_.in.size());
    tables_.resize(p_.in.size());
    for (size_t i = 0; i < p_.in.size(); ++i) {
      const ir::Tensor& t = p_.in[i];
      if (ref::float_inside_plain(t)) continue;
      xs_[i].resize(static_cast<size_t>(ir::num_elements(t.shape)));
      const ir::Encoding& e = *t.encoding;
      const int64_t lo = lowest_code(t.dtype);
      const int64_t count = ir::dtype_size(t.dtype) == 1 ? 256 : 65536;
      tables_[i].resize(static_cast<size_t>(count));
      for (int64_t c = 0; c < count; ++c)
        tables_[i][static_cast<size_t>(c)] =
            static_cast<float>(quant::dequantize_value(static_cast<int32_t>(lo + c), e, 0));
    }
    ys_.resize(p_.out.size());
    for (size_t j = 0; j < p_.out.size(); ++j)
      if (!ref::float_inside_plain(p_.out[j]))
        ys_[j].resize(static_cast<size_t>(ir::num_elements(p_.out[j].shape)));
  }

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    views_.clear();
    out_views_.clear();
    for (size_t i = 0; i < p_.in.size(); ++i) {
      const rt::HostTensor& x = in[p_.runtime_index[i]];
      const ir::Tensor& pt = p_.plan->inputs()[i];
      if (ref::float_inside_plain(p_.in[i])) {
        views_.push_back(ref::float_inside_view(pt, x.data, x.size));
        continue;
      }
      const size_t n = xs_[i].size();
      switch (p_.in[i].dtype) {
        case ir::DataType::kUInt8:
          dequantize_codes<uint8_t>(x.data, n, tables_[i].data(), xs_[i].data());
          break;
        case ir::DataType::kInt8:
          dequantize_codes<int8_t>(x.data, n, tables_[i].data(), xs_[i].data());
          break;
        case ir::DataType::kUInt16:
          dequantize_codes<uint16_t>(x.data, n, tables_[i].data(), xs_[i].data());
          break;
        default:
          dequantize_codes<int16_t>(x.data, n, tables_[i].data(), xs_[i].data());
          break;
      }
      views_.push_back(ref::float_inside_view(pt, xs_[i].data(), n * sizeof(float)));
    }
    for (size_t j = 0; j < p_.out.size(); ++j) {
      const ir::Tensor& pt = p_.plan->outputs()[j];
      if (ref::float_inside_plain(p_.out[j]))
        out_views_.push_back(ref::float_inside_view(pt, out[j].data, out[j].size));
      else
        out_views_.push_back(
            ref::float_inside_view(pt, ys_[j].data(), ys_[j].size() * sizeof(float)));
    }
    OQNN_RETURN_IF_ERROR(p_.plan->execute(views_, out_views_, nullptr));
    for (size_t j = 0; j < p_.out.size(); ++j) {
      if (ref::float_inside_plain(p_.out[j])) continue;
      const ir::Encoding& e = *p_.out[j].encoding;
      const size_t n = ys_[j].size();
      switch (p_.out[j].dtype) {
        case ir::DataType::kUInt8:
          quantize_codes<uint8_t>(ys_[j].data(), n, e, out[j].data);
          break;
        case ir::DataType::kInt8:
          quantize_codes<int8_t>(ys_[j].data(), n, e, out[j].data);
          break;
        case ir::DataType::kUInt16:
          quantize_codes<uint16_t>(ys_[j].data(), n, e, out[j].data);
          break;
        default:
          quantize_codes<int16_t>(ys_[j].data(), n, e, out[j].data);
          break;
      }
    }
    return Status::ok();
  }

 private:
  ref::FloatInsideParts p_;
  std::vector<std::vector<float>> tables_;   // per quantized input: code - lowest code -> float
  std::vector<std::vector<float>> xs_, ys_;  // the plan's float inputs and outputs
  std::vector<OqnnTensorView> views_, out_views_;
};

}  // namespace

Expected<KernelPtr> make_float_inside(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(auto parts, ref::float_inside_parts(g, n));
  const bool fits = std::all_of(parts.in.begin(), parts.in.end(), table_fits) &&
                    std::all_of(parts.out.begin(), parts.out.end(), table_fits);
  if (!fits) return ref::make_float_inside(g, n);
  return KernelPtr(std::make_unique<FloatInsideFast>(std::move(parts)));
}

}  // namespace oqnn::htp::fast
