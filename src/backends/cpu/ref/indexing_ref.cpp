// Gather, GatherElements, GatherNd (element-size generic), ScatterNd and ScatterElements
// (typed for their reductions) and OneHot. Indices are checked at run time: one out of
// range is an error naming the node, never a read or write outside a buffer.
#include <algorithm>
#include <cstring>

#include "backends/cpu/ref/indexing_ref.h"

namespace oqnn::cpu::ref {
namespace {

using In = std::span<const rt::HostTensor>;

Error index_error(const std::string& prefix, int64_t i, int64_t dim) {
  return bad_input(prefix + "index " + std::to_string(i) + " is out of range for a dim of " +
                   std::to_string(dim));
}

void copy_input(const rt::HostTensor& x, const rt::HostTensor& y) {
  if (y.size && x.data != y.data) std::memmove(y.data, x.data, y.size);
}

Expected<KernelPtr> make_gather(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  int64_t outer = dims_product(x, 0, axis), dim = x[axis];
  size_t row = static_cast<size_t>(dims_product(x, axis + 1, x.size())) * elem_size(g, n.inputs[0]);
  return make_fn_kernel([=, p = node_prefix(n)](In in, In out, const rt::KernelContext&) {
    const int32_t* idx = in[1].as<const int32_t>();
    const int64_t count = in[1].elements();
    std::vector<int64_t> rows(static_cast<size_t>(count));
    for (int64_t j = 0; j < count; ++j) {
      auto i = wrap_index(idx[j], dim);
      if (!i) return Status(index_error(p, idx[j], dim));
      rows[static_cast<size_t>(j)] = *i;
    }
    std::byte* dst = out[0].data;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i : rows) {
        std::memcpy(dst, in[0].data + static_cast<size_t>(o * dim + i) * row, row);
        dst += row;
      }
    return Status::ok();
  });
}

// The data offset of each element of an indices tensor (GatherElements, ScatterElements):
// its own position, with the index in place of its coordinate along `axis`.
struct ElementIndexer {
  ir::Shape idx_shape;
  std::vector<int64_t> data_strides;
  size_t axis;
  int64_t dim;

  Expected<std::vector<int64_t>> offsets(const int32_t* idx, const std::string& p) const {
    const int64_t count = ir::num_elements(idx_shape);
    std::vector<int64_t> off(static_cast<size_t>(count));
    std::vector<int64_t> pos(idx_shape.size(), 0);
    for (int64_t j = 0; j < count; ++j) {
      auto i = wrap_index(idx[j], dim);
      if (!i) return index_error(p, idx[j], dim);
      int64_t o = 0;
      for (size_t d = 0; d < pos.size(); ++d) o += (d == axis ? *i : pos[d]) * data_strides[d];
      off[static_cast<size_t>(j)] = o;
      for (size_t d = pos.size(); d-- > 0;)  // odometer step to the next position
        if (++pos[d] < idx_shape[d])
          break;
        else
          pos[d] = 0;
    }
    return off;
  }
};

ElementIndexer element_indexer(const ir::Graph& g, const ir::Node& n) {
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  return {shape_of(g, n.inputs[1]), elem_strides(x), axis, x[axis]};
}

Expected<KernelPtr> make_gather_elements(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([=, ix = element_indexer(g, n), p = node_prefix(n)](
                            In in, In out, const rt::KernelContext&) -> Status {
    OQNN_ASSIGN_OR_RETURN(auto off, ix.offsets(in[1].as<const int32_t>(), p));
    for (size_t j = 0; j < off.size(); ++j)
      std::memcpy(out[0].data + j * es, in[0].data + static_cast<size_t>(off[j]) * es, es);
    return Status::ok();
  });
}

// GatherNd/ScatterNd: each tuple of the last indices dim addresses a slice of the data.
struct TupleIndexer {
  int64_t batches, tuples, last, slice, batch_stride;
  std::vector<int64_t> dims, strides;  // of the addressed data dims

