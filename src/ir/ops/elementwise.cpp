// Binary element-wise ops with numpy broadcasting.
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<std::vector<OutputInfo>> binary_rule(const Graph& g, const Node& n) {
  const Shape& a = input_shape(g, n, 0);
  const Shape& b = input_shape(g, n, 1);
  auto out = broadcast_shapes(a, b);
  if (!out) return shape_error(n, "cannot broadcast " + shape_str(a) + " with " + shape_str(b));
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, *out}};
}

}  // namespace

void register_elementwise_ops(std::vector<OpDef>& ops) {
  struct Entry {
    const char* name;
    const char* summary;
    const char* onnx;
  };
  for (const Entry& e : {Entry{"ElementWiseAdd", "a + b (broadcast)", "Add"},
                         Entry{"ElementWiseSubtract", "a - b (broadcast)", "Sub"},
                         Entry{"ElementWiseMultiply", "a * b (broadcast)", "Mul"},
                         Entry{"ElementWiseDivide", "a / b (broadcast)", "Div"}}) {
    ops.push_back({e.name, e.summary, {"in0", "in1"}, 2, 2, {}, binary_rule, false, {e.onnx}});
  }
}

}  // namespace oqnn::ir
