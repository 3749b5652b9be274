// Gemm and MatMul. A constant right-hand side on a 2-D left side becomes FullyConnected
// (weight [cout, k], Gemm's alpha folded into it and a per-output C folded into its bias);
// everything else is MatMul followed by the element-wise ops Gemm's formula needs.
#include "onnx/translators.h"

namespace oqnn::onnx_import {
namespace {

ConstTensor transpose_2d(const ConstTensor& w, double alpha) {
  int64_t rows = w.shape[0], cols = w.shape[1];
  const auto* src = reinterpret_cast<const float*>(w.data->data());  // float32, aligned
  std::vector<std::byte> bytes(w.byte_size());
  auto* dst = reinterpret_cast<float*>(bytes.data());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c) {
      float v = src[r * cols + c];
      dst[c * rows + r] = alpha == 1.0 ? v : static_cast<float>(alpha * v);
    }
  return make_const_bytes(ir::DataType::kFloat32, {cols, rows}, std::move(bytes));
}

ConstTensor scaled(const ConstTensor& c, double k, ir::Shape shape) {
  std::vector<float> v = to_floats(c);
  std::vector<std::byte> bytes(static_cast<size_t>(ir::num_elements(shape)) * sizeof(float));
  auto* dst = reinterpret_cast<float*>(bytes.data());
  for (size_t i = 0; i < bytes.size() / sizeof(float); ++i)
    dst[i] = static_cast<float>(k * v[v.size() == 1 ? 0 : i]);  // one value broadcasts
  return make_const_bytes(ir::DataType::kFloat32, std::move(shape), std::move(bytes));
}

// Emits a chain of IR ops for one ONNX node: the first is named after the node, the rest
// get derived names; the last output carries the ONNX output name.
class Chain {
 public:
  Chain(ImportContext& ctx, const OnnxNode& n, int steps) : ctx_(ctx), n_(n), left_(steps) {}
  Expected<ir::TensorId> step(const std::string& op, std::vector<ir::TensorId> in,
                              ir::Params p = {}) {
    bool first = !started_, last = --left_ == 0;
    started_ = true;
    std::string node = first ? n_.name() : ctx_.aux_node_name(n_.name() + "_" + op);
    std::string out = last ? n_.output(0) : ctx_.aux_tensor_name(n_.output(0) + "_" + op);
    OQNN_ASSIGN_OR_RETURN(ir::TensorId t, ctx_.emit(node, op, std::move(in), std::move(p), out));
    if (last) ctx_.set_tensor(n_.output(0), t);
    return t;
  }

 private:
  ImportContext& ctx_;
  const OnnxNode& n_;
  int left_;
  bool started_ = false;
};

ir::TensorId scalar_static(ImportContext& ctx, const OnnxNode& n, const char* what, double v) {
  std::vector<double> d{v};
  return ctx.add_static(ctx.aux_tensor_name(n.name() + "_" + what),
                        make_const_doubles(ir::DataType::kFloat32, {1}, d));
}

Status translate_gemm(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId a, input_tensor(ctx, n, 0));
  if (!n.has_input(1)) return n.bad_input("input B is missing");
  ir::Shape as = ctx.graph.tensor(a).shape, bs = ctx.shape_of(n.input(1));
  if (as.size() != 2 || bs.size() != 2)
    return n.bad_input("A and B must be 2-D, got " + ir::shape_str(as) + " and " +
                       ir::shape_str(bs));
  double alpha = n.attr_float("alpha", 1.0), beta = n.attr_float("beta", 1.0);
  bool ta = n.attr_int("transA", 0) != 0, tb = n.attr_int("transB", 0) != 0;
  int64_t cout = tb ? bs[0] : bs[1];
  const ConstTensor* b_const = ctx.const_of(n.input(1));
  const ConstTensor* c_const = n.has_input(2) ? ctx.const_of(n.input(2)) : nullptr;
  bool fc = b_const && b_const->dtype == ir::DataType::kFloat32;
  // C folds into the FC bias when it is the same for every row: [N], [1, N] or a scalar.
  bool c_in_bias =
      fc && c_const && c_const->dtype == ir::DataType::kFloat32 &&
      (c_const->numel() == 1 || (c_const->numel() == cout && c_const->shape.back() == cout));
  bool c_after = n.has_input(2) && beta != 0.0 && !c_in_bias;
  bool c_scale = c_after && beta != 1.0 && !c_const;
  int steps = 1 + (!fc && alpha != 1.0 ? 1 : 0) + (c_after ? 1 : 0);
  Chain chain(ctx, n, steps);
  ir::TensorId y;
  if (fc) {
    ir::TensorId w = tb && alpha == 1.0
                         ? ctx.tensor_of(n.input(1))
                         : ctx.add_static(n.input(1), tb ? scaled(*b_const, alpha, bs)
                                                         : transpose_2d(*b_const, alpha));
    if (ta) {
      ir::Params p;
      p.set("perm", std::vector<int64_t>{1, 0});
      OQNN_ASSIGN_OR_RETURN(
          a, ctx.emit(ctx.aux_node_name(n.name() + "_transpose_a"), "Transpose", {a}, std::move(p),
                      ctx.aux_tensor_name(ctx.graph.tensor(a).name + "_t")));
    }
    std::vector<ir::TensorId> in{a, w};
    if (c_in_bias && beta != 0.0)
      in.push_back(beta == 1.0 && c_const->numel() == cout && c_const->shape.size() == 1
                       ? ctx.tensor_of(n.input(2))
                       : ctx.add_static(n.input(2), scaled(*c_const, beta, {cout})));
    OQNN_ASSIGN_OR_RETURN(y, chain.step("FullyConnected", std::move(in)));
  } else {
    OQNN_ASSIGN_OR_RETURN(ir::TensorId b, input_tensor(ctx, n, 1));
    ir::Params p;
    p.set("transpose_in0", int64_t{ta});
    p.set("transpose_in1", int64_t{tb});
    OQNN_ASSIGN_OR_RETURN(y, chain.step("MatMul", {a, b}, std::move(p)));
    if (alpha != 1.0) {
      OQNN_ASSIGN_OR_RETURN(
          y, chain.step("ElementWiseMultiply", {y, scalar_static(ctx, n, "alpha", alpha)}));
    }
  }
  if (c_after) {
    ir::TensorId c;
    if (c_const && beta != 1.0) {
      c = ctx.add_static(n.input(2), scaled(*c_const, beta, c_const->shape));
    } else {
      OQNN_ASSIGN_OR_RETURN(c, input_tensor(ctx, n, 2));
    }
    if (c_scale) {
      // beta * C on a run-time C: one more op, named apart from the chain.
      OQNN_ASSIGN_OR_RETURN(c,
                            ctx.emit(ctx.aux_node_name(n.name() + "_beta"), "ElementWiseMultiply",
                                     {c, scalar_static(ctx, n, "beta", beta)}, {},
                                     ctx.aux_tensor_name(n.output(0) + "_beta_c")));
    }
    OQNN_ASSIGN_OR_RETURN(y, chain.step("ElementWiseAdd", {y, c}));
  }
  return Status::ok();
}

