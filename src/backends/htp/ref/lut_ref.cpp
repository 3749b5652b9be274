// Unary ops by lookup table (lut_q_ref): at creation, every input code q is dequantized,
// passed through the op's real function in double precision, and quantized with the
// output encoding (round half away from zero) — 256 entries for uint8 inputs, 65536 for
// uint16. Running is one table read per element, so the result is exactly the float
// simulation of the op on the quantized grid. Covers Relu, ReluMinMax, Sigmoid,
// HardSwish, ElementWiseNeuron(hard_sigmoid), Prelu with a scalar static slope and
// ElementWiseDivide by a scalar static. Every other unary op of the op table (the
// ElementWise math ops, Tanh, Elu, Gelu, Softsign, ...) gets its table from the CPU
// reference kernel: the node is run once, float inside (float_inside_ref.cpp), over a
// tensor holding every input code, so entry q is the op's float32 value at the
// dequantized q quantized with the output encoding — the same bytes float inside would
// give element by element, at one table read per element. Quantize (to integer codes) and
// Dequantize (from them) get theirs the same way, the codes passing through float inside
// unchanged (signed codes index the table from their lowest value).
#include <algorithm>
#include <cmath>
#include <functional>

#include "backends/htp/ref/qtensor.h"
#include "backends/htp/ref/ref_kernels.h"

namespace oqnn::htp::ref {
namespace {

// Entry q - first is the output code of input code q (first: the lowest input code, below
// 0 for the signed integer codes a Dequantize reads).
class LutRef final : public rt::HostKernel {
 public:
  explicit LutRef(std::vector<int32_t> table, int32_t first = 0)
      : table_(std::move(table)), first_(first) {}

  Status run(std::span<const rt::HostTensor> in, std::span<const rt::HostTensor> out,
             const rt::KernelContext&) override {
    CodeReader x(in[0].data, in[0].info->dtype);
    CodeWriter y(out[0].data, out[0].info->dtype);
    const int64_t n = in[0].elements();
    for (int64_t i = 0; i < n; ++i) y.set(i, table_[static_cast<size_t>(x[i] - first_)]);
    return Status::ok();
  }