  TupleIndexer(const ir::Shape& x, const ir::Shape& idx, size_t b) {
    last = idx.back();
    batches = dims_product(idx, 0, b);
    tuples = dims_product(idx, b, idx.size() - 1);
    slice = dims_product(x, b + static_cast<size_t>(last), x.size());
    batch_stride = dims_product(x, b, x.size());
    auto st = elem_strides(x);
    for (size_t k = 0; k < static_cast<size_t>(last); ++k) {
      dims.push_back(x[b + k]);
      strides.push_back(st[b + k]);
    }
  }
  // Element offset of the slice of every tuple, batch by batch.
  Expected<std::vector<int64_t>> offsets(const int32_t* idx, const std::string& p) const {
    std::vector<int64_t> off;
    off.reserve(static_cast<size_t>(batches * tuples));
    for (int64_t b = 0; b < batches; ++b)
      for (int64_t t = 0; t < tuples; ++t, idx += last) {
        int64_t o = b * batch_stride;
        for (size_t k = 0; k < dims.size(); ++k) {
          auto i = wrap_index(idx[k], dims[k]);
          if (!i) return index_error(p, idx[k], dims[k]);
          o += *i * strides[k];
        }
        off.push_back(o);
      }
    return off;
  }
};

Expected<KernelPtr> make_gather_nd(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  TupleIndexer ix(shape_of(g, n.inputs[0]), shape_of(g, n.inputs[1]),
                  static_cast<size_t>(n.params.get_int("batch_dims", 0)));
  size_t es = elem_size(g, n.inputs[0]), row = static_cast<size_t>(ix.slice) * es;
  return make_fn_kernel([=, p = node_prefix(n)](In in, In out, const rt::KernelContext&) -> Status {
    OQNN_ASSIGN_OR_RETURN(auto off, ix.offsets(in[1].as<const int32_t>(), p));
    for (size_t j = 0; j < off.size(); ++j)
      std::memcpy(out[0].data + j * row, in[0].data + static_cast<size_t>(off[j]) * es, row);
    return Status::ok();
  });
}

enum class Reduction { kNone, kAdd, kMul, kMax, kMin };

Reduction reduction_of(const ir::Node& n) {
  std::string r = n.params.get_string("reduction", "none");
  return r == "add"   ? Reduction::kAdd
         : r == "mul" ? Reduction::kMul
         : r == "max" ? Reduction::kMax
         : r == "min" ? Reduction::kMin
                      : Reduction::kNone;
}

template <class T>
void apply(Reduction r, T& dst, T v) {
  switch (r) {
    case Reduction::kNone:
      dst = v;
      break;
    case Reduction::kAdd:
      dst = wrap_add(dst, v);
      break;
    case Reduction::kMul:
      dst = wrap_mul(dst, v);
      break;
    case Reduction::kMax:
      dst = std::max(dst, v);
      break;
    case Reduction::kMin:
      dst = std::min(dst, v);
      break;
  }
}

// out = data, then updates element j (of `row` elements per offset) applied at off[j].
template <class T>
void scatter(In in, In out, const std::vector<int64_t>& off, int64_t row, Reduction r) {
  copy_input(in[0], out[0]);
  T* y = out[0].as<T>();
  const T* u = in[2].as<const T>();
  for (size_t j = 0; j < off.size(); ++j)
    for (int64_t k = 0; k < row; ++k) apply(r, y[off[j] + k], u[static_cast<int64_t>(j) * row + k]);
}

Expected<KernelPtr> make_scatter_nd(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  TupleIndexer ix(shape_of(g, n.inputs[0]), shape_of(g, n.inputs[1]), 0);
  Reduction r = reduction_of(n);
  return dispatch_dtype(n, g.tensor(n.inputs[0]).dtype, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel(
        [=, p = node_prefix(n)](In in, In out, const rt::KernelContext&) -> Status {
          OQNN_ASSIGN_OR_RETURN(auto off, ix.offsets(in[1].as<const int32_t>(), p));
          scatter<T>(in, out, off, ix.slice, r);
          return Status::ok();
        });
  });
}

Expected<KernelPtr> make_scatter_elements(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  Reduction r = reduction_of(n);
  return dispatch_dtype(n, g.tensor(n.inputs[0]).dtype, [&](auto t) -> Expected<KernelPtr> {
    using T = decltype(t);
    return make_fn_kernel([=, ix = element_indexer(g, n), p = node_prefix(n)](
                              In in, In out, const rt::KernelContext&) -> Status {
      OQNN_ASSIGN_OR_RETURN(auto off, ix.offsets(in[1].as<const int32_t>(), p));
      scatter<T>(in, out, off, 1, r);
      return Status::ok();
    });
  });
}

Expected<KernelPtr> make_one_hot(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& idx = shape_of(g, n.inputs[0]);
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  int64_t outer = dims_product(idx, 0, axis), inner = dims_product(idx, axis, idx.size());
  int64_t depth = n.params.get_int("depth");
  auto on = static_cast<float>(n.params.get_float("on_value", 1.0));
  auto off = static_cast<float>(n.params.get_float("off_value", 0.0));
  return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
    const int32_t* x = in[0].as<const int32_t>();
    float* y = out[0].as<float>();
    std::fill(y, y + out[0].elements(), off);
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t i = 0; i < inner; ++i)  // an index out of range leaves all off_value
        if (auto d = wrap_index(x[o * inner + i], depth)) y[(o * depth + *d) * inner + i] = on;
    return Status::ok();
  });
}

}  // namespace
}  // namespace oqnn::cpu::ref

namespace oqnn::cpu {

void register_indexing_kernels(std::vector<KernelEntry>& k) {
  using namespace ref;  // NOLINT: the makers above
  k.push_back({"Gather", make_gather, nullptr, kAnyDtype, "int32 indices"});
  k.push_back({"GatherElements", make_gather_elements, nullptr, kAnyDtype, "int32 indices"});
  k.push_back({"GatherNd", make_gather_nd, nullptr, kAnyDtype, "int32 indices"});
  k.push_back({"ScatterNd", make_scatter_nd, nullptr, kAnyDtype, "reduction none|add|mul|max|min"});
  k.push_back({"ScatterElements", make_scatter_elements, nullptr, kAnyDtype,
               "reduction none|add|mul|max|min"});
  k.push_back({"OneHot", make_one_hot, nullptr, "float32", "int32 indices"});
  register_indexing_slice_kernels(k);
  register_indexing_select_kernels(k);
}

}  // namespace oqnn::cpu
