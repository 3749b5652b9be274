// LayerNorm (any set of axes, gamma/beta broadcast to the input, optional mean and
// inverse-std outputs), RmsNorm (LayerNorm without the centering: mean 0), the channel-last
// InstanceNorm and GroupNorm, and Lrn (across channels). Statistics in double, variance as the mean
// of squared deviations.
#include <algorithm>
#include <cmath>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/ref/broadcast.h"
#include "backends/cpu/ref/ref_kernels.h"

namespace oqnn::cpu {
namespace {

using ref::broadcast_offset;
using ref::broadcast_strides;

struct LayerNormPlan {
  ir::Shape in;
  std::vector<int64_t> stat_strides;  // per input dim; 0 along normalized axes
  std::vector<int64_t> gamma_strides, beta_strides;
  int64_t stat_count = 0, group = 1;  // group: values per statistic
  double eps = 1e-5;
  bool stats = false;
  bool center = true;  // false: RmsNorm
  // The normalized axes are the trailing ones and gamma/beta (when given) index the same
  // trailing values: statistic s covers x[s * group, (s + 1) * group), gamma is read at
  // i % group. The same sums in the same order as the general loops, without the per-element
  // index arithmetic.
  bool rows = false;
};

// Whether `strides` (broadcast_strides of an operand against `in`) read the operand as
// in's trailing `group` values, repeated over the leading dims.
bool trailing_rows(const std::vector<int64_t>& strides, const ir::Shape& in, int64_t group) {
  int64_t stride = 1, covered = 1;
  for (size_t d = in.size(); d-- > 0;) {
    if (covered == group) {
      if (strides[d] != 0 && in[d] != 1) return false;
      continue;
    }
    if (strides[d] != stride && in[d] != 1) return false;
    stride *= in[d];
    covered *= in[d];
  }
  return covered == group;
}

// Whether the statistics' strides are 0 over in's trailing `group` values and contiguous
// over the leading dims (statistic s covers x[s * group, (s + 1) * group)).
bool trailing_stats(const std::vector<int64_t>& strides, const ir::Shape& in, int64_t group) {
  int64_t stride = 1, covered = 1;
  for (size_t d = in.size(); d-- > 0;) {
    if (covered < group) {
      if (strides[d] != 0 && in[d] != 1) return false;
      covered *= in[d];
      continue;
    }
    if (strides[d] != stride && in[d] != 1) return false;
    stride *= in[d];
  }
  return covered == group;
}

int64_t stat_index(const LayerNormPlan& p, int64_t flat) {
  return broadcast_offset(flat, p.in, p.stat_strides);
}

void layer_norm_f32_ref(const LayerNormPlan& p, std::span<const rt::HostTensor> in,
                        std::span<const rt::HostTensor> out) {
  const float* x = in[0].as<const float>();
  const float* gamma = in.size() > 1 && in[1].data ? in[1].as<const float>() : nullptr;
  const float* beta = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
  float* y = out[0].as<float>();
  const int64_t count = ir::num_elements(p.in);
  const auto stats = static_cast<size_t>(p.stat_count);
  std::vector<double> mean(stats, 0.0), var(stats, 0.0);
  if (p.rows) {
    const int64_t g = p.group;
    for (size_t s = 0; s < stats; ++s) {
      const float* xs = x + static_cast<int64_t>(s) * g;
      float* ys = y + static_cast<int64_t>(s) * g;
      double m = 0.0, v = 0.0;
      if (p.center) {
        for (int64_t j = 0; j < g; ++j) m += xs[j];
        m /= static_cast<double>(g);
      }
      for (int64_t j = 0; j < g; ++j) v += (xs[j] - m) * (xs[j] - m);
      const double r = 1.0 / std::sqrt(v / static_cast<double>(g) + p.eps);
      for (int64_t j = 0; j < g; ++j) {
        double o = (xs[j] - m) * r;
        if (gamma) o *= gamma[j];
        if (beta) o += beta[j];
        ys[j] = static_cast<float>(o);
      }
      mean[s] = m;
      var[s] = r;  // the inverse std, for the stats outputs
    }
    if (p.stats)
      for (size_t s = 0; s < stats; ++s) {
        out[1].as<float>()[s] = static_cast<float>(mean[s]);
        out[2].as<float>()[s] = static_cast<float>(var[s]);
      }
    return;
  }
  if (p.center) {
    for (int64_t i = 0; i < count; ++i) mean[static_cast<size_t>(stat_index(p, i))] += x[i];
    for (double& m : mean) m /= static_cast<double>(p.group);
  }
  for (int64_t i = 0; i < count; ++i) {
    auto s = static_cast<size_t>(stat_index(p, i));
    var[s] += (x[i] - mean[s]) * (x[i] - mean[s]);
  }
  std::vector<double> inv(stats);
  for (size_t s = 0; s < stats; ++s)
    inv[s] = 1.0 / std::sqrt(var[s] / static_cast<double>(p.group) + p.eps);
  for (int64_t i = 0; i < count; ++i) {
    auto s = static_cast<size_t>(stat_index(p, i));
    double v = (x[i] - mean[s]) * inv[s];
    if (gamma) v *= gamma[broadcast_offset(i, p.in, p.gamma_strides)];
    if (beta) v += beta[broadcast_offset(i, p.in, p.beta_strides)];
    y[i] = static_cast<float>(v);
  }
  if (!p.stats) return;
  for (size_t s = 0; s < stats; ++s) {
    out[1].as<float>()[s] = static_cast<float>(mean[s]);
    out[2].as<float>()[s] = static_cast<float>(inv[s]);
  }
}

Expected<KernelPtr> make_layer_norm(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  LayerNormPlan p;
  p.in = shape_of(g, n.inputs[0]);
  p.center = n.op == "LayerNorm";
  p.eps = n.params.get_float("epsilon", p.center ? 1e-3 : 1e-6);  // QNN's defaults
  p.stats = n.params.get_int("stats_outputs", 0) != 0;
  ir::Shape stat_shape = p.in;
  for (int64_t a : n.params.get_ints("axes")) stat_shape[static_cast<size_t>(a)] = 1;
  p.stat_strides = broadcast_strides(stat_shape, p.in);
  p.stat_count = ir::num_elements(stat_shape);
  p.group = p.stat_count ? ir::num_elements(p.in) / p.stat_count : 1;
  if (n.inputs.size() > 1 && n.inputs[1] >= 0)
    p.gamma_strides = broadcast_strides(shape_of(g, n.inputs[1]), p.in);
  if (n.inputs.size() > 2 && n.inputs[2] >= 0)
    p.beta_strides = broadcast_strides(shape_of(g, n.inputs[2]), p.in);
  p.rows = trailing_stats(p.stat_strides, p.in, p.group) &&
           (p.gamma_strides.empty() || trailing_rows(p.gamma_strides, p.in, p.group)) &&
           (p.beta_strides.empty() || trailing_rows(p.beta_strides, p.in, p.group));
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    layer_norm_f32_ref(p, in, out);
    return Status::ok();
  });
}

