// Element-wise ops: every op of the table in eltwise_ops.h (binary and comparisons with
// numpy broadcasting, unary math and activations, Select, Cast), lowered to the kernel
// variant of the tensors' dtypes, and channel-last Batchnorm.
#include <string_view>

#include "backends/gpu/eltwise_ops.h"
#include "backends/gpu/lowering.h"
#include "ir/affine_quant.h"

namespace oqnn::gpu {
namespace {

struct EltwiseOp {
  std::string_view op;
  EltwiseFamily family;
  int code;
  uint8_t dtypes;  // kDt* bits of the input dtypes its kernels handle
};

#define OQNN_GPU_ELTWISE_ENTRY(op, family, code, dtypes, note) \
  {op, EltwiseFamily::family, code, kEltwise##dtypes},
constexpr EltwiseOp kEltwiseOps[] = {OQNN_GPU_ELTWISE_OPS(OQNN_GPU_ELTWISE_ENTRY)};
#undef OQNN_GPU_ELTWISE_ENTRY

const EltwiseOp* find_eltwise(std::string_view op) {
  for (const EltwiseOp& e : kEltwiseOps)
    if (e.op == op) return &e;
  return nullptr;
}

// The kernels' dtype suffix and kDt* bit; float16 statics are float tensors too.
struct DtypeVariant {
  const char* suffix;
  uint8_t bit;
};
DtypeVariant variant(ir::DataType dt) {
  switch (dt) {
    case ir::DataType::kInt32:
      return {"i32", kDtI32};
    case ir::DataType::kInt16:
      return {"i16", kDtI16};
    case ir::DataType::kUInt16:
      return {"u16", kDtU16};
    case ir::DataType::kInt8:
      return {"i8", kDtI8};
    case ir::DataType::kUInt8:
      return {"u8", kDtU8};
    case ir::DataType::kBool:
      return {"b", kDtBool};
    case ir::DataType::kFloat32:
    case ir::DataType::kFloat16:
      return {"f", kDtF};
    default:
      return {"", 0};
  }
}

ir::DataType dtype_of(const NodeLowering& l, ir::TensorId t) {
  return l.graph.tensor(t).dtype;
}

std::string where(const ir::Node& n) {
  return "node '" + n.name + "' (" + n.op + ")";
}

// The variant of the tensor at `t`, which must be one the op's kernels handle.
Expected<DtypeVariant> checked_variant(const NodeLowering& l, const ir::Node& n, const EltwiseOp& e,
                                       ir::TensorId t) {
  DtypeVariant v = variant(dtype_of(l, t));
  if (!(v.bit & e.dtypes))
    return unsupported(where(n) + ": tensor '" + l.graph.tensor(t).name + "' is " +
                       std::string(ir::dtype_name(dtype_of(l, t))) +
                       "; the gpu backend runs this op on other types only");
  return v;
}

// Inputs `first..first+count-1` must share one variant (float16 statics count as float).
Status same_variant(const NodeLowering& l, const ir::Node& n, size_t first, size_t count) {
  for (size_t i = first + 1; i < first + count; ++i)
    if (std::string_view(variant(dtype_of(l, n.inputs[i])).suffix) !=
        variant(dtype_of(l, n.inputs[first])).suffix)
      return bad_input(where(n) + ": inputs differ in type");
  return Status::ok();
}

// Strides of `s` over the output dimensions of rank `rank` (0 where `s` is broadcast).
std::vector<int64_t> broadcast_strides(const ir::Shape& s, size_t rank) {
  std::vector<int64_t> rm = row_major_strides(s), out(rank, 0);
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] != 1) out[rank - s.size() + i] = rm[i];
  return out;
}

// A broadcast launch over the output: buffers of every input then the output, `leading`
// scalar arguments, then rank, dims, one stride vector per input and the element count.
Status lower_broadcast(NodeLowering& l, const ir::Node& n, std::string kernel,
                       std::vector<KernelArg> leading) {
  const ir::Shape& y = l.graph.tensor(n.outputs[0]).shape;
  Walk walk{y, {}};
  for (ir::TensorId t : n.inputs)
    walk.strides.push_back(broadcast_strides(l.graph.tensor(t).shape, y.size()));
  walk = collapse(std::move(walk));
  OQNN_RETURN_IF_ERROR(check_rank(n, walk));
  const int64_t total = ir::num_elements(y);
  Launch k;
  k.kernel = std::move(kernel);
  for (ir::TensorId t : n.inputs) k.args.push_back(arg_buffer(l.buffer(t)));
  k.args.push_back(arg_buffer(l.buffer(n.outputs[0])));
  for (KernelArg& a : leading) k.args.push_back(a);
  k.args.push_back(arg_int(static_cast<int64_t>(walk.dims.size())));
  k.args.push_back(arg_int8(walk.dims));
  for (const auto& s : walk.strides) k.args.push_back(arg_int8(s));
  k.args.push_back(arg_int(total));
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// Launches `kernel` over the output's elements with (input, output, leading..., total).
void lower_map(NodeLowering& l, const ir::Node& n, std::string kernel,
               std::vector<KernelArg> leading) {
  const int64_t total = elements(l.graph, n.outputs[0]);
  Launch k;
  k.kernel = std::move(kernel);
  k.args = {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(l.buffer(n.outputs[0]))};
  for (KernelArg& a : leading) k.args.push_back(a);
  k.args.push_back(arg_int(total));
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
}

// The unary code and its two float parameters, with the CPU reference's defaults.
struct UnaryArgs {
  int code;
  double p0 = 0, p1 = 0;
};
Expected<UnaryArgs> unary_args(const ir::Node& n, int code) {
  const ir::Params& p = n.params;
  if (n.op == "ReluMinMax")
    return UnaryArgs{code, p.get_float("min_value"), p.get_float("max_value")};
  if (n.op == "ElementWiseNeuron") {
    std::string op = p.get_string("operation");
    if (op != "hard_sigmoid")
      return unsupported(where(n) + ": operation '" + op + "' is not supported by the gpu backend");
    return UnaryArgs{code, p.get_float("alpha", 0.2), p.get_float("beta", 0.5)};  // ONNX's
  }
  if (n.op == "Elu" || n.op == "ThresholdedRelu") return UnaryArgs{code, p.get_float("alpha", 1.0)};
  if (n.op == "Celu") {
    const double alpha = p.get_float("alpha", 1.0);
    if (alpha == 0.0) return bad_input(where(n) + ": alpha must not be 0");
    return UnaryArgs{code, alpha};
  }
  if (n.op == "Selu")
    return UnaryArgs{code, p.get_float("alpha", 1.67326319217681884765625),
                     p.get_float("gamma", 1.05070102214813232421875)};
  if (n.op == "Gelu") {
    std::string a = p.get_string("approximate", "none");
    if (a != "none" && a != "tanh")
      return bad_input(where(n) + ": approximate '" + a + "' is not none or tanh");
    return UnaryArgs{a == "tanh" ? kGeluTanhCode : code};
  }
  if (n.op == "ElementWiseIsInf")
    return UnaryArgs{code, p.get_int("detect_negative", 1) != 0 ? 1.0 : 0.0,
                     p.get_int("detect_positive", 1) != 0 ? 1.0 : 0.0};
  return UnaryArgs{code};
}

Status lower_eltwise(NodeLowering& l, const ir::Node& n) {
  const EltwiseOp* e = find_eltwise(n.op);
  if (!e) return internal_error(where(n) + ": not in the gpu element-wise table");
  // Select's condition is bool in every row; its values decide the variant.
  const size_t first = e->family == EltwiseFamily::kSelect ? 1 : 0;
  OQNN_ASSIGN_OR_RETURN(DtypeVariant v, checked_variant(l, n, *e, n.inputs[first]));
  const std::string sfx = v.suffix;
  switch (e->family) {
    case EltwiseFamily::kBinary:
    case EltwiseFamily::kCompare:
      OQNN_RETURN_IF_ERROR(same_variant(l, n, 0, 2));
      return lower_broadcast(
          l, n,
          (e->family == EltwiseFamily::kBinary ? "eltwise_binary_" : "eltwise_compare_") + sfx,
          {arg_int(e->code)});
    case EltwiseFamily::kSelect: {
      OQNN_RETURN_IF_ERROR(same_variant(l, n, 1, 2));
      if (dtype_of(l, n.inputs[0]) != ir::DataType::kBool)
        return bad_input(where(n) + ": the condition is not bool");
      const ir::DataType dt = dtype_of(l, n.inputs[1]);
      return lower_broadcast(l, n,
                             ir::is_float(dt)
                                 ? std::string("eltwise_select")
                                 : "eltwise_select_" + std::to_string(ir::dtype_size(dt)),
                             {});
    }
    case EltwiseFamily::kCast: {
      DtypeVariant to = variant(dtype_of(l, n.outputs[0]));
      if (!to.bit)
        return unsupported(where(n) + ": cannot cast to " +
                           std::string(ir::dtype_name(dtype_of(l, n.outputs[0]))));
      lower_map(l, n, "cast_" + sfx + "_" + to.suffix, {});
      return Status::ok();
    }
    case EltwiseFamily::kUnary:
    case EltwiseFamily::kToBool: {
      OQNN_ASSIGN_OR_RETURN(UnaryArgs a, unary_args(n, e->code));
      lower_map(l, n, "eltwise_unary_" + sfx + (e->family == EltwiseFamily::kToBool ? "_b" : ""),
                {arg_int(a.code), arg_float(a.p0), arg_float(a.p1)});
      return Status::ok();
    }
  }
  return internal_error(where(n) + ": unknown element-wise family");
}

Status lower_batchnorm(NodeLowering& l, const ir::Node& n) {
  const ir::Shape& x = l.graph.tensor(n.inputs[0]).shape;
  int64_t total = ir::num_elements(x);
  Launch k;
  k.kernel = "batchnorm_channel_last";
  k.args = {arg_buffer(l.buffer(n.inputs[0])),
            arg_buffer(l.buffer(n.inputs[1])),
            arg_buffer(l.buffer(n.inputs[2])),
            arg_buffer(l.buffer(n.outputs[0])),
            arg_int(x.back()),
            arg_int(total)};
  k.global = {static_cast<size_t>(total), 1, 1};
  l.launches.push_back(std::move(k));
  return Status::ok();
}

// Dequantize: the parameters become two float32 buffers, where zero points are exact up to
// 2^24 (every 8- and 16-bit one; an int32 zero point beyond is refused).
Status lower_dequantize(NodeLowering& l, const ir::Node& n) {
  const ir::Tensor& x = l.graph.tensor(n.inputs[0]);
  ir::AffineQuant q = ir::affine_quant_from(n.params);
  std::string why = ir::check_affine_quant(q, x.shape, x.dtype);
  if (!why.empty()) return bad_input(where(n) + ": " + why);
  std::vector<float> zero;
  for (int64_t z : q.zero_point) {
    if (z < -(int64_t{1} << 24) || z > (int64_t{1} << 24))
      return unsupported(where(n) + ": zero point " + std::to_string(z) + " is too large");
    zero.push_back(static_cast<float>(z));
  }
  OQNN_ASSIGN_OR_RETURN(int scale_buf, l.constant(q.scale));
  OQNN_ASSIGN_OR_RETURN(int zero_buf, l.constant(std::move(zero)));
  ir::AffineIndex at(q, x.shape);
  lower_map(l, n, std::string("dequantize_") + variant(x.dtype).suffix,
            {arg_buffer(scale_buf), arg_buffer(zero_buf),
             arg_ints({at.dim(), at.inner(), at.block(), at.blocks()})});
  return Status::ok();
}

}  // namespace

void add_elementwise_lowerings(std::vector<LoweringEntry>& t) {
  for (const EltwiseOp& e : kEltwiseOps) t.push_back({e.op.data(), lower_eltwise});
  t.push_back({"Batchnorm", lower_batchnorm});
  t.push_back({"Dequantize", lower_dequantize});
}

}  // namespace oqnn::gpu
