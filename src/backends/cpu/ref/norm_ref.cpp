// Softmax (axis, beta; the maximum is subtracted first so exp never overflows),
// ReduceMean (any set of axes) and Batchnorm (channel-last scale and bias).
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

void softmax_f32_ref(const AxisSplit& s, float beta, const float* x, float* y) {
  for (int64_t o = 0; o < s.outer; ++o)
    for (int64_t i = 0; i < s.inner; ++i) {
      const float* xp = x + o * s.axis * s.inner + i;
      float* yp = y + o * s.axis * s.inner + i;
      float m = -std::numeric_limits<float>::infinity();
      for (int64_t a = 0; a < s.axis; ++a) m = std::max(m, beta * xp[a * s.inner]);
      double sum = 0.0;
      for (int64_t a = 0; a < s.axis; ++a)
        sum += std::exp(static_cast<double>(beta * xp[a * s.inner] - m));
      for (int64_t a = 0; a < s.axis; ++a)
        yp[a * s.inner] =
            static_cast<float>(std::exp(static_cast<double>(beta * xp[a * s.inner] - m)) / sum);
    }
}

struct ReducePlan {
  ir::Shape in;
  std::vector<int64_t> out_strides;  // per input dimension; 0 along reduced axes
  int64_t out_count, reduced_count;
};

void reduce_mean_f32_ref(const ReducePlan& p, const float* x, float* y) {
  std::vector<double> sum(static_cast<size_t>(p.out_count), 0.0);
  const int64_t count = ir::num_elements(p.in);
  for (int64_t flat = 0; flat < count; ++flat) {
    int64_t rem = flat, o = 0;
    for (size_t d = p.in.size(); d-- > 0;) {
      o += (rem % p.in[d]) * p.out_strides[d];
      rem /= p.in[d];
    }
    sum[static_cast<size_t>(o)] += x[flat];
  }
  for (int64_t o = 0; o < p.out_count; ++o)
    y[o] = static_cast<float>(sum[static_cast<size_t>(o)] / static_cast<double>(p.reduced_count));
}

}  // namespace

Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  int64_t axis = n.params.get_int("axis", static_cast<int64_t>(x.size()) - 1);
  AxisSplit s = split_at(x, static_cast<size_t>(axis));
  float beta = static_cast<float>(n.params.get_float("beta", 1.0));
  return make_fn_kernel([s, beta](std::span<const rt::HostTensor> in,
                                  std::span<const rt::HostTensor> out, const rt::KernelContext&) {
    softmax_f32_ref(s, beta, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

Expected<KernelPtr> make_reduce_mean(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  ReducePlan p{shape_of(g, n.inputs[0]), {}, ir::num_elements(shape_of(g, n.outputs[0])), 1};
  auto axes = n.params.get_ints("axes");
  p.out_strides.assign(p.in.size(), 0);
  int64_t stride = 1;
  for (size_t d = p.in.size(); d-- > 0;) {
    bool reduced = std::find(axes.begin(), axes.end(), static_cast<int64_t>(d)) != axes.end();
    if (reduced) {
      p.reduced_count *= p.in[d];
    } else {
      p.out_strides[d] = stride;
      stride *= p.in[d];
    }
  }
  if (p.reduced_count == 0) return node_unsupported(n, "mean over an empty set of values");
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    reduce_mean_f32_ref(p, in[0].as<const float>(), out[0].as<float>());
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
