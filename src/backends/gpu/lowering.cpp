#include "backends/gpu/lowering.h"

#include <algorithm>

#include "backends/gpu/half.h"

namespace oqnn::gpu {
namespace {

std::vector<LoweringEntry> build_table() {
  std::vector<LoweringEntry> t;
  add_conv_lowerings(t);
  add_linear_lowerings(t);
  add_elementwise_lowerings(t);
  add_layout_lowerings(t);
  add_pool_norm_lowerings(t);
  add_reduce_lowerings(t);
  add_norm_extra_lowerings(t);
  add_indexing_lowerings(t);
  add_resize_lowerings(t);
  std::sort(t.begin(), t.end(), [](const LoweringEntry& a, const LoweringEntry& b) {
    return std::string_view(a.op) < b.op;
  });
  return t;
}

}  // namespace

LowerFn find_lowering(std::string_view op) {
  static const std::vector<LoweringEntry> kTable = build_table();  // read-only after
  auto it = std::lower_bound(kTable.begin(), kTable.end(), op,
                             [](const LoweringEntry& e, std::string_view o) { return e.op < o; });
  return it != kTable.end() && it->op == op ? it->fn : nullptr;
}

KernelArg arg_buffer(int buffer) {
  KernelArg a;
  a.kind = KernelArg::Kind::kBuffer;
  a.buffer = buffer;
  return a;
}

KernelArg arg_int(int64_t v) {
  KernelArg a;
  a.kind = KernelArg::Kind::kInt;
  a.ints[0] = static_cast<int32_t>(v);
  return a;
}

KernelArg arg_float(double v) {
  KernelArg a;
  a.kind = KernelArg::Kind::kFloat;
  a.f = static_cast<float>(v);
  return a;
}

namespace {
KernelArg ints_arg(const std::vector<int64_t>& v, uint8_t count) {
  KernelArg a;
  a.kind = KernelArg::Kind::kInts;
  a.count = count;
  for (size_t i = 0; i < v.size() && i < count; ++i) a.ints[i] = static_cast<int32_t>(v[i]);
  return a;
}
}  // namespace

KernelArg arg_ints(std::initializer_list<int64_t> v) {
  return ints_arg(std::vector<int64_t>(v), v.size() <= 2 ? 2 : 4);
}

KernelArg arg_int8(const std::vector<int64_t>& v) {
  return ints_arg(v, 8);
}

AxisSplit split_at_axis(const ir::Shape& shape, size_t axis) {
  AxisSplit s;
  for (size_t d = 0; d < axis; ++d) s.outer *= shape[d];
  for (size_t d = axis + 1; d < shape.size(); ++d) s.inner *= shape[d];
  return s;
}

std::vector<int64_t> row_major_strides(const ir::Shape& shape) {
  std::vector<int64_t> s(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;) s[i - 1] = s[i] * shape[i];
  return s;
}

Walk collapse(Walk w) {
  Walk out;
  out.strides.resize(w.strides.size());
  for (size_t d = 0; d < w.dims.size(); ++d) {
    if (w.dims[d] == 1) continue;
    bool merge = !out.dims.empty();
    for (size_t o = 0; merge && o < w.strides.size(); ++o)
      merge = out.strides[o].back() == w.strides[o][d] * w.dims[d];
    if (merge) {
      out.dims.back() *= w.dims[d];
      for (size_t o = 0; o < w.strides.size(); ++o) out.strides[o].back() = w.strides[o][d];
    } else {
      out.dims.push_back(w.dims[d]);
      for (size_t o = 0; o < w.strides.size(); ++o) out.strides[o].push_back(w.strides[o][d]);
    }
  }
  if (out.dims.empty()) {
    out.dims.push_back(1);
    for (auto& s : out.strides) s.push_back(0);
  }
  return out;
}

Status check_rank(const ir::Node& n, const Walk& w) {
  if (w.dims.size() > 8)
    return unsupported("node '" + n.name + "' (" + n.op + "): needs a " +
                       std::to_string(w.dims.size()) +
                       "-dimensional walk; the gpu backend handles at most 8");
  return Status::ok();
}

std::vector<float> static_floats(const ir::Tensor& t) {
  size_t n = static_cast<size_t>(ir::num_elements(t.shape));
  std::vector<float> v(n);
  if (t.dtype == ir::DataType::kFloat16)
    halves_to_floats(reinterpret_cast<const uint16_t*>(t.data->data()), v.data(), n);
  else
    std::copy_n(reinterpret_cast<const float*>(t.data->data()), n, v.data());
  return v;
}

Expected<FusedActivation> fused_activation(const ir::Node& n) {
  FusedActivation f;
  std::string act = n.params.get_string("fused_activation", "");
  if (act.empty() || act == "none") return f;
  if (act == "relu") {
    f.code = 1;
    return f;
  }
  if (act == "clip") {
    if (!n.params.has("clip_min") || !n.params.has("clip_max"))
      return bad_input("node '" + n.name + "' (" + n.op +
                       "): fused_activation 'clip' needs clip_min and clip_max");
    f.code = 2;
    f.lo = static_cast<float>(n.params.get_float("clip_min"));
    f.hi = static_cast<float>(n.params.get_float("clip_max"));
    if (!(f.lo <= f.hi))
      return bad_input("node '" + n.name + "' (" + n.op + "): clip_min is greater than clip_max");
    return f;
  }
  return unsupported("node '" + n.name + "' (" + n.op + "): fused_activation '" + act +
                     "' is not supported (relu, clip)");
}

bool is_weight_input(const ir::Node& n, size_t index) {
  return (index == 1 || index == 2) &&
         (n.op == "Conv2d" || n.op == "DepthWiseConv2d" || n.op == "FullyConnected");
}

bool moves_values_only(const std::string& op) {
  static const char* const kOps[] = {"Reshape",
                                     "Transpose",
                                     "StridedSlice",
                                     "Split",
                                     "Concat",
                                     "DepthToSpace",
                                     "SpaceToDepth",
                                     "Tile",
                                     "Gather",
                                     "GatherElements",
                                     "GatherNd",
                                     "Trilu",
                                     "ElementWiseSelect",
                                     "ChannelShuffle"};
  for (const char* o : kOps)
    if (op == o) return true;
  return false;
}

namespace {

bool exact_in_half(const ir::Tensor& t) {
  if (t.dtype != ir::DataType::kFloat32) return true;  // float16 statics are exact
  const size_t n = static_cast<size_t>(ir::num_elements(t.shape));
  const float* v = reinterpret_cast<const float*>(t.data->data());
  uint16_t h = 0;
  float back = 0;
  for (size_t i = 0; i < n; ++i) {
    floats_to_halves(&v[i], &h, 1);
    halves_to_floats(&h, &back, 1);
    if (back != v[i] && !(back != back && v[i] != v[i])) return false;
  }
  return true;
}

}  // namespace

bool runs_float32_kernels(const ir::Graph& g, const ir::Node& n,
                          const std::function<bool(ir::TensorId)>& held_f32) {
  for (ir::TensorId t : n.outputs)
    if (held_f32(t)) return true;
  const bool computes = !moves_values_only(n.op);
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    const ir::TensorId t = n.inputs[i];
    if (t < 0) continue;
    const ir::Tensor& ten = g.tensor(t);
    if (!ten.is_static()) {
      if (held_f32(t)) return true;
    } else if (computes && ir::is_float(ten.dtype) && !is_weight_input(n, i) &&
               !exact_in_half(ten)) {
      return true;
    }
  }
  return false;
}

Expected<int> weight_buffer(NodeLowering& l, ir::TensorId t) {
  if (l.graph.tensor(t).is_static()) return l.static_weight(t);
  if (l.f32) return l.buffer(t);
  int64_t n = elements(l.graph, t);
  OQNN_ASSIGN_OR_RETURN(int out, l.scratch(static_cast<size_t>(n)));
  Launch k;
  k.kernel = "to_float";
  k.args = {arg_buffer(l.buffer(t)), arg_buffer(out), arg_int(n)};
  k.global = {static_cast<size_t>(n), 1, 1};
  l.launches.push_back(std::move(k));
  return out;
}

int64_t elements(const ir::Graph& g, ir::TensorId t) {
  return ir::num_elements(g.tensor(t).shape);
}

}  // namespace oqnn::gpu
