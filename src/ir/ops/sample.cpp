// GridSample (NHWC): samples in[N, H, W, C] at the points grid[N, Ho, Wo, 2] holds ((x, y)
// normalized to [-1, 1]) into [N, Ho, Wo, C]. mode bilinear|nearest, padding_mode
// zeros|border|reflection, align_corners 0|1, as ONNX GridSample (2-D, opsets 16-20).
// The grid is float32, or quantized (an encoding of its own) when the input is.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> grid_sample_rule(const Graph& g, const Node& n) {
  const Shape& x = input_shape(g, n, 0);
  const Shape& grid = input_shape(g, n, 1);
  if (x.size() != 4) return shape_error(n, "input must be rank 4 (NHWC), got " + shape_str(x));
  if (grid.size() != 4 || grid[0] != x[0] || grid[3] != 2)
    return shape_error(n, "grid must be [N, Ho, Wo, 2] with the input's N, got " + shape_str(grid));
  const std::string mode = n.params.get_string("mode", "bilinear");
  if (mode != "bilinear" && mode != "nearest")
    return shape_error(n, "mode must be bilinear or nearest, got '" + mode + "'");
  const std::string pad = n.params.get_string("padding_mode", "zeros");
  if (pad != "zeros" && pad != "border" && pad != "reflection")
    return shape_error(n, "padding_mode must be zeros, border or reflection, got '" + pad + "'");
  int64_t ac = n.params.get_int("align_corners", 0);
  if (ac != 0 && ac != 1) return shape_error(n, "align_corners must be 0 or 1");
  if (!real_or_quantized_like(g.tensor(n.inputs[1]), g.tensor(n.inputs[0])))
    return shape_error(n, "grid must be float32, or quantized like the input");
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, {x[0], grid[1], grid[2], x[3]}}};
}

}  // namespace

void register_sample_ops(std::vector<OpDef>& ops) {
  ops.push_back({"GridSample",
                 "samples an NHWC input at normalized grid points",
                 {"in", "grid"},
                 2,
                 2,
                 {{"mode", ParamKind::kString},
                  {"padding_mode", ParamKind::kString},
                  {"align_corners", ParamKind::kInt}},
                 grid_sample_rule,
                 false,
                 {"GridSample"}});
}

}  // namespace oqnn::ir
