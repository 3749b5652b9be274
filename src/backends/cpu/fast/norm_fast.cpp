// Row-wise kernels on the EltwiseIsa tables: Softmax over the innermost axis, and
// LayerNorm / RmsNorm over trailing axes with gamma / beta covering exactly those axes
// (or absent) and no statistics outputs. Threaded over rows, each row computed by one
// thread in a fixed order, so results do not depend on the thread count. Anything else
// runs the reference kernel, which is built first and validates the node.
#include <algorithm>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/fast/parallel.h"
#include "backends/cpu/kernels.h"
#include "backends/cpu/ref/indexing_ref.h"

namespace oqnn::cpu::fast {
namespace {

// fn(row) for rows [0, rows) of `len` elements, about 32k elements a chunk.
template <class F>
void for_rows(const rt::KernelContext& ctx, int64_t rows, int64_t len, F&& fn) {
  auto run = [&](int64_t b, int64_t e) {
    for (int64_t r = b; r < e; ++r) fn(r);
  };
  const int64_t grain = std::max<int64_t>(1, 32768 / std::max<int64_t>(1, len));
  parallel_items(ctx, rows, grain, run);
}

// The input's trailing dims [from, rank) as a shape without leading 1s.
ir::Shape trailing(const ir::Shape& s, size_t from) {
  ir::Shape t(s.begin() + static_cast<std::ptrdiff_t>(from), s.end());
  while (!t.empty() && t.front() == 1) t.erase(t.begin());
  return t;
}

// An optional gamma / beta input that covers exactly the normalized dims.
bool covers(const ir::Graph& g, const ir::Node& n, size_t input, const ir::Shape& norm) {
  if (n.inputs.size() <= input || n.inputs[input] < 0) return true;
  const ir::Shape& s = shape_of(g, n.inputs[input]);
  return trailing(s, 0) == norm;
}

}  // namespace

Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  OQNN_ASSIGN_OR_RETURN(KernelPtr ref, make_ref_kernel(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  const auto rank = static_cast<int64_t>(x.size());
  int64_t axis = n.params.get_int("axis", rank - 1);
  if (axis < 0) axis += rank;
  if (n.op != "Softmax" || rank == 0 || axis != rank - 1) return ref;
  const int64_t len = x.back();
  const auto beta = static_cast<float>(n.params.get_float("beta", 1.0));
  return make_fn_kernel([len, beta, isa = &isa](std::span<const rt::HostTensor> in,
                                                std::span<const rt::HostTensor> out,
                                                const rt::KernelContext& ctx) {
    const float* xp = in[0].as<const float>();
    float* yp = out[0].as<float>();
    if (len == 0) return Status::ok();
    for_rows(ctx, out[0].elements() / len, len,
             [&](int64_t r) { isa->softmax_row(xp + r * len, yp + r * len, len, beta); });
    return Status::ok();
  });
}

Expected<KernelPtr> make_layer_norm(const ir::Graph& g, const ir::Node& n, const EltwiseIsa& isa) {
  OQNN_ASSIGN_OR_RETURN(KernelPtr ref, make_ref_kernel(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  std::vector<int64_t> axes = n.params.get_ints("axes");
  if (axes.empty() || axes.size() > x.size()) return ref;
  std::sort(axes.begin(), axes.end());
  const size_t first = x.size() - axes.size();
  for (size_t i = 0; i < axes.size(); ++i)
    if (axes[i] != static_cast<int64_t>(first + i)) return ref;  // not the trailing axes
  const ir::Shape norm = trailing(x, first);
  if (n.params.get_int("stats_outputs", 0) != 0 || !covers(g, n, 1, norm) || !covers(g, n, 2, norm))
    return ref;
  const bool center = n.op == "LayerNorm";
  const double eps = n.params.get_float("epsilon", center ? 1e-3 : 1e-6);  // as the reference
  const int64_t len = ref::dims_product(x, first, x.size());
  return make_fn_kernel([len, eps, center, isa = &isa](std::span<const rt::HostTensor> in,
                                                       std::span<const rt::HostTensor> out,
                                                       const rt::KernelContext& ctx) {
    const float* xp = in[0].as<const float>();
    const float* gamma = in.size() > 1 && in[1].data ? in[1].as<const float>() : nullptr;
    const float* beta = in.size() > 2 && in[2].data ? in[2].as<const float>() : nullptr;
    float* yp = out[0].as<float>();
    if (len == 0) return Status::ok();
    for_rows(ctx, out[0].elements() / len, len, [&](int64_t r) {
      isa->norm_row(xp + r * len, gamma, beta, yp + r * len, len, eps, center);
    });
    return Status::ok();
  });
}

Expected<KernelPtr> make_softmax(const ir::Graph& g, const ir::Node& n) {
  return make_softmax(g, n, best_eltwise_isa());
}
Expected<KernelPtr> make_layer_norm(const ir::Graph& g, const ir::Node& n) {
  return make_layer_norm(g, n, best_eltwise_isa());
}

}  // namespace oqnn::cpu::fast
