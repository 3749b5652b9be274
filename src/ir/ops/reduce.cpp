// Reductions over a set of axes (keep_dims default 1): the QNN ops ReduceSum, ReduceMean,
// ReduceMax, ReduceMin, ReduceProd and ReduceSumSquare, plus ReduceL1, ReduceL2,
// ReduceLogSum and ReduceLogSumExp, which QNN lacks (its converter expands them into
// element-wise ops) and which OpenQNN keeps whole so that one kernel runs each.
#include <algorithm>

#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> reduce_rule(const Graph& g, const Node& n) {
  const Tensor& x = g.tensor(n.inputs[0]);
  auto axes = n.params.get_ints("axes");
  bool keep = n.params.get_int("keep_dims", 1) != 0;
  const auto rank = static_cast<int64_t>(x.shape.size());
  for (size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] < 0 || axes[i] >= rank) return shape_error(n, "axis out of range");
    if (std::find(axes.begin(), axes.begin() + static_cast<std::ptrdiff_t>(i), axes[i]) !=
        axes.begin() + static_cast<std::ptrdiff_t>(i))
      return shape_error(n, "axis " + std::to_string(axes[i]) + " is listed twice");
  }
  Shape out;
  for (int64_t d = 0; d < rank; ++d) {
    bool reduced = std::find(axes.begin(), axes.end(), d) != axes.end();
    if (!reduced)
      out.push_back(x.shape[static_cast<size_t>(d)]);
    else if (keep)
      out.push_back(1);
  }
  return std::vector<OutputInfo>{{x.dtype, out}};
}

struct ReduceOp {
  const char* name;
  const char* summary;
  const char* onnx;
};

constexpr ReduceOp kReduceOps[] = {
    {"ReduceSum", "sum over axes", "ReduceSum"},
    {"ReduceMean", "mean over axes", "ReduceMean"},
    {"ReduceMax", "maximum over axes (-inf / lowest over an empty set)", "ReduceMax"},
    {"ReduceMin", "minimum over axes (+inf / highest over an empty set)", "ReduceMin"},
    {"ReduceProd", "product over axes", "ReduceProd"},
    {"ReduceSumSquare", "sum of squares over axes", "ReduceSumSquare"},
    {"ReduceL1", "sum of absolute values over axes (not a QNN op)", "ReduceL1"},
    {"ReduceL2", "sqrt of the sum of squares over axes (not a QNN op)", "ReduceL2"},
    {"ReduceLogSum", "log of the sum over axes (not a QNN op)", "ReduceLogSum"},
    {"ReduceLogSumExp", "log(sum(exp(x))) over axes, max-shifted (not a QNN op)",
     "ReduceLogSumExp"},
};

}  // namespace

void register_reduce_ops(std::vector<OpDef>& ops) {
  for (const ReduceOp& r : kReduceOps)
    ops.push_back({r.name,
                   std::string(r.summary) + " (keep_dims default 1)",
                   {"in"},
                   1,
                   1,
                   {{"axes", ParamKind::kInts, true}, {"keep_dims", ParamKind::kInt}},
                   reduce_rule,
                   // Max and Min return one of their inputs, so they may share its encoding.
                   std::string(r.name) == "ReduceMax" || std::string(r.name) == "ReduceMin",
                   {r.onnx}});
}

}  // namespace oqnn::ir
