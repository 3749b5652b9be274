// Argmax/Argmin, TopK and CumulativeSum on float32 and int32, walking each line of the
// reduced axis as [outer, dim, inner].
#include <algorithm>
#include <numeric>

#include "backends/cpu/ref/indexing_ref.h"

namespace oqnn::cpu::ref {
namespace {

using In = std::span<const rt::HostTensor>;

struct Lines {
  int64_t outer, dim, inner;
};

Lines lines_of(const ir::Shape& s, size_t axis) {
  return {dims_product(s, 0, axis), s[axis], dims_product(s, axis + 1, s.size())};
}

// Calls make(T{}) for the input's type (float32 or int32); the node is checked first.
template <class F>
Expected<KernelPtr> numeric(const ir::Graph& g, const ir::Node& n, F&& make) {
  ir::DataType dt = g.tensor(n.inputs[0]).dtype;
  if (dt == ir::DataType::kFloat32) return make(float{});
  if (dt == ir::DataType::kInt32) return make(int32_t{});
  return node_unsupported(n, "runs float32 and int32 only");
}

Expected<KernelPtr> make_arg(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  Lines l = lines_of(shape_of(g, n.inputs[0]), static_cast<size_t>(n.params.get_int("axis", 0)));
  bool is_max = n.op == "Argmax", last = n.params.get_int("select_last_index", 0) != 0;
  return numeric(g, n, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
      const T* x = in[0].as<const T>();
      int32_t* y = out[0].as<int32_t>();
      for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t i = 0; i < l.inner; ++i) {
          const T* line = x + o * l.dim * l.inner + i;
          int64_t best = 0;
          for (int64_t k = 1; k < l.dim; ++k) {
            T v = line[k * l.inner], b = line[best * l.inner];
            bool better = is_max ? (v > b || (last && v == b)) : (v < b || (last && v == b));
            if (better) best = k;
          }
          y[o * l.inner + i] = static_cast<int32_t>(best);
        }
      return Status::ok();
    });
  });
}

Expected<KernelPtr> make_top_k(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& s = shape_of(g, n.inputs[0]);
  Lines l = lines_of(s, s.size() - 1);
  int64_t k = n.params.get_int("k");
  bool largest = n.params.get_int("largest", 1) != 0;
  return numeric(g, n, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
      std::vector<int32_t> order(static_cast<size_t>(l.dim));
      for (int64_t o = 0; o < l.outer; ++o) {
        const T* x = in[0].as<const T>() + o * l.dim;
        std::iota(order.begin(), order.end(), 0);
        // Stable: equal values keep the lower index first, as ONNX asks.
        std::stable_sort(order.begin(), order.end(),
                         [&](int32_t a, int32_t b) { return largest ? x[a] > x[b] : x[a] < x[b]; });
        for (int64_t j = 0; j < k; ++j) {
          out[0].as<T>()[o * k + j] = x[order[static_cast<size_t>(j)]];
          out[1].as<int32_t>()[o * k + j] = order[static_cast<size_t>(j)];
        }
      }
      return Status::ok();
    });
  });
}

Expected<KernelPtr> make_cumsum(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  Lines l = lines_of(shape_of(g, n.inputs[0]), static_cast<size_t>(n.params.get_int("axis", 0)));
  bool exclusive = n.params.get_int("exclusive", 0) != 0;
  bool reverse = n.params.get_int("reverse", 0) != 0;
  return numeric(g, n, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
      for (int64_t o = 0; o < l.outer; ++o)
        for (int64_t i = 0; i < l.inner; ++i) {
          const T* x = in[0].as<const T>() + o * l.dim * l.inner + i;
          T* y = out[0].as<T>() + o * l.dim * l.inner + i;
          T acc{};
          for (int64_t j = 0; j < l.dim; ++j) {
            int64_t at = (reverse ? l.dim - 1 - j : j) * l.inner;
            T v = x[at];
            if (!exclusive) acc = wrap_add(acc, v);
            y[at] = acc;
            if (exclusive) acc = wrap_add(acc, v);
          }
        }
      return Status::ok();
    });
  });
}

}  // namespace

void register_indexing_select_kernels(std::vector<KernelEntry>& k) {
  const char* num = "float32,int32";
  k.push_back({"Argmax", make_arg, nullptr, num, "select_last_index"});
  k.push_back({"Argmin", make_arg, nullptr, num, "select_last_index"});
  k.push_back({"TopK", make_top_k, nullptr, num, "last dim"});
  k.push_back({"CumulativeSum", make_cumsum, nullptr, num, "exclusive, reverse"});
}

}  // namespace oqnn::cpu::ref
