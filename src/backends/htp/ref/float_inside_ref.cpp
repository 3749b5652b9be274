// HTP kernels that are float inside by one general mechanism (docs/architecture.md): for
// ops with no fixed-point kernel of their own (kFloatInsideOps), the node's quantized
// inputs (activations and statics) are dequantized with their encodings, the op runs on
// the CPU reference kernel (the IR's evaluator, as for constant folding and calibration)
// in float32, and each output is quantized with its encoding (round half away from zero).
// The result is the op's float value on the quantized grid, the same on every run, thread
// count and platform; a real HTP approximates it in fixed point. Integer and bool tensors
// (int32 indices, bool masks; is_unquantized) are not quantized: they pass through to and
// from the reference kernel in their own dtype, so what reads or writes only them is exact;
// so do the integer codes of Quantize and Dequantize (is_integer_codes).
#include <cmath>

#include "backends/cpu/kernels.h"
#include "backends/htp/capabilities.h"
#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"
#include "quant/encoding_math.h"
#include "runtime/host_plan.h"
#include "support/bytes.h"

namespace oqnn::htp::ref {
namespace {

// The channel of element i of a tensor with a per-axis encoding (0 when per-tensor).
size_t channel_of(const ir::Tensor& t, int64_t i) {
  const ir::Encoding& e = *t.encoding;
  if (!e.per_axis()) return 0;
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(e.axis) + 1; d < t.shape.size(); ++d) inner *= t.shape[d];
  return static_cast<size_t>((i / inner) % t.shape[static_cast<size_t>(e.axis)]);
}

std::vector<float> dequantize(const ir::Tensor& t, const std::byte* data) {
  const int64_t n = ir::num_elements(t.shape);
  std::vector<float> v(static_cast<size_t>(n));
  CodeReader q(data, t.dtype);
  for (int64_t i = 0; i < n; ++i)
    v[static_cast<size_t>(i)] =
        static_cast<float>(quant::dequantize_value(q[i], *t.encoding, channel_of(t, i)));
  return v;
}

bool plain(const ir::Tensor& t) {
  return float_inside_plain(t);
}

class FloatInside final : public rt::HostKernel {
 public:
  explicit FloatInside(FloatInsideParts p)
      : runtime_index_(std::move(p.runtime_index)),
        plan_(std::move(p.plan)),
        in_(std::move(p.in)),
        out_(std::move(p.out)) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    std::vector<std::vector<float>> xs(in_.size());
    std::vector<OqnnTensorView> views;
    for (size_t i = 0; i < in_.size(); ++i) {
      const rt::HostTensor& x = in[runtime_index_[i]];
      if (plain(in_[i])) {
        views.push_back(float_inside_view(plan_->inputs()[i], x.data, x.size));
        continue;
      }
      xs[i] = dequantize(in_[i], x.data);
      views.push_back(
          float_inside_view(plan_->inputs()[i], xs[i].data(), xs[i].size() * sizeof(float)));
    }
    std::vector<std::vector<float>> ys(out_.size());
    std::vector<OqnnTensorView> out_views;
    for (size_t j = 0; j < out_.size(); ++j) {
      if (plain(out_[j])) {
        out_views.push_back(float_inside_view(plan_->outputs()[j], out[j].data, out[j].size));
        continue;
      }
      ys[j].resize(static_cast<size_t>(ir::num_elements(out_[j].shape)));
      out_views.push_back(
          float_inside_view(plan_->outputs()[j], ys[j].data(), ys[j].size() * sizeof(float)));
    }
    OQNN_RETURN_IF_ERROR(plan_->execute(views, out_views, nullptr));
    for (size_t j = 0; j < out_.size(); ++j) {
      if (plain(out_[j])) continue;
      CodeWriter y(out[j].data, out_[j].dtype);
      for (size_t i = 0; i < ys[j].size(); ++i) {
        // NaN (log of a negative, acosh below 1) has no code: it becomes the code of 0.0,
        // as in QParams::code.
        const double v = std::isnan(ys[j][i]) ? 0.0 : ys[j][i];
        y.set(static_cast<int64_t>(i),
              quant::quantize_value(v, *out_[j].encoding, channel_of(out_[j], i)));
      }
    }
    return Status::ok();
  }

 private:
  std::vector<size_t> runtime_index_;  // node input index of each run-time input
  std::unique_ptr<rt::HostPlan> plan_;
  std::vector<ir::Tensor> in_, out_;  // the run-time inputs and outputs (quantized or plain)
};

