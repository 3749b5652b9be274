// Pad → Pad (modes constant, reflect, edge). Before opset 11 pads and value are
// attributes; from 11 they are (constant) inputs, and from 18 an optional axes input
// restricts the pads to some dimensions.
#include "onnx/shape_rules.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

Status check_pad(const OnnxNode& n) {
  std::string mode = n.attr_string("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge")
    return n.unsupported("mode '" + mode + "' is not supported (constant, reflect, edge are)");
  return Status::ok();
}

Status translate_pad(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_pad(n));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  auto rank = static_cast<int64_t>(ctx.graph.tensor(x).shape.size());
  std::vector<int64_t> pads, axes;
  double value = 0.0;
  if (n.opset() < 11) {
    pads = n.attr_ints("pads");
    value = n.attr_float("value", 0.0);
  } else {
    OQNN_ASSIGN_OR_RETURN(const ConstTensor* p, const_input(ctx, n, 1, "pads"));
    pads = to_ints(*p);
    if (n.has_input(2)) {
      OQNN_ASSIGN_OR_RETURN(const ConstTensor* v, const_input(ctx, n, 2, "constant_value"));
      if (v->numel() != 1) return n.bad_input("constant_value must be a scalar");
      value = to_doubles(*v)[0];
    }
    if (n.has_input(3)) {
      OQNN_ASSIGN_OR_RETURN(const ConstTensor* a, const_input(ctx, n, 3, "axes"));
      OQNN_ASSIGN_OR_RETURN(axes, normalize_axes(to_ints(*a), rank, n.prefix()));
      // normalize_axes sorts; pads follow the axes' given order, so keep that order.
      axes.clear();
      for (int64_t v : to_ints(*a)) axes.push_back(*normalize_axis(v, rank));
    }
  }
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  size_t k = axes.size();
  if (pads.size() != 2 * k)
    return n.bad_input("pads has " + std::to_string(pads.size()) + " values, expected " +
                       std::to_string(2 * k));
  std::vector<int64_t> amount(2 * static_cast<size_t>(rank), 0);
  for (size_t i = 0; i < k; ++i) {
    if (pads[i] < 0 || pads[i + k] < 0)
      return n.unsupported("negative pads (cropping) are not supported");
    if (pads[i] > (int64_t{1} << 30) || pads[i + k] > (int64_t{1} << 30))
      return n.bad_input("pads must be at most 2^30");
    amount[2 * static_cast<size_t>(axes[i])] = pads[i];
    amount[2 * static_cast<size_t>(axes[i]) + 1] = pads[i + k];
  }
  std::string mode = n.attr_string("mode", "constant");
  ir::Params p;
  p.set("pad_amount", amount);
  p.set("scheme", mode);
  if (mode == "constant") p.set("pad_constant_value", value);
  return emit_main(ctx, n, "Pad", {x}, std::move(p));
}

}  // namespace

void register_pad_translators(std::vector<Translator>& out) {
  out.push_back({"Pad", translate_pad, check_pad});
}

}  // namespace oqnn::onnx_import
