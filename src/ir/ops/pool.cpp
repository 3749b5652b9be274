// PoolMax2d, PoolAvg2d and L2Pool2d (NHWC; L2Pool2d: the square root of the window's sum of
// squares, padding counting as zeros). rounding_mode 1 = ceil, as ONNX ceil_mode.
// PoolMax3d and PoolAvg3d (NDHWC; pad_amount = [front, back, top, bottom, left, right]).
// Their `dilation` param is an OpenQNN extension (QNN's 3-D pools have none): the importer
// runs every dilated pool, 1-D and 2-D ones too, as a 3-D pool, so a backend without it
// refuses the op rather than pooling a dense window.
#include <optional>
#include <string_view>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

// rounding_mode and count_pad_for_edges are 0 or 1.
std::optional<Error> bad_pool_modes(const Node& n) {
  const int64_t rounding = n.params.get_int("rounding_mode", 0);
  if (rounding != 0 && rounding != 1)
    return shape_error(
        n, "rounding_mode must be 0 (floor) or 1 (ceil), got " + std::to_string(rounding));
  const int64_t count_pad = n.params.get_int("count_pad_for_edges", 0);
  if (count_pad != 0 && count_pad != 1)
    return shape_error(n, "count_pad_for_edges must be 0 or 1, got " + std::to_string(count_pad));
  return std::nullopt;
}

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
  if (auto bad = bad_pool_modes(n)) return *bad;
  const int64_t rounding = n.params.get_int("rounding_mode", 0);
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

Expected<std::vector<OutputInfo>> pool3d_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  if (x.size() != 5) return shape_error(n, "input must be rank 5 (NDHWC), got " + shape_str(x));
  auto k = n.params.get_ints("filter_size");
  auto stride = n.params.get_ints("stride", {1, 1, 1});
  auto dil = n.params.get_ints("dilation", {1, 1, 1});
  auto pad = n.params.get_ints("pad_amount", {0, 0, 0, 0, 0, 0});
  if (k.size() != 3 || stride.size() != 3 || dil.size() != 3 || pad.size() != 6)
    return shape_error(n, "filter_size/stride/dilation need 3 values and pad_amount 6");
  if (auto bad = bad_pool_modes(n)) return *bad;
  const int64_t rounding = n.params.get_int("rounding_mode", 0);
  Shape out = {x[0], 0, 0, 0, x[4]};
  for (size_t i = 0; i < 3; ++i) {
    // Bounded so that the arithmetic below cannot overflow (params may come from files).
    for (int64_t v : {k[i], stride[i], dil[i]})
      if (v < 1 || v > (int64_t{1} << 30))
        return shape_error(n, "filter_size, stride and dilation must be between 1 and 2^30");
    const int64_t span = dil[i] * (k[i] - 1) + 1;  // the dilated window
    const int64_t p0 = pad[2 * i], p1 = pad[2 * i + 1];
    if (p0 < 0 || p1 < 0 || p0 >= span || p1 >= span)
      return shape_error(n, "pad_amount must be non-negative and smaller than the window");
    const int64_t in = x[i + 1], s = stride[i], room = in + p0 + p1 - span;
    if (room < 0) return shape_error(n, "filter larger than padded input");
    int64_t o = (rounding == 1 ? (room + s - 1) / s : room / s) + 1;
    // A window must start inside the input or its leading padding.
    if (rounding == 1 && (o - 1) * s >= in + p0) --o;
    out[i + 1] = o;
  }
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, out}};
}

}  // namespace

void register_pool_ops(std::vector<OpDef>& ops) {
  // One input, one output; max pools are value preserving.
  auto add = [&ops](const char* name, const char* summary, const std::vector<ParamDef>& params,
                    ShapeRule rule, std::vector<std::string> onnx_ops) {
    ops.push_back({name,
                   summary,
                   {"in"},
                   1,
                   1,
                   params,
                   rule,
                   std::string_view(name).starts_with("PoolMax"),
                   std::move(onnx_ops)});
  };
  std::vector<ParamDef> p = {{"filter_size", ParamKind::kInts, true},
                             {"stride", ParamKind::kInts},
                             {"pad_amount", ParamKind::kInts},
                             {"rounding_mode", ParamKind::kInt}};
  std::vector<ParamDef> p3 = p;
  p3.push_back({"dilation", ParamKind::kInts});
  add("PoolMax2d", "2-D max pooling (NHWC)", p, pool_rule, {"MaxPool", "GlobalMaxPool"});
  add("L2Pool2d", "2-D L2 pooling (NHWC): sqrt of the sum of squares over the window", p, pool_rule,
      {"LpPool"});
  p.push_back({"count_pad_for_edges", ParamKind::kInt});
  add("PoolAvg2d", "2-D average pooling (NHWC); count_pad_for_edges=1 divides by the full window",
      p, pool_rule, {"AveragePool", "GlobalAveragePool"});
  add("PoolMax3d", "3-D max pooling (NDHWC); dilation is an OpenQNN extension", p3, pool3d_rule,
      {"MaxPool", "GlobalMaxPool"});
  p3.push_back({"count_pad_for_edges", ParamKind::kInt});
  add("PoolAvg3d",
      "3-D average pooling (NDHWC); dilation is an OpenQNN extension; count_pad_for_edges=1 "
      "divides by the full window",
      p3, pool3d_rule, {"AveragePool", "GlobalAveragePool"});
}

}  // namespace oqnn::ir