Status translate_matmul(ImportContext& ctx, const OnnxNode& n) {
  OQNN_ASSIGN_OR_RETURN(ir::TensorId a, input_tensor(ctx, n, 0));
  if (!n.has_input(1)) return n.bad_input("input B is missing");
  ir::Shape as = ctx.graph.tensor(a).shape, bs = ctx.shape_of(n.input(1));
  const ConstTensor* b_const = ctx.const_of(n.input(1));
  if (as.size() == 2 && bs.size() == 2 && b_const && b_const->dtype == ir::DataType::kFloat32) {
    ir::TensorId w = ctx.add_static(n.input(1), transpose_2d(*b_const, 1.0));
    return emit_main(ctx, n, "FullyConnected", {a, w}, {});
  }
  if (as.empty() || bs.empty()) return n.bad_input("inputs must have rank >= 1");
  OQNN_ASSIGN_OR_RETURN(ir::TensorId b, input_tensor(ctx, n, 1));
  // ONNX promotes 1-D operands to matrices and drops the added dimension afterwards.
  bool a1 = as.size() == 1, b1 = bs.size() == 1;
  Chain chain(ctx, n, 1 + (a1 || b1 ? 1 : 0));
  auto reshape = [&](ir::TensorId t, ir::Shape s, const char* tag) {
    ir::Params p;
    p.set("shape", std::move(s));
    return ctx.emit(ctx.aux_node_name(n.name() + "_" + tag), "Reshape", {t}, std::move(p),
                    ctx.aux_tensor_name(ctx.graph.tensor(t).name + "_2d"));
  };
  if (a1) {
    OQNN_ASSIGN_OR_RETURN(a, reshape(a, {1, as[0]}, "a_2d"));
  }
  if (b1) {
    OQNN_ASSIGN_OR_RETURN(b, reshape(b, {bs[0], 1}, "b_2d"));
  }
  OQNN_ASSIGN_OR_RETURN(ir::TensorId y, chain.step("MatMul", {a, b}));
  if (a1 || b1) {
    ir::Shape s = ctx.graph.tensor(y).shape;
    if (b1) s.pop_back();
    if (a1) s.erase(s.end() - (b1 ? 1 : 2));
    ir::Params p;
    p.set("shape", s);
    OQNN_ASSIGN_OR_RETURN(y, chain.step("Reshape", {y}, std::move(p)));
  }
  return Status::ok();
}

}  // namespace

void register_linear_translators(std::vector<Translator>& out) {
  out.push_back({"Gemm", translate_gemm});
  out.push_back({"MatMul", translate_matmul});
}

}  // namespace oqnn::onnx_import
