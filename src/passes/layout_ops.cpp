#include "passes/layout_ops.h"

#include <algorithm>
#include <set>

#include "ir/op_def.h"

namespace oqnn::passes {
namespace {

// The element-wise ops of ir/ops/elementwise*.cpp whose output has their inputs' dtype:
// a transpose moved across them keeps its dtype. Those that change it (comparisons,
// IsNan/IsInf) and the three-input Select are left out.
bool is_same_dtype_elementwise(const std::string& op) {
  static const std::set<std::string, std::less<>> kNamed = {
      "Tanh", "Elu", "Celu", "Selu", "Gelu", "Mish", "Softsign", "ThresholdedRelu"};
  static const std::set<std::string, std::less<>> kExcluded = {
      "ElementWiseEqual",     "ElementWiseGreater", "ElementWiseGreaterEqual", "ElementWiseLess",
      "ElementWiseLessEqual", "ElementWiseIsNan",   "ElementWiseIsInf",        "ElementWiseSelect"};
  if (kNamed.count(op)) return true;
  return op.starts_with("ElementWise") && !kExcluded.count(op) && ir::find_op(op);
}

}  // namespace

LayoutClass layout_class(const ir::Node& n) {
  const std::string& op = n.op;
  if (n.outputs.size() != 1) return LayoutClass::kNone;
  if (is_same_dtype_elementwise(op))
    return ir::find_op(op)->max_inputs == 1 ? LayoutClass::kUnary : LayoutClass::kBinary;
  if (op == "Relu" || op == "ReluMinMax" || op == "Sigmoid" || op == "HardSwish" ||
      op == "ElementWiseNeuron")
    return LayoutClass::kUnary;
  // Per-tensor Quantize / Dequantize are element-wise whatever the layout (their output
  // dtype differs from the input's: each moved transpose takes the dtype of the tensor it
  // copies). Per-axis ones keep their axis, so transposes stop there.
  if ((op == "Quantize" || op == "Dequantize") && !n.params.has("axis")) return LayoutClass::kUnary;
  if (op == "ElementWiseAdd" || op == "ElementWiseSubtract" || op == "ElementWiseMultiply" ||
      op == "ElementWiseDivide" || op == "Prelu")
    return LayoutClass::kBinary;
  if (op == "Softmax" || op == "LogSoftmax" || op == "Hardmax" || op == "L2Norm" ||
      op == "ChannelShuffle")
    return LayoutClass::kSoftmax;
  if (op.starts_with("Reduce")) return LayoutClass::kReduce;
  if (op == "Pad") return LayoutClass::kPad;
  if (op == "Concat") return LayoutClass::kConcat;
  if (op == "StridedSlice" && n.params.get_int("shrink_axes", 0) == 0) return LayoutClass::kSlice;
  return LayoutClass::kNone;
}

bool is_layout_free(const ir::Graph& g, ir::TensorId t, size_t rank) {
  const ir::Tensor& x = g.tensor(t);
  return ir::num_elements(x.shape) == 1 && x.shape.size() <= rank;
}

ir::TensorId permute_static_operand(ir::Graph& g, const Uses& u, ir::TensorId s, size_t rank,
                                    const Perm& perm, int reader) {
  ir::Shape aligned = align_rank(g.tensor(s).shape, rank);
  size_t lead = rank - g.tensor(s).shape.size();
  auto data = permute_data(*g.tensor(s).data, aligned, ir::dtype_size(g.tensor(s).dtype), perm);
  ir::TensorId id = restage_static(g, u, s, reader, permute_shape(aligned, perm), data, "_perm");
  if (g.tensor(s).encoding) {
    ir::Encoding e = *g.tensor(s).encoding;
    if (e.per_axis()) e.axis = static_cast<int>(inverse(perm)[static_cast<size_t>(e.axis) + lead]);
    g.tensor(id).encoding = std::move(e);
  }
  return id;
}

std::optional<size_t> main_input(const ir::Graph& g, const ir::Node& n) {
  LayoutClass c = layout_class(n);
  if (c != LayoutClass::kUnary && c != LayoutClass::kBinary) return std::nullopt;
  size_t rank = g.tensor(n.outputs[0]).shape.size();
  std::optional<size_t> main;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    ir::TensorId t = n.inputs[i];
    if (t < 0) return std::nullopt;
    const ir::Tensor& x = g.tensor(t);
    if (x.shape.size() > rank) return std::nullopt;
    bool free = is_layout_free(g, t, rank) && !(n.op == "Prelu" && i == 0);
    if (x.is_static() || free) continue;
    if (main || x.shape.size() != rank) return std::nullopt;
    main = i;
  }
  // Prelu's output follows its first input, which must be the moving one.
  if (main && n.op == "Prelu" && *main != 0) return std::nullopt;
  return main;
}

