// PoolMax2d, PoolAvg2d and L2Pool2d (NHWC; L2Pool2d: the square root of the window's sum of
// squares, padding counting as zeros). rounding_mode 1 = ceil, as ONNX ceil_mode.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> pool_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  auto k = n.params.get_ints("filter_size");
  auto stride = n.params.get_ints("stride", {1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0});
  if (k.size() != 2 || stride.size() != 2 || pad.size() != 4)
    return shape_error(n, "filter_size/stride need 2 values and pad_amount 4");
  if (k[0] < 1 || k[1] < 1 || stride[0] < 1 || stride[1] < 1)
    return shape_error(n, "filter_size and stride must be >= 1");
  // Bounded so that the arithmetic below cannot overflow (params may come from files).
  for (int64_t v : {k[0], k[1], stride[0], stride[1]})
    if (v > kMaxElements) return shape_error(n, "filter_size or stride too large");
  const int64_t rounding = n.params.get_int("rounding_mode", 0);
  if (rounding != 0 && rounding != 1)
    return shape_error(
        n, "rounding_mode must be 0 (floor) or 1 (ceil), got " + std::to_string(rounding));
  const int64_t count_pad = n.params.get_int("count_pad_for_edges", 0);
  if (count_pad != 0 && count_pad != 1)
    return shape_error(n, "count_pad_for_edges must be 0 or 1, got " + std::to_string(count_pad));
  if (pad[0] < 0 || pad[1] < 0 || pad[2] < 0 || pad[3] < 0 || pad[0] >= k[0] || pad[1] >= k[0] ||
      pad[2] >= k[1] || pad[3] >= k[1])
    return shape_error(n, "pad_amount must be non-negative and smaller than filter_size");
  bool ceil_mode = rounding == 1;
  auto out_dim = [&](int64_t in, int64_t kk, int64_t s, int64_t p0, int64_t p1) {
    int64_t span = in + p0 + p1 - kk;
    int64_t o = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
    // A window must start inside the input or its leading padding.
    if (ceil_mode && (o - 1) * s >= in + p0) --o;
    return o;
  };
  int64_t ho = out_dim(x[1], k[0], stride[0], pad[0], pad[1]);
  int64_t wo = out_dim(x[2], k[1], stride[1], pad[2], pad[3]);
  if (ho < 1 || wo < 1) return shape_error(n, "filter larger than padded input");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, {x[0], ho, wo, x[3]}}};
}

}  // namespace

void register_pool_ops(std::vector<OpDef>& ops) {
  std::vector<ParamDef> p = {{"filter_size", ParamKind::kInts, true},
                             {"stride", ParamKind::kInts},
                             {"pad_amount", ParamKind::kInts},
                             {"rounding_mode", ParamKind::kInt}};
  ops.push_back({"PoolMax2d",
                 "2-D max pooling (NHWC)",
                 {"in"},
                 1,
                 1,
                 p,
                 pool_rule,
                 true,
                 {"MaxPool", "GlobalMaxPool"}});
  ops.push_back({"L2Pool2d",
                 "2-D L2 pooling (NHWC): sqrt of the sum of squares over the window",
                 {"in"},
                 1,
                 1,
                 p,
                 pool_rule,
                 false,
                 {"LpPool"}});
  p.push_back({"count_pad_for_edges", ParamKind::kInt});
  ops.push_back({"PoolAvg2d",
                 "2-D average pooling (NHWC); count_pad_for_edges=1 divides by "
                 "the full window",
                 {"in"},
                 1,
                 1,
                 p,
                 pool_rule,
                 false,
                 {"AveragePool", "GlobalAveragePool"}});
}

}  // namespace oqnn::ir