struct ChannelNormPlan {
  int64_t batch, spatial, channels, groups;  // input viewed as [batch, spatial, channels]
  double eps;
};

// InstanceNorm is GroupNorm with one channel per group.
void group_norm_nhwc_f32_ref(const ChannelNormPlan& p, const float* x, const float* gamma,
                             const float* beta, float* y) {
  const int64_t cg = p.channels / p.groups;
  const auto count = static_cast<double>(p.spatial * cg);
  for (int64_t b = 0; b < p.batch; ++b)
    for (int64_t grp = 0; grp < p.groups; ++grp) {
      const int64_t base = b * p.spatial * p.channels + grp * cg;
      auto at = [&](int64_t s, int64_t c) { return base + s * p.channels + c; };
      double sum = 0.0, sq = 0.0;
      for (int64_t s = 0; s < p.spatial; ++s)
        for (int64_t c = 0; c < cg; ++c) sum += x[at(s, c)];
      const double mean = sum / count;
      for (int64_t s = 0; s < p.spatial; ++s)
        for (int64_t c = 0; c < cg; ++c) sq += (x[at(s, c)] - mean) * (x[at(s, c)] - mean);
      const double inv = 1.0 / std::sqrt(sq / count + p.eps);
      for (int64_t s = 0; s < p.spatial; ++s)
        for (int64_t c = 0; c < cg; ++c) {
          const int64_t ch = grp * cg + c;
          y[at(s, c)] = static_cast<float>((x[at(s, c)] - mean) * inv * gamma[ch] + beta[ch]);
        }
    }
}

Expected<KernelPtr> make_channel_norm(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  ChannelNormPlan p{x[0], 1, x.back(), 1, n.params.get_float("epsilon", 1e-5)};
  for (size_t d = 1; d + 1 < x.size(); ++d) p.spatial *= x[d];
  p.groups = n.op == "InstanceNorm" ? p.channels : n.params.get_int("group", 1);
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    group_norm_nhwc_f32_ref(p, in[0].as<const float>(), in[1].as<const float>(),
                            in[2].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

struct LrnPlan {
  int64_t rows, channels, radius;
  double alpha, beta, bias;
};

void lrn_nhwc_f32_ref(const LrnPlan& p, const float* x, float* y) {
  for (int64_t r = 0; r < p.rows; ++r) {
    const float* xr = x + r * p.channels;
    for (int64_t c = 0; c < p.channels; ++c) {
      double sq = 0.0;
      const int64_t lo = std::max<int64_t>(0, c - p.radius);
      const int64_t hi = std::min(p.channels - 1, c + p.radius);
      for (int64_t k = lo; k <= hi; ++k) sq += static_cast<double>(xr[k]) * xr[k];
      y[r * p.channels + c] = static_cast<float>(xr[c] / std::pow(p.bias + p.alpha * sq, p.beta));
    }
  }
}

Expected<KernelPtr> make_lrn(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  LrnPlan p{0,
            x.back(),
            n.params.get_int("radius"),
            n.params.get_float("alpha", 1e-4),
            n.params.get_float("beta", 0.75),
            n.params.get_float("bias", 1.0)};
  p.rows = p.channels ? ir::num_elements(x) / p.channels : 0;
  return make_fn_kernel([p](std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
                            const rt::KernelContext&) {
    lrn_nhwc_f32_ref(p, in[0].as<const float>(), out[0].as<float>());
    return Status::ok();
  });
}

}  // namespace

void register_normalization_kernels(std::vector<KernelEntry>& k) {
  const char* f32 = "float32";
  k.push_back(
      {"LayerNorm", make_layer_norm, fast::make_layer_norm, f32, "any axes; stats_outputs"});
  k.push_back({"RmsNorm", make_layer_norm, fast::make_layer_norm, f32, "any axes"});
  k.push_back({"InstanceNorm", make_channel_norm, nullptr, f32, "channel-last"});
  k.push_back({"GroupNorm", make_channel_norm, nullptr, f32, "channel-last"});
  k.push_back({"Lrn", make_lrn, nullptr, f32, "across channels, channel-last"});
  k.push_back({"L2Norm", ref::make_l2norm, nullptr, f32, "one axis"});
}

}  // namespace oqnn::cpu
