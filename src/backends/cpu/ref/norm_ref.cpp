// Softmax, LogSoftmax (axis, beta; the maximum is subtracted first so exp never
// overflows), Hardmax (axis), L2Norm (axis, epsilon) and Batchnorm (channel-last scale and bias).
#include <algorithm>
#include <cmath>
#include <limits>

#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu::ref {
namespace {

struct AxisSplit {
  int64_t outer = 1, axis = 1, inner = 1;  // the tensor viewed as [outer, axis, inner]
};

AxisSplit split_at(const ir::Shape& s, size_t axis) {
  AxisSplit a;
  for (size_t d = 0; d < s.size(); ++d) {
    if (d < axis)
      a.outer *= s[d];
    else if (d == axis)
      a.axis = s[d];
    else
      a.inner *= s[d];
  }
  return a;
}

enum class SoftmaxKind { kSoftmax, kLogSoftmax, kHardmax };

// Hardmax: 1 at the first maximum along the axis (NaN compares false, so is never it).
void hardmax_f32_ref(const AxisSplit& s, const float* xp, float* yp) {
  int64_t best = 0;
  for (int64_t a = 1; a < s.axis; ++a)
    if (xp[a * s.inner] > xp[best * s.inner]) best = a;
  for (int64_t a = 0; a < s.axis; ++a) yp[a * s.inner] = a == best ? 1.0f : 0.0f;
}

void softmax_f32_ref(const AxisSplit& s, SoftmaxKind kind, float beta, const float* x, float* y) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      const float* xp = x + o * s.axis * s.inner + i;
      float* yp = y + o * s.axis * s.inner + i;
      if (kind == SoftmaxKind::kHardmax) {
        hardmax_f32_ref(s, xp, yp);
        continue;
      }
      float m = -std::numeric_limits<float>::infinity();
      for (int64_t a = 0; a < s.axis; ++a) m = std::max(m, beta * xp[a * s.inner]);
      double sum = 0.0;
      for (int64_t a = 0; a < s.axis; ++a)
        sum += std::exp(static_cast<double>(beta * xp[a * s.inner] - m));
      const double log_sum = std::log(sum);
      for (int64_t a = 0; a < s.axis; ++a) {
        double shifted = static_cast<double>(beta * xp[a * s.inner] - m);
        yp[a * s.inner] = static_cast<float>(
            kind == SoftmaxKind::kLogSoftmax ? shifted - log_sum : std::exp(shifted) / sum);
      }
    }
}

void l2norm_f32_ref(const AxisSplit& s, double eps, const float* x, float* y) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      const float* xp = x + o * s.axis * s.inner + i;
      float* yp = y + o * s.axis * s.inner + i;
      double sq = 0.0;
      for (int64_t a = 0; a < s.axis; ++a)
        sq += static_cast<double>(xp[a * s.inner]) * xp[a * s.inner];
      const double inv = 1.0 / std::sqrt(std::max(sq, eps));
      for (int64_t a = 0; a < s.axis; ++a)
        yp[a * s.inner] = static_cast<float>(xp[a * s.inner] * inv);
    }
}

}  // namespace

Expected<KernelPtr> make_l2norm(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  int64_t axis = n.params.get_int("axis", static_cast<int64_t>(x.size()) - 1);
  AxisSplit s = split_at(x, static_cast<size_t>(axis));
  double eps = n.params.get_float("epsilon", 1e-12);  // QNN's default
  return make_fn_kernel([s, eps](std::span<const rt::HostTensor> in,
                                 std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    l2norm_f32_ref(s, eps, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  int64_t axis = n.params.get_int("axis", static_cast<int64_t>(x.size()) - 1);
  AxisSplit s = split_at(x, static_cast<size_t>(axis));
  float beta = static_cast<float>(n.params.get_float("beta", 1.0));
  SoftmaxKind kind = n.op == "LogSoftmax" ? SoftmaxKind::kLogSoftmax
                     : n.op == "Hardmax"  ? SoftmaxKind::kHardmax
                                          : SoftmaxKind::kSoftmax;
  return make_fn_kernel([s, kind, beta](std::span<const rt::HostTensor> in,
                                        std::span<const rt::HostTensor> out,
                                        const rt::KernelContext&) {
    softmax_f32_ref(s, kind, beta, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

Expected<KernelPtr> make_batchnorm(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const int64_t channels = shape_of(g, n.inputs[0]).back();
  return make_fn_kernel([channels](std::span<const rt::HostTensor> in,
                                   std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    const float* x = in[0].as<const float>();
    const float* scale = in[1].as<const float>();
    const float* bias = in[2].as<const float>();
    float* y = out[0].as<float>();
    const int64_t rows = channels ? out[0].elements() / channels : 0;
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < channels; ++c)
        y[r * channels + c] = x[r * channels + c] * scale[c] + bias[c];
    return Status::ok();
  });
}

}  // namespace oqnn::cpu::ref
