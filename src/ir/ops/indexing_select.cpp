// Selection and scans along one axis: Argmax/Argmin (int32 indices; keep_dims,
// select_last_index picks the last of equal extremes), TopK (QNN: along the last dim;
// values and int32 indices, sorted, largest or smallest, ties to the lower index) and
// CumulativeSum (exclusive, reverse). Values are float32 or int32. Trilu (ONNX Trilu;
// QNN has no equivalent) keeps one triangle of the last two dims of any dtype.
#include "ir/ops/indexing.h"

namespace oqnn::ir {
namespace {

using Rule = Expected<std::vector<OutputInfo>>;

// uint8/uint16 with an encoding: quantized float activations (the HTP's).
Status check_numeric(const Node& n, const Tensor& x) {
  const bool quantized =
      x.encoding && (x.dtype == DataType::kUInt8 || x.dtype == DataType::kUInt16);
  if (x.dtype != DataType::kFloat32 && x.dtype != DataType::kInt32 && !quantized)
    return shape_error(n, "input must be float32, int32 or quantized");
  return Status::ok();
}

Rule arg_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_RETURN_IF_ERROR(check_numeric(n, x));
  OQNN_ASSIGN_OR_RETURN(int64_t axis, axis_param(n, "axis", static_cast<int64_t>(x.shape.size())));
  if (x.shape[static_cast<size_t>(axis)] < 1) return shape_error(n, "the axis is empty");
  Shape out = x.shape;
  if (n.params.get_int("keep_dims", 1) != 0)
    out[static_cast<size_t>(axis)] = 1;
  else
    out.erase(out.begin() + axis);
  return std::vector<OutputInfo>{{DataType::kInt32, out}};
}

Rule top_k_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_RETURN_IF_ERROR(check_numeric(n, x));
  if (x.shape.empty()) return shape_error(n, "input must have at least one dim");
  int64_t k = n.params.get_int("k", 0);
  if (k < 0 || k > x.shape.back())
    return shape_error(n, "k must be in [0, " + std::to_string(x.shape.back()) + "]");
  Shape out = x.shape;
  out.back() = k;
  return std::vector<OutputInfo>{{x.dtype, out}, {DataType::kInt32, out}};
}

Rule cumsum_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  OQNN_RETURN_IF_ERROR(check_numeric(n, x));
  OQNN_RETURN_IF_ERROR(axis_param(n, "axis", static_cast<int64_t>(x.shape.size())).status());
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

Rule trilu_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  if (x.shape.size() < 2) return shape_error(n, "input must have at least two dims");
  int64_t k = n.params.get_int("k", 0);
  if (k < -kMaxElements || k > kMaxElements) return shape_error(n, "k must be within 2^40");
  return std::vector<OutputInfo>{{x.dtype, x.shape}};
}

}  // namespace

void register_indexing_select_ops(std::vector<OpDef>& ops) {
  const std::vector<ParamDef> arg{{"axis", ParamKind::kInt},
                                  {"keep_dims", ParamKind::kInt},
                                  {"select_last_index", ParamKind::kInt}};
  ops.push_back({"Argmax",
                 "int32 index of the largest value along axis",
                 {"in"},
                 1,
                 1,
                 arg,
                 arg_rule,
                 false,
                 {"ArgMax"}});
  ops.push_back({"Argmin",
                 "int32 index of the smallest value along axis",
                 {"in"},
                 1,
                 1,
                 arg,
                 arg_rule,
                 false,
                 {"ArgMin"}});
  ops.push_back({"TopK",
                 "the k largest (largest=1) or smallest values along the last dim, sorted, "
                 "and their int32 indices",
                 {"in"},
                 1,
                 1,
                 {{"k", ParamKind::kInt, true}, {"largest", ParamKind::kInt}},
                 top_k_rule,
                 false,
                 {"TopK"}});
  ops.push_back(
      {"CumulativeSum",
       "running sum along axis; exclusive skips the element itself, reverse runs "
       "from the end",
       {"in"},
       1,
       1,
       {{"axis", ParamKind::kInt}, {"exclusive", ParamKind::kInt}, {"reverse", ParamKind::kInt}},
       cumsum_rule,
       false,
       {"CumSum"}});
  ops.push_back({"Trilu",
                 "keeps the upper (upper=1: j - i >= k) or lower (j - i <= k) triangle of the "
                 "last two dims, zeroes the rest",
                 {"in"},
                 1,
                 1,
                 {{"upper", ParamKind::kInt}, {"k", ParamKind::kInt}},
                 trilu_rule,
                 false,
                 {"Trilu"}});
}

}  // namespace oqnn::ir
