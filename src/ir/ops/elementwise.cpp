// Binary element-wise ops with numpy broadcasting: arithmetic (output has the inputs'
// dtype), comparisons (output bool), logical ops (bool in, bool out), and
// ElementWiseSelect (Where: bool condition, two value inputs, three-way broadcast).
#include "ir/ops/families.h"

namespace oqnn::ir {
namespace {

Expected<Shape> broadcast_inputs(const Graph& g, const Node& n, size_t first, size_t count) {
  Shape out = input_shape(g, n, first);
  for (size_t i = first + 1; i < first + count; ++i) {
    auto b = broadcast_shapes(out, input_shape(g, n, i));
    if (!b)
      return shape_error(
          n, "cannot broadcast " + shape_str(out) + " with " + shape_str(input_shape(g, n, i)));
    out = *b;
  }
  return out;
}

// The inputs' dtype is not checked here: quantized graphs mix storage types (uint8
// activations with int8/int32 statics); the translators and kernels check it.
Expected<std::vector<OutputInfo>> binary_rule(const Graph& g, const Node& n) {
  OQNN_ASSIGN_OR_RETURN(Shape out, broadcast_inputs(g, n, 0, 2));
  return std::vector<OutputInfo>{{g.tensor(n.inputs[0]).dtype, std::move(out)}};
}

Expected<std::vector<OutputInfo>> compare_rule(const Graph& g, const Node& n) {
  OQNN_ASSIGN_OR_RETURN(Shape out, broadcast_inputs(g, n, 0, 2));
  return std::vector<OutputInfo>{{DataType::kBool, std::move(out)}};
}

Expected<std::vector<OutputInfo>> logical_rule(const Graph& g, const Node& n) {
  for (size_t i = 0; i < 2; ++i)
    if (g.tensor(n.inputs[i]).dtype != DataType::kBool)
      return shape_error(n, "input " + std::to_string(i) + " is " +
                                std::string(dtype_name(g.tensor(n.inputs[i]).dtype)) +
                                ", not bool");
  return compare_rule(g, n);
}

Expected<std::vector<OutputInfo>> select_rule(const Graph& g, const Node& n) {
  if (g.tensor(n.inputs[0]).dtype != DataType::kBool)
    return shape_error(
        n, "condition is " + std::string(dtype_name(g.tensor(n.inputs[0]).dtype)) + ", not bool");
  OQNN_ASSIGN_OR_RETURN(Shape out, broadcast_inputs(g, n, 0, 3));
  return std::vector<OutputInfo>{{g.tensor(n.inputs[1]).dtype, std::move(out)}};
}

struct Entry {
  const char* name;
  const char* summary;
  std::vector<std::string> onnx;
  ShapeRule rule;
};

}  // namespace

void register_elementwise_ops(std::vector<OpDef>& ops) {
  const std::vector<Entry> entries = {
      {"ElementWiseAdd", "a + b (broadcast)", {"Add", "Sum", "Mean"}, binary_rule},
      {"ElementWiseSubtract", "a - b (broadcast)", {"Sub"}, binary_rule},
      {"ElementWiseMultiply", "a * b (broadcast)", {"Mul"}, binary_rule},
      {"ElementWiseDivide",
       "a / b (broadcast; integers truncate toward zero)",
       {"Div", "Reciprocal", "Mean"},
       binary_rule},
      {"ElementWiseMaximum", "max(a, b) (broadcast; NaN propagates)", {"Max"}, binary_rule},
      {"ElementWiseMinimum", "min(a, b) (broadcast; NaN propagates)", {"Min"}, binary_rule},
      {"ElementWisePower", "a ^ b (broadcast)", {"Pow"}, binary_rule},
      {"ElementWiseFmod", "remainder with the sign of a (C fmod)", {"Mod"}, binary_rule},
      {"ElementWiseMod", "remainder with the sign of b (floored)", {"Mod"}, binary_rule},
      {"ElementWiseEqual", "a == b -> bool", {"Equal"}, compare_rule},
      {"ElementWiseGreater", "a > b -> bool", {"Greater"}, compare_rule},
      {"ElementWiseGreaterEqual", "a >= b -> bool", {"GreaterOrEqual"}, compare_rule},
      {"ElementWiseLess", "a < b -> bool", {"Less"}, compare_rule},
      {"ElementWiseLessEqual", "a <= b -> bool", {"LessOrEqual"}, compare_rule},
      {"ElementWiseAnd", "a && b (bool)", {"And"}, logical_rule},
      {"ElementWiseOr", "a || b (bool)", {"Or"}, logical_rule},
      {"ElementWiseXor", "a != b (bool)", {"Xor"}, logical_rule},
      // Integer-only ops QNN has no op for.
      {"ElementWiseBitwiseAnd", "a & b (integers)", {"BitwiseAnd"}, binary_rule},
      {"ElementWiseBitwiseOr", "a | b (integers)", {"BitwiseOr"}, binary_rule},
      {"ElementWiseBitwiseXor", "a ^ b (integers)", {"BitwiseXor"}, binary_rule},
      {"ElementWiseShiftLeft", "a << b (integers)", {"BitShift"}, binary_rule},
      {"ElementWiseShiftRight", "a >> b (integers)", {"BitShift"}, binary_rule},
  };
  for (const Entry& e : entries)
    ops.push_back({e.name, e.summary, {"in0", "in1"}, 2, 2, {}, e.rule, false, e.onnx});
  ops.push_back({"ElementWiseSelect",
                 "condition ? in1 : in2 (three-way broadcast)",
                 {"condition", "in1", "in2"},
                 3,
                 3,
                 {},
                 select_rule,
                 false,
                 {"Where"}});
}

}  // namespace oqnn::ir