Perm remap_axes(ir::Node& n, const Perm& p, size_t rank) {
  switch (layout_class(n)) {
    case LayoutClass::kSoftmax: {
      int64_t axis = n.params.get_int("axis", static_cast<int64_t>(rank) - 1);
      n.params.set("axis", p[static_cast<size_t>(axis)]);
      return p;
    }
    case LayoutClass::kConcat:
      n.params.set("axis", p[static_cast<size_t>(n.params.get_int("axis"))]);
      return p;
    case LayoutClass::kPad: {
      auto pad = n.params.get_ints("pad_amount");
      std::vector<int64_t> out(pad.size());
      for (size_t k = 0; k < rank; ++k) {
        size_t j = static_cast<size_t>(p[k]);
        out[2 * j] = pad[2 * k];
        out[2 * j + 1] = pad[2 * k + 1];
      }
      n.params.set("pad_amount", out);
      return p;
    }
    case LayoutClass::kReduce: {
      auto axes = n.params.get_ints("axes");
      std::vector<int64_t> mapped;
      for (int64_t a : axes) mapped.push_back(p[static_cast<size_t>(a)]);
      std::sort(mapped.begin(), mapped.end());
      n.params.set("axes", mapped);
      if (n.params.get_int("keep_dims", 1) != 0) return p;
      // Without kept dims the output perm lists, for each surviving dim of the old
      // output, where its source dim lands among the surviving dims of the new output.
      std::vector<int64_t> kept_new;
      for (size_t j = 0; j < rank; ++j)
        if (!std::binary_search(mapped.begin(), mapped.end(), static_cast<int64_t>(j)))
          kept_new.push_back(static_cast<int64_t>(j));
      Perm q;
      for (size_t k = 0; k < rank; ++k) {
        if (std::find(axes.begin(), axes.end(), static_cast<int64_t>(k)) != axes.end()) continue;
        auto it = std::find(kept_new.begin(), kept_new.end(), p[k]);
        q.push_back(it - kept_new.begin());
      }
      return q;
    }
    case LayoutClass::kSlice: {
      // Dim k of the old input is dim p[k] of the new one: its range and mask bits go there.
      auto ranges = n.params.get_ints("ranges");
      std::vector<int64_t> out(ranges.size());
      for (size_t k = 0; k < rank; ++k)
        for (size_t r = 0; r < 3; ++r) out[3 * static_cast<size_t>(p[k]) + r] = ranges[3 * k + r];
      n.params.set("ranges", out);
      for (const char* mask : {"begin_mask", "end_mask"}) {
        if (!n.params.has(mask)) continue;
        int64_t old = n.params.get_int(mask), moved = 0;
        for (size_t k = 0; k < rank; ++k)
          if (old >> k & 1) moved |= int64_t{1} << p[k];
        n.params.set(mask, moved);
      }
      return p;
    }
    default:
      return p;
  }
}

bool output_is_source_side(const Perm& p) {
  return p != to_channel_last(p.size());
}

ir::TensorId add_layout_twin(ir::Graph& g, ir::TensorId of, const Perm& perm, MadeNames& made) {
  const char* suffix = "_t";
  if (perm.size() == 4 && perm == to_channel_last(4)) suffix = "_nhwc";
  if (perm.size() == 4 && perm == to_channel_first(4)) suffix = "_nchw";
  const ir::Tensor& t = g.tensor(of);
  ir::TensorId id = add_twin(g, t.name + suffix, permute_shape(t.shape, perm), t.dtype);
  made.insert(g.tensor(id).name);
  return id;
}

}  // namespace oqnn::passes
