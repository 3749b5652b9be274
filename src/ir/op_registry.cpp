#include <algorithm>
#include <mutex>

#include "ir/op_def.h"
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

std::vector<OpDef> build_table() {
  std::vector<OpDef> ops;
  register_conv_ops(ops);
  register_pool_ops(ops);
  register_elementwise_ops(ops);
  register_elementwise_unary_ops(ops);
  register_activation_ops(ops);
  register_layout_ops(ops);
  register_linear_ops(ops);
  register_norm_ops(ops);
  register_convert_ops(ops);
  register_reduce_ops(ops);
  register_indexing_ops(ops);
  register_recurrent_ops(ops);
  register_resize_ops(ops);
  register_sample_ops(ops);
  register_roi_ops(ops);
  register_detection_ops(ops);
  register_spatial_ops(ops);
  register_quantize_ops(ops);
  std::sort(ops.begin(), ops.end(), [](const OpDef& a, const OpDef& b) { return a.name < b.name; });
  return ops;
}

const std::vector<OpDef>& table() {
  static const std::vector<OpDef> kTable = build_table();  // built once, read-only after
  return kTable;
}

}  // namespace

const OpDef* find_op(std::string_view name) {
  const auto& t = table();
  auto it = std::lower_bound(t.begin(), t.end(), name,
                             [](const OpDef& d, std::string_view n) { return d.name < n; });
  return (it != t.end() && it->name == name) ? &*it : nullptr;
}

std::span<const OpDef> all_ops() {
  return table();
}

Error shape_error(const Node& n, const std::string& what) {
  return bad_input("node '" + n.name + "' (" + n.op + "): " + what);
}

bool same_value_type(const Tensor& a, const Tensor& b) {
  return a.dtype == b.dtype || (a.encoding.has_value() && b.encoding.has_value()) ||
         (is_float(a.dtype) && is_float(b.dtype));
}

bool real_or_quantized_like(const Tensor& t, const Tensor& x) {
  return t.dtype == DataType::kFloat32 || (t.encoding.has_value() && x.encoding.has_value());
}

const Shape& input_shape(const Graph& g, const Node& n, size_t i) {
  return g.tensor(n.inputs[i]).shape;
}

Expected<std::vector<OutputInfo>> same_as_input_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

bool has_input(const Node& n, size_t i) {
  return i < n.inputs.size() && n.inputs[i] >= 0;
}

std::optional<Shape> broadcast_shapes(const Shape& a, const Shape& b) {
  size_t r = std::max(a.size(), b.size());
  Shape out(r);
  for (size_t i = 0; i < r; ++i) {
    int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
    int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
    if (da != db && da != 1 && db != 1) return std::nullopt;
    out[i] = da == 1 ? db : da;
  }
  return out;
}

void add_fused_activation_params(std::vector<ParamDef>& params) {
  params.push_back({"fused_activation", ParamKind::kString});
  params.push_back({"clip_min", ParamKind::kFloat});
  params.push_back({"clip_max", ParamKind::kFloat});
}

int weight_channel_axis(std::string_view op) {
  if (op == "Conv2d" || op == "DepthWiseConv2d") return 3;
  if (op == "Conv3d") return 4;
  if (op == "FullyConnected") return 0;
  return -1;
}

}  // namespace oqnn::ir