 private:
  std::vector<int32_t> table_;
  int32_t first_;
};

bool is_scalar_static(const ir::Graph& g, ir::TensorId t) {
  return t >= 0 && g.tensor(t).is_static() && ir::num_elements(g.tensor(t).shape) == 1;
}

// The real value of a scalar static operand, from its quantized code.
Expected<double> scalar_value(const ir::Graph& g, const ir::Node& n, ir::TensorId t) {
  const ir::Tensor& s = g.tensor(t);
  OQNN_ASSIGN_OR_RETURN(QParams q, qparams_of(s, n));
  return q.real(static_codes(s)[0]);
}

// The unary ops whose table comes from the CPU reference kernel (reference_table).
constexpr const char* kReferenceTableOps[] = {
    "ElementWiseAbs", "ElementWiseNeg", "ElementWiseSign", "ElementWiseFloor", "ElementWiseCeil",
    "ElementWiseRound", "ElementWiseExp", "ElementWiseLog", "ElementWiseSquareRoot",
    "ElementWiseErf", "ElementWiseSin", "ElementWiseCos", "ElementWiseTan", "ElementWiseAsin",
    "ElementWiseAcos", "ElementWiseAtan", "ElementWiseSinh", "ElementWiseCosh", "ElementWiseAsinh",
    "ElementWiseAcosh", "ElementWiseAtanh", "Tanh", "ElementWiseSoftplus", "Softsign", "Mish",
    "Elu", "Celu", "Selu", "ThresholdedRelu", "Gelu",
    // ONNX's rounding (half to even, float32)
    // from the CPU kernel itself: the codes the
    // CPU writes given the HTP's input.
    "Quantize", "Dequantize"};

bool uses_reference_table(const ir::Node& n) {
  for (const char* op : kReferenceTableOps)
    if (n.op == op) return true;
  return n.op == "ElementWiseNeuron" && n.params.get_string("operation") != "hard_sigmoid";
}

// Entry q - first: the node run float inside on a copy of itself over all `entries` codes
// from `first` on.
Expected<std::vector<int32_t>> reference_table(const ir::Graph& g, const ir::Node& n,
                                               size_t entries, int32_t first) {
  ir::Graph one;
  ir::Node node = n;
  ir::Tensor x = g.tensor(n.inputs[0]), y = g.tensor(n.outputs[0]);
  x.shape = y.shape = {static_cast<int64_t>(entries)};
  x.kind = ir::TensorKind::kInput;
  y.kind = ir::TensorKind::kOutput;
  node.inputs = {one.add_tensor(x)};
  node.outputs = {one.add_tensor(y)};
  one.inputs = node.inputs;
  one.outputs = node.outputs;
  one.nodes.push_back(node);
  OQNN_ASSIGN_OR_RETURN(KernelPtr k, make_float_inside(one, one.nodes[0]));
  std::vector<std::byte> codes(entries * ir::dtype_size(x.dtype));
  std::vector<std::byte> out(entries * ir::dtype_size(y.dtype));
  CodeWriter w(codes.data(), x.dtype);
  for (size_t q = 0; q < entries; ++q)
    w.set(static_cast<int64_t>(q), first + static_cast<int32_t>(q));
  const rt::HostTensor in_t{&one.tensor(node.inputs[0]), codes.data(), codes.size()};
  const rt::HostTensor out_t{&one.tensor(node.outputs[0]), out.data(), out.size()};
  OQNN_RETURN_IF_ERROR(k->run({&in_t, 1}, {&out_t, 1}, rt::KernelContext{nullptr}));
  std::vector<int32_t> table(entries);
  CodeReader r(out.data(), y.dtype);
  for (size_t q = 0; q < entries; ++q) table[q] = r[static_cast<int64_t>(q)];
  return table;
}

}  // namespace

bool lut_applies(const ir::Graph& g, const ir::Node& n) {
  static const char* const kUnary[] = {"Relu", "ReluMinMax", "Sigmoid", "HardSwish",
                                       "ElementWiseNeuron"};
  for (const char* op : kUnary)
    if (n.op == op) return true;
  if (uses_reference_table(n)) return true;
  if (n.op == "Prelu") return is_scalar_static(g, n.inputs[1]);
  if (n.op == "ElementWiseDivide")
    return is_scalar_static(g, n.inputs[1]) &&
           g.tensor(n.inputs[0]).shape == g.tensor(n.outputs[0]).shape;
  return false;
}

int32_t lut_first_code(ir::DataType input) {
  if (input == ir::DataType::kInt8) return -128;
  if (input == ir::DataType::kInt16) return -32768;
  return 0;
}

Expected<std::vector<int32_t>> lut_table(const ir::Graph& g, const ir::Node& n) {
  const ir::Tensor& tx = g.tensor(n.inputs[0]);
  const ir::Tensor& ty = g.tensor(n.outputs[0]);
  // 8- or 16-bit input codes (float inside checks the tensors).
  const bool wide = ir::dtype_size(tx.dtype) != 1;
  const size_t entries = wide ? 65536 : 256;
  if (uses_reference_table(n) && ir::dtype_size(tx.dtype) <= 2)
    return reference_table(g, n, entries, lut_first_code(tx.dtype));
  OQNN_ASSIGN_OR_RETURN(QParams x, activation_qparams(tx, n));
  OQNN_ASSIGN_OR_RETURN(QParams y, activation_qparams(ty, n));
  std::function<double(double)> f;
  const ir::Params& p = n.params;
  if (n.op == "Relu") {
    f = [](double v) { return std::max(v, 0.0); };
  } else if (n.op == "ReluMinMax") {
    const double lo = p.get_float("min_value"), hi = p.get_float("max_value");
    f = [lo, hi](double v) { return std::min(std::max(v, lo), hi); };
  } else if (n.op == "Sigmoid") {
    f = [](double v) { return 1.0 / (1.0 + std::exp(-v)); };
  } else if (n.op == "HardSwish") {
    f = [](double v) { return v * std::max(0.0, std::min(1.0, v / 6.0 + 0.5)); };
  } else if (n.op == "ElementWiseNeuron") {
    if (p.get_string("operation") != "hard_sigmoid")
      return unsupported("node '" + n.name + "': ElementWiseNeuron operation '" +
                         p.get_string("operation") + "' is not supported on HTP");
    // ONNX HardSigmoid defaults.
    const double alpha = p.get_float("alpha", 0.2), beta = p.get_float("beta", 0.5);
    f = [alpha, beta](double v) { return std::max(0.0, std::min(1.0, alpha * v + beta)); };
  } else if (n.op == "Prelu" && lut_applies(g, n)) {
    OQNN_ASSIGN_OR_RETURN(double slope, scalar_value(g, n, n.inputs[1]));
    f = [slope](double v) { return v >= 0.0 ? v : slope * v; };
  } else if (n.op == "ElementWiseDivide" && lut_applies(g, n)) {
    // x / 0 is +-inf (saturating to the output range) and 0 / 0 is 0 (see QParams::code).
    OQNN_ASSIGN_OR_RETURN(double d, scalar_value(g, n, n.inputs[1]));
    f = [d](double v) { return v / d; };
  } else {
    return internal_error("node '" + n.name + "': no lookup table for op " + n.op);
  }
  std::vector<int32_t> table(entries);
  for (size_t q = 0; q < entries; ++q) table[q] = y.code(f(x.real(static_cast<int32_t>(q))));
  return table;
}

Expected<KernelPtr> make_lut(const ir::Graph& g, const ir::Node& n) {
  OQNN_ASSIGN_OR_RETURN(std::vector<int32_t> table, lut_table(g, n));
  return KernelPtr(new LutRef(std::move(table), lut_first_code(g.tensor(n.inputs[0]).dtype)));
}

}  // namespace oqnn::htp::ref
