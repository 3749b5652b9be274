// Binary element-wise ops (numpy broadcasting, ONNX layout): Add, Sub, Mul, Div, Pow, Mod,
// comparisons, And/Or/Xor, the bitwise ops and Where map one to one (BitShift by direction);
// variadic Max, Min, Sum and Mean fold into chains of binary ops (Mean divides the sum by the
// count). A constant operand becomes a static tensor named after the ONNX value.
#include <map>

#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

const std::map<std::string, const char*, std::less<>>& binary_ops() {
  static const std::map<std::string, const char*, std::less<>> kOps = {
      {"Add", "ElementWiseAdd"},
      {"Sub", "ElementWiseSubtract"},
      {"Mul", "ElementWiseMultiply"},
      {"Div", "ElementWiseDivide"},
      {"Equal", "ElementWiseEqual"},
      {"Greater", "ElementWiseGreater"},
      {"GreaterOrEqual", "ElementWiseGreaterEqual"},
      {"Less", "ElementWiseLess"},
      {"LessOrEqual", "ElementWiseLessEqual"},
      {"And", "ElementWiseAnd"},
      {"Or", "ElementWiseOr"},
      {"Xor", "ElementWiseXor"},
      {"BitwiseAnd", "ElementWiseBitwiseAnd"},
      {"BitwiseOr", "ElementWiseBitwiseOr"},
      {"BitwiseXor", "ElementWiseBitwiseXor"},
      {"Max", "ElementWiseMaximum"},
      {"Min", "ElementWiseMinimum"},
      {"Sum", "ElementWiseAdd"},
      {"Mean", "ElementWiseAdd"},
  };
  return kOps;
}

Expected<std::vector<ir::TensorId>> same_type_inputs(ImportContext& ctx, const OnnxNode& n,
                                                     size_t first) {
  std::vector<ir::TensorId> ids;
  for (size_t i = first; i < n.num_inputs(); ++i) {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId t, input_tensor(ctx, n, i));
    if (!ids.empty() && ctx.graph.tensor(t).dtype != ctx.graph.tensor(ids.front()).dtype)
      return n.bad_input("inputs differ in type");
    ids.push_back(t);
  }
  return ids;
}

Status translate_binary(ImportContext& ctx, const OnnxNode& n) {
  if (n.num_inputs() != 2) return n.bad_input("needs 2 inputs");
  OQNN_ASSIGN_OR_RETURN(auto in, same_type_inputs(ctx, n, 0));
  return emit_main(ctx, n, binary_ops().find(n.op_type())->second, in, {});
}

// Max, Min, Sum: ((in0 op in1) op in2) ...; one input is that input.
Status translate_variadic(ImportContext& ctx, const OnnxNode& n) {
  if (n.num_inputs() == 0) return n.bad_input("needs at least one input");
  OQNN_ASSIGN_OR_RETURN(auto in, same_type_inputs(ctx, n, 0));
  const char* op = binary_ops().find(n.op_type())->second;
  const bool mean = n.op_type() == "Mean";
  if (in.size() == 1 && !mean) {
    ctx.set_tensor(n.output(0), in[0]);
    return Status::ok();
  }
  if (mean && !ir::is_float(ctx.graph.tensor(in[0]).dtype))
    return n.unsupported("Mean of integers");
  ir::TensorId acc = in[0];
  const size_t end = mean ? in.size() : in.size() - 1;  // the last op is emitted as main
  for (size_t i = 1; i < end; ++i) {
    const std::string k = "_" + std::to_string(i);
    OQNN_ASSIGN_OR_RETURN(acc, ctx.emit(ctx.aux_node_name(n.name() + k), op, {acc, in[i]}, {},
                                        ctx.aux_tensor_name(n.output(0) + k)));
  }
  if (!mean) return emit_main(ctx, n, op, {acc, in.back()}, {});
  const std::vector<double> count_v{static_cast<double>(in.size())};
  ir::TensorId count = ctx.add_static(ctx.aux_tensor_name(n.name() + "_count"),
                                      make_const_doubles(ir::DataType::kFloat32, {}, count_v));
  return emit_main(ctx, n, "ElementWiseDivide", {acc, count}, {});
}

Status translate_reciprocal(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  if (!ir::is_float(ctx.graph.tensor(x).dtype)) return n.unsupported("Reciprocal of integers");
  const std::vector<double> one_v{1.0};
  ir::TensorId one = ctx.add_static(ctx.aux_tensor_name(n.name() + "_one"),
                                    make_const_doubles(ir::DataType::kFloat32, {}, one_v));
  return emit_main(ctx, n, "ElementWiseDivide", {one, x}, {});
}

