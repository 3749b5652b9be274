// GridSample → GridSample on the channel-last input (the grid is already [N, Ho, Wo, 2]).
// 2-D only; opset 20's linear/cubic are opset 16's bilinear/bicubic; cubic is refused
// (QNN's GridSample has bilinear and nearest).
#include "onnx/layout.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status check_grid_sample(const OnnxNode& n) {
  std::string mode = n.attr_string("mode", n.opset() >= 20 ? "linear" : "bilinear");
  if (mode == "cubic" || mode == "bicubic")
    return n.unsupported("mode '" + mode + "' is not supported (linear and nearest are)");
  if (mode != "linear" && mode != "bilinear" && mode != "nearest")
    return n.bad_input("unknown mode '" + mode + "'");
  std::string pad = n.attr_string("padding_mode", "zeros");
  if (pad != "zeros" && pad != "border" && pad != "reflection")
    return n.bad_input("unknown padding_mode '" + pad + "'");
  int64_t ac = n.attr_int("align_corners", 0);
  if (ac != 0 && ac != 1) return n.bad_input("align_corners must be 0 or 1");
  return Status::ok();
}

Status translate_grid_sample(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_grid_sample(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId grid, input_tensor(ctx, n, 1));
  const ir::Shape& xs = ctx.graph.tensor(x).shape;
  if (xs.size() != 4)
    return n.unsupported("only 2-D sampling is supported (input has shape " + ir::shape_str(xs) +
                         ")");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xl, channel_last(ctx, n, x));
  std::string mode = n.attr_string("mode", n.opset() >= 20 ? "linear" : "bilinear");
  ir::Params p;
  p.set("mode", std::string(mode == "nearest" ? "nearest" : "bilinear"));
  p.set("padding_mode", n.attr_string("padding_mode", "zeros"));
  p.set("align_corners", n.attr_int("align_corners", 0));
  return emit_channel_last(ctx, n, "GridSample", {xl, grid}, std::move(p));
}

}  // namespace

void register_sample_translators(std::vector<Translator>& out) {
  out.push_back({"GridSample", translate_grid_sample, check_grid_sample});
}

}  // namespace oqnn::onnx_import