// A tensor of `n` runs on the HTP only where the op has a row for its dtype (uint8/uint16:
// quantized activations; int32/bool: unquantized values; "<dtype> codes": integer codes).
Status check_row(const ir::Tensor& t, const ir::Node& n) {
  const std::string row =
      std::string(ir::dtype_name(t.dtype)) + (is_integer_codes(t) ? " codes" : "");
  if (supports_op(n.op, row)) return Status::ok();
  return unsupported("node '" + n.name + "' (" + n.op + "): tensor '" + t.name + "' is " + row +
                     "; no " + row + " kernel on the HTP");
}

}  // namespace

// Tensors passed to and from the reference kernel in their own dtype: unquantized integer
// and bool values, and a Quantize's or Dequantize's integer codes.
bool float_inside_plain(const ir::Tensor& t) {
  return is_unquantized(t) || is_integer_codes(t);
}

OqnnTensorView float_inside_view(const ir::Tensor& t, void* data, size_t bytes) {
  return OqnnTensorView{t.name.c_str(),
                        static_cast<int32_t>(t.dtype),
                        static_cast<uint32_t>(t.shape.size()),
                        t.shape.data(),
                        data,
                        bytes,
                        nullptr};
}

Expected<FloatInsideParts> float_inside_parts(const ir::Graph& g, const ir::Node& n) {
  // The node alone, in float32: run-time inputs become graph inputs, statics float32 data;
  // integer and bool tensors keep their dtype and data.
  ir::Graph f;
  f.name = n.name;
  ir::Node node = n;
  std::vector<ir::Tensor> q_in, q_out;
  std::vector<size_t> runtime_index;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    if (n.inputs[i] < 0) continue;
    const ir::Tensor& t = g.tensor(n.inputs[i]);
    ir::Tensor ft{t.name, ir::DataType::kFloat32, t.shape, ir::TensorKind::kInput, {}, {}};
    if (plain(t)) {
      ft.dtype = t.dtype;
      if (t.is_static()) {
        ft.kind = ir::TensorKind::kStatic;
        ft.data = t.data;
      } else {
        OQNN_RETURN_IF_ERROR(check_row(t, n));
        q_in.push_back(t);
        runtime_index.push_back(i);
      }
    } else if (t.is_static() && !t.encoding && t.dtype == ir::DataType::kFloat32) {
      ft.kind = ir::TensorKind::kStatic;  // left float by finalize
      ft.data = t.data;
    } else if (!t.encoding) {
      return unsupported("node '" + n.name + "' (" + n.op + "): input '" + t.name +
                         "' has no encoding; the HTP runs quantized tensors only");
    } else if (t.is_static()) {
      auto v = dequantize(t, t.data->data());
      ft.kind = ir::TensorKind::kStatic;
      ft.data = make_owned_blob(v.data(), v.size() * sizeof(float));
    } else {
      OQNN_RETURN_IF_ERROR(check_activation(t, n));
      OQNN_RETURN_IF_ERROR(check_row(t, n));
      q_in.push_back(t);
      runtime_index.push_back(i);
    }
    node.inputs[i] = f.add_tensor(std::move(ft));
    if (!t.is_static()) f.inputs.push_back(node.inputs[i]);
  }
  for (size_t j = 0; j < n.outputs.size(); ++j) {
    const ir::Tensor& t = g.tensor(n.outputs[j]);
    const bool as_is = plain(t);
    if (!as_is) OQNN_RETURN_IF_ERROR(check_activation(t, n));
    OQNN_RETURN_IF_ERROR(check_row(t, n));
    q_out.push_back(t);
    node.outputs[j] = f.add_tensor({t.name,
                                    as_is ? t.dtype : ir::DataType::kFloat32,
                                    t.shape,
                                    ir::TensorKind::kOutput,
                                    {},
                                    {}});
    f.outputs.push_back(node.outputs[j]);
  }
  f.nodes.push_back(std::move(node));
  OQNN_ASSIGN_OR_RETURN(auto plan, rt::HostPlan::create(std::move(f), cpu::make_ref_kernel, 1));
  return FloatInsideParts{std::move(plan), std::move(q_in), std::move(q_out),
                          std::move(runtime_index)};
}

Expected<KernelPtr> make_float_inside(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(auto parts, float_inside_parts(g, n));
  return KernelPtr(std::make_unique<FloatInside>(std::move(parts)));
}

}  // namespace oqnn::htp::ref
