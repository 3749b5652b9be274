// Pad → Pad (modes constant, reflect, edge). Before opset 11 pads and value are
// attributes; from 11 they are (constant) inputs, and from 18 an optional axes input
// restricts the pads to some dimensions. CenterCropPad → StridedSlice and/or Pad.
#include <algorithm>

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

// CenterCropPad (opset 18) → StridedSlice (the centred window of each axis longer than its
// target) then Pad (zeros around each shorter one, the odd element after), as ONNX defines.
Status translate_center_crop_pad(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(const ConstTensor* sc, const_input(ctx, n, 1, "shape"));
  const ir::Shape xs = ctx.graph.tensor(x).shape;
  auto rank = static_cast<int64_t>(xs.size());
  std::vector<int64_t> shape = to_ints(*sc), axes;
  if (n.has_attr("axes")) {
    for (int64_t a : n.attr_ints("axes")) {
      auto ax = normalize_axis(a, rank);
      if (!ax) return n.bad_input("axis " + std::to_string(a) + " is out of range");
      if (std::find(axes.begin(), axes.end(), *ax) != axes.end())
        return n.bad_input("axis " + std::to_string(a) + " is repeated");
      axes.push_back(*ax);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d) axes.push_back(d);
  }
  if (shape.size() != axes.size())
    return n.bad_input("shape has " + std::to_string(shape.size()) + " values for " +
                       std::to_string(axes.size()) + " axes");
  std::vector<int64_t> ranges, amount(2 * static_cast<size_t>(rank), 0);
  for (int64_t d = 0; d < rank; ++d)
    ranges.insert(ranges.end(), {0, xs[static_cast<size_t>(d)], 1});
  bool crop = false, pad = false;
  for (size_t i = 0; i < axes.size(); ++i) {
    auto d = static_cast<size_t>(axes[i]);
    int64_t want = shape[i], have = xs[d];
    if (want < 0 || want > (int64_t{1} << 30))
      return n.bad_input("target size " + std::to_string(want) + " must be in [0, 2^30]");
    if (want < have) {
      ranges[3 * d] = (have - want) / 2;
      ranges[3 * d + 1] = ranges[3 * d] + want;
      crop = true;
    } else if (want > have) {
      amount[2 * d] = (want - have) / 2;
      amount[2 * d + 1] = want - have - amount[2 * d];
      pad = true;
    }
  }
  ir::Params sp;
  sp.set("ranges", ranges);
  if (!pad) return emit_main(ctx, n, "StridedSlice", {x}, std::move(sp));
  if (crop) {
    OQNN_ASSIGN_OR_RETURN(x, ctx.emit(ctx.aux_node_name(n.name() + "_crop"), "StridedSlice", {x},
                                      std::move(sp), ctx.aux_tensor_name(n.output(0) + "_crop")));
  }
  ir::Params p;
  p.set("pad_amount", amount);
  p.set("scheme", std::string("constant"));
  p.set("pad_constant_value", 0.0);
  return emit_main(ctx, n, "Pad", {x}, std::move(p));
}

}  // namespace

void register_pad_translators(std::vector<Translator>& out) {
  out.push_back({"Pad", translate_pad, check_pad});
  out.push_back({"CenterCropPad", translate_center_crop_pad, nullptr});
}

}  // namespace oqnn::onnx_import