Status translate_mod(ImportContext& ctx, const OnnxNode& n) {
  int64_t fmod = n.attr_int("fmod", 0);
  if (fmod != 0 && fmod != 1) return n.bad_input("fmod must be 0 or 1");
  if (n.num_inputs() != 2) return n.bad_input("needs 2 inputs");
  OQNN_ASSIGN_OR_RETURN(auto in, same_type_inputs(ctx, n, 0));
  return emit_main(ctx, n, fmod ? "ElementWiseFmod" : "ElementWiseMod", in, {});
}

Status check_bit_shift(const OnnxNode& n) {
  std::string d = n.attr_string("direction", "");
  if (d != "LEFT" && d != "RIGHT") return n.bad_input("direction '" + d + "' is not LEFT or RIGHT");
  return Status::ok();
}

Status translate_bit_shift(ImportContext& ctx, const OnnxNode& n) {
  OQNN_RETURN_IF_ERROR(check_bit_shift(n));
  if (n.num_inputs() != 2) return n.bad_input("needs 2 inputs");
  OQNN_ASSIGN_OR_RETURN(auto in, same_type_inputs(ctx, n, 0));
  const bool left = n.attr_string("direction", "") == "LEFT";
  return emit_main(ctx, n, left ? "ElementWiseShiftLeft" : "ElementWiseShiftRight", in, {});
}

Expected<ir::TensorId> emit_cast(ImportContext& ctx, const OnnxNode& n, ir::TensorId x,
                                 ir::DataType to, const std::string& out_name) {
  ir::Params p;
  p.set("to", std::string(ir::dtype_name(to)));
  return ctx.emit(ctx.aux_node_name(n.name() + "_cast"), "Cast", {x}, std::move(p), out_name);
}

// ONNX Pow may mix types; the result has the base's type. A float base takes the exponent
// as float; an integer base with a float exponent is computed in float and truncated back,
// as numpy's power(...).astype(base type) does.
Status translate_pow(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId x, input_tensor(ctx, n, 0));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, input_tensor(ctx, n, 1));
  const ir::DataType xt = ctx.graph.tensor(x).dtype, yt = ctx.graph.tensor(y).dtype;
  if (xt == yt) return emit_main(ctx, n, "ElementWisePower", {x, y}, {});
  if (ir::is_float(xt)) {
    OQNN_ASSIGN_OR_RETURN(y, emit_cast(ctx, n, y, xt, ctx.aux_tensor_name(n.input(1) + "_f")));
    return emit_main(ctx, n, "ElementWisePower", {x, y}, {});
  }
  OQNN_ASSIGN_OR_RETURN(ir::TensorId xf,
                        emit_cast(ctx, n, x, yt, ctx.aux_tensor_name(n.input(0) + "_f")));
  OQNN_ASSIGN_OR_RETURN(ir::TensorId pf,
                        ctx.emit(ctx.aux_node_name(n.name() + "_pow"), "ElementWisePower", {xf, y},
                                 {}, ctx.aux_tensor_name(n.output(0) + "_f")));
  ir::Params p;
  p.set("to", std::string(ir::dtype_name(xt)));
  return emit_main(ctx, n, "Cast", {pf}, std::move(p));
}

Status translate_where(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId c, input_tensor(ctx, n, 0));
  if (ctx.graph.tensor(c).dtype != ir::DataType::kBool) return n.bad_input("condition is not bool");
  if (n.num_inputs() != 3) return n.bad_input("needs 3 inputs");
  OQNN_ASSIGN_OR_RETURN(auto in, same_type_inputs(ctx, n, 1));
  return emit_main(ctx, n, "ElementWiseSelect", {c, in[0], in[1]}, {});
}

}  // namespace

void register_elementwise_translators(std::vector<Translator>& out) {
  for (const char* op :
       {"Add", "Sub", "Mul", "Div", "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual",
        "And", "Or", "Xor", "BitwiseAnd", "BitwiseOr", "BitwiseXor"})
    out.push_back({op, translate_binary});
  for (const char* op : {"Max", "Min", "Sum", "Mean"}) out.push_back({op, translate_variadic});
  out.push_back({"Reciprocal", translate_reciprocal});
  out.push_back({"Mod", translate_mod});
  out.push_back({"Pow", translate_pow});
  out.push_back({"Where", translate_where});
  out.push_back({"BitShift", translate_bit_shift, check_bit_shift});
}

}  // namespace oqnn::onnx_import
