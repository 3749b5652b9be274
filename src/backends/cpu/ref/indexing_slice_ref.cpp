// StridedSlice, Tile, Split, DepthToSpace and SpaceToDepth: element-size generic copies
// whose element order comes from the same resolution the shape rules use.
#include <cstring>

#include "backends/cpu/ref/indexing_ref.h"
#include "ir/ops/indexing.h"

namespace oqnn::cpu::ref {

void strided_copy(const std::byte* src, std::byte* dst, const ir::Shape& out, int64_t base,
                  const std::vector<int64_t>& step, size_t es) {
  const int64_t count = ir::num_elements(out);
  std::vector<int64_t> pos(out.size(), 0);
  int64_t cur = base;
  for (int64_t i = 0; i < count; ++i) {
    std::memcpy(dst + static_cast<size_t>(i) * es, src + static_cast<size_t>(cur) * es, es);
    for (size_t d = out.size(); d-- > 0;) {  // odometer, keeping the source offset in step
      cur += step[d];
      if (++pos[d] < out[d]) break;
      cur -= step[d] * pos[d];
      pos[d] = 0;
    }
  }
}

namespace {

using In = std::span<const rt::HostTensor>;

Expected<KernelPtr> make_strided_slice(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  OQNN_ASSIGN_OR_RETURN(auto dims, ir::resolve_strided_slice(n, x));
  auto st = elem_strides(x);
  ir::Shape counts;
  std::vector<int64_t> step;
  int64_t base = 0;
  for (size_t d = 0; d < dims.size(); ++d) {
    counts.push_back(dims[d].count);
    step.push_back(dims[d].step * st[d]);
    base += dims[d].begin * st[d];
  }
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
    strided_copy(in[0].data, out[0].data, counts, base, step, es);
    return Status::ok();
  });
}

Expected<KernelPtr> make_tile(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape x = shape_of(g, n.inputs[0]), y = shape_of(g, n.outputs[0]);
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([=, st = elem_strides(x)](In in, In out, const rt::KernelContext&) {
    const int64_t count = ir::num_elements(y);
    for (int64_t i = 0; i < count; ++i) {
      int64_t rest = i, src = 0;
      for (size_t d = y.size(); d-- > 0;) {
        src += (rest % y[d]) % x[d] * st[d];
        rest /= y[d];
      }
      std::memcpy(out[0].data + static_cast<size_t>(i) * es,
                  in[0].data + static_cast<size_t>(src) * es, es);
    }
    return Status::ok();
  });
}

Expected<KernelPtr> make_split(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  auto axis = static_cast<size_t>(n.params.get_int("axis", 0));
  int64_t outer = dims_product(x, 0, axis);
  size_t inner =
      static_cast<size_t>(dims_product(x, axis + 1, x.size())) * elem_size(g, n.inputs[0]);
  std::vector<size_t> rows;  // bytes of each output per outer index
  for (ir::TensorId t : n.outputs)
    rows.push_back(static_cast<size_t>(shape_of(g, t)[axis]) * inner);
  return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
    const std::byte* src = in[0].data;
    for (int64_t o = 0; o < outer; ++o)
      for (size_t j = 0; j < rows.size(); ++j) {
        if (rows[j] == 0) continue;
        std::memcpy(out[j].data + static_cast<size_t>(o) * rows[j], src, rows[j]);
        src += rows[j];
      }
    return Status::ok();
  });
}

// DepthToSpace (to_space) and SpaceToDepth on [n, h, w, c]: walks the space tensor
// [n, h*bh, w*bw, c] and finds each element's channel in the depth tensor
// [n, h, w, c*bh*bw]: block offset first (DCR) or channel first (CRD), as ONNX.
Expected<KernelPtr> make_depth_space(const ir::Graph& g, const ir::Node& n, bool to_space) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& space = shape_of(g, to_space ? n.outputs[0] : n.inputs[0]);
  auto bs = n.params.get_ints("block_size");
  bool dcr = n.params.get_string("mode", "DCR") == "DCR";
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
    const int64_t hs = space[1], ws = space[2], c = space[3], bh = bs[0], bw = bs[1];
    const int64_t h = hs / bh, w = ws / bw, cd = c * bh * bw;
    int64_t s = 0;  // element index in the space tensor
    for (int64_t b = 0; b < space[0]; ++b)
      for (int64_t y = 0; y < hs; ++y)
        for (int64_t x = 0; x < ws; ++x)
          for (int64_t ch = 0; ch < c; ++ch, ++s) {
            int64_t blk = (y % bh) * bw + x % bw;
            int64_t dc = dcr ? blk * c + ch : ch * bh * bw + blk;
            int64_t d = ((b * h + y / bh) * w + x / bw) * cd + dc;
            auto si = static_cast<size_t>(s) * es, di = static_cast<size_t>(d) * es;
            if (to_space)
              std::memcpy(out[0].data + si, in[0].data + di, es);
            else
              std::memcpy(out[0].data + di, in[0].data + si, es);
          }
    return Status::ok();
  });
}

Expected<KernelPtr> make_depth_to_space(const ir::Graph& g, const ir::Node& n) {
  return make_depth_space(g, n, true);
}
Expected<KernelPtr> make_space_to_depth(const ir::Graph& g, const ir::Node& n) {
  return make_depth_space(g, n, false);
}

// Trilu: each [rows, cols] matrix of the last two dims keeps element (i, j) when j - i >= k
// (upper) or j - i <= k (lower); the rest become zero bytes, which is 0 in every dtype.
Expected<KernelPtr> make_trilu(const ir::Graph& g, const ir::Node& n) {
  OQNN_RETURN_IF_ERROR(check_node_any_dtype(g, n));
  const ir::Shape& x = shape_of(g, n.inputs[0]);
  int64_t rows = x[x.size() - 2], cols = x.back(), k = n.params.get_int("k", 0);
  bool upper = n.params.get_int("upper", 1) != 0;
  size_t es = elem_size(g, n.inputs[0]);
  return make_fn_kernel([=](In in, In out, const rt::KernelContext&) {
    const int64_t count = out[0].elements();
    for (int64_t e = 0; e < count; ++e) {
      int64_t i = e / cols % rows, j = e % cols;
      bool keep = upper ? j - i >= k : j - i <= k;
      auto at = static_cast<size_t>(e) * es;
      if (keep)
        std::memcpy(out[0].data + at, in[0].data + at, es);
      else
        std::memset(out[0].data + at, 0, es);
    }
    return Status::ok();
  });
}

}  // namespace

void register_indexing_slice_kernels(std::vector<KernelEntry>& k) {
  k.push_back({"StridedSlice", make_strided_slice, nullptr, kAnyDtype, "negative strides"});
  k.push_back({"Tile", make_tile, nullptr, kAnyDtype, ""});
  k.push_back({"Trilu", make_trilu, nullptr, kAnyDtype, ""});
  k.push_back({"Split", make_split, nullptr, kAnyDtype, ""});
  k.push_back({"DepthToSpace", make_depth_to_space, nullptr, kAnyDtype, "mode DCR|CRD"});
  k.push_back({"SpaceToDepth", make_space_to_depth, nullptr, kAnyDtype, "mode DCR|CRD"});
}

}  // namespace oqnn::cpu::ref
