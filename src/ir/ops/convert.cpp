// Type conversion: Cast between the IR's run-time dtypes (float32, int32, int16, uint16,
// int8, uint8, bool), plus float16 and int64 at a graph's I/O boundary (a float16 input or
// output, an int64 input kept by --keep_int64_inputs; docs/dtypes.md). Values convert as ONNX Cast
// does: float to integer truncates toward zero (saturating at the type's range, NaN to 0), anything
// to bool is value != 0.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> cast_rule(const Graph& g, const Node& n) {
  std::string to = n.params.get_string("to");
  auto dt = dtype_from_name(to);
  if (!dt || *dt == DataType::kInt64) return shape_error(n, "cannot cast to '" + to + "'");
  return std::vector<OutputInfo>{{*dt, input_shape(g, n, 0)}};
}

}  // namespace

void register_convert_ops(std::vector<OpDef>& ops) {
  ops.push_back({"Cast",
                 "converts element type (float->int truncates; ->bool is x != 0)",
                 {"in"},
                 1,
                 1,
                 {{"to", ParamKind::kString, true}},
                 cast_rule,
                 false,
                 {"Cast"}});
}

}  // namespace oqnn::ir
