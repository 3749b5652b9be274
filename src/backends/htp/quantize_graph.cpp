#include "backends/htp/quantize_graph.h"

#include <cmath>

#include "backends/htp/capabilities.h"
#include "backends/htp/ref/qtensor.h"
#include "ir/affine_quant.h"
#include "ir/op_def.h"
#include "ir/verifier.h"

namespace oqnn::htp {
namespace {

constexpr size_t kMaxListed = 5;

std::vector<bool> referenced_tensors(const ir::Graph& g) {
  std::vector<bool> used(g.tensors.size(), false);
  for (const ir::Node& n : g.nodes) {
    for (ir::TensorId t : n.inputs)
      if (t >= 0) used[static_cast<size_t>(t)] = true;
    for (ir::TensorId t : n.outputs) used[static_cast<size_t>(t)] = true;
  }
  for (ir::TensorId t : g.inputs) used[static_cast<size_t>(t)] = true;
  for (ir::TensorId t : g.outputs) used[static_cast<size_t>(t)] = true;
  return used;
}

Status check_ops(const ir::Graph& g) {
  for (const ir::Node& n : g.nodes)
    if (!supports_op(n.op))
      return unsupported(
          "node '" + n.name + "': op '" + n.op + "' is not supported by the HTP backend",
          {"run this part of the graph on the CPU backend (--backend libQnnCpu.so)"});
  return Status::ok();
}

// Re-expresses `e` as the unsigned encoding the HTP stores activations in.
Expected<ir::Encoding> activation_encoding(const ir::Tensor& t, const QuantizeOptions& o) {
  ir::Encoding e = *t.encoding;
  if (e.per_axis() || e.scale.size() != 1 || e.offset.size() != 1)
    return unsupported("tensor '" + t.name +
                       "': per-axis encodings are supported on weights only, not activations");
  if (!std::isfinite(e.scale[0]) || e.scale[0] <= 0.0)
    return bad_input("tensor '" + t.name + "': encoding scale must be positive and finite");
  if (e.bitwidth != 8 && e.bitwidth != 16)
    return unsupported("tensor '" + t.name + "': " + std::to_string(e.bitwidth) +
                       "-bit activations are not supported on HTP (8 or 16)");
  if (e.is_signed) {
    // q_signed = q_unsigned - 2^(bw-1): same reals, offset moves by the same amount.
    e.offset[0] -= int32_t{1} << (e.bitwidth - 1);
    e.is_signed = false;
  }
  e.symmetric = false;
  if (o.widen_activations_to_16 && e.bitwidth == 8) {
    // 65535 = 255 * 257: the same range on a 257x finer grid; zero stays exact.
    e.bitwidth = 16;
    e.scale[0] /= 257.0;
    e.offset[0] *= 257;
  }
  return e;
}

// The encoding of the codes a Quantize writes or a Dequantize reads: the node's scale and
// zero point, per tensor (8- or 16-bit codes); unsupported otherwise (the cpu runs those).
Expected<ir::Encoding> codes_encoding(const ir::Graph& g, const ir::Node& n) {
  const ir::TensorId codes = n.op == "Quantize" ? n.outputs[0] : n.inputs[0];
  auto e = ir::affine_encoding(ir::affine_quant_from(n.params), g.tensor(codes).dtype);
  if (!e)
    return unsupported("node '" + n.name + "' (" + n.op + "): the HTP runs " + n.op +
                       " per tensor with 8- or 16-bit codes, not per axis, blocked or int32");
  return *e;
}

}  // namespace

Expected<std::vector<bool>> integer_codes(const ir::Graph& g) {
  std::vector<bool> codes(g.tensors.size(), false);
  for (const ir::Node& n : g.nodes)
    for (const auto* ids : {&n.inputs, &n.outputs})
      for (ir::TensorId t : *ids)
        if (t >= 0 && codes_of(n, t) && is_integer_codes(g.tensor(t)))
          codes[static_cast<size_t>(t)] = true;
  for (const ir::Node& n : g.nodes)
    for (const auto* ids : {&n.inputs, &n.outputs})
      for (ir::TensorId t : *ids)
        if (t >= 0 && codes[static_cast<size_t>(t)] && !codes_of(n, t))
          return unsupported("node '" + n.name + "' (" + n.op + "): tensor '" + g.tensor(t).name +
                             "' holds integer codes (" +
                             std::string(ir::dtype_name(g.tensor(t).dtype)) +
                             "), which the HTP reads only in a Dequantize");
  return codes;
}

Status check_encodings(ir::Graph& g) {
  OQNN_ASSIGN_OR_RETURN(const std::vector<bool> codes, integer_codes(g));
  for (const ir::Node& n : g.nodes) {
    if (n.op != "Quantize" && n.op != "Dequantize") continue;
    OQNN_ASSIGN_OR_RETURN(ir::Encoding e, codes_encoding(g, n));
    // Without an input encoding there are no HTP codes to map (the cpu quantizes the floats).
    const ir::Tensor& in = g.tensor(n.inputs[0]);
    if (n.op == "Quantize" && !in.encoding)
      return unsupported("node '" + n.name + "' (Quantize): input '" + in.name +
                             "' has no encoding to quantize from",
                         {"calibrate it (--input_list) to run the Quantize on the htp"});
    // A Dequantize's output keeps its codes' grid unless a quantizer chose another.
    ir::Tensor& out = g.tensor(n.outputs[0]);
    if (n.op == "Dequantize" && !out.encoding) out.encoding = std::move(e);
  }
  for (const ir::Node& n : g.nodes) {
    const ir::OpDef* def = ir::find_op(n.op);
    if (!def || !def->value_preserving || n.inputs.empty() || n.inputs[0] < 0) continue;
    const ir::Tensor& in = g.tensor(n.inputs[0]);
    for (ir::TensorId t : n.outputs)
      if (!g.tensor(t).encoding && in.encoding && !in.is_static())
        g.tensor(t).encoding = in.encoding;  // same values, same encoding (DESIGN §4)
  }
  const std::vector<bool> used = referenced_tensors(g);
  // Integer and bool values (indices, masks) are not quantized activations: int32 and bool
  // keep their dtype (is_unquantized); the HTP runs no other integer dtype as plain values
  // (those go to the CPU by fallback when the context generator allows it).
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const ir::Tensor& ten = g.tensors[t];
    if (used[t] && !ten.is_static() && !ten.encoding && !ir::is_float(ten.dtype) &&
        !is_unquantized_dtype(ten.dtype) && !codes[t])
      return unsupported("tensor '" + ten.name + "' is " + std::string(ir::dtype_name(ten.dtype)) +
                         " without a quantization encoding; the htp backend runs quantized "
                         "activations, int32 and bool tensors (and a Quantize's or "
                         "Dequantize's integer codes) only");
  }
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const ir::Tensor& ten = g.tensors[t];
    if (used[t] && !ten.is_static() && ten.dtype == ir::DataType::kFloat16)
      return unsupported("tensor '" + ten.name +
                         "' is float16; the htp backend runs float32 models quantized (a "
                         "float16 graph input or output and its Cast run on the cpu)");
  }
  std::vector<std::string> missing;
  for (size_t t = 0; t < g.tensors.size(); ++t)
    if (used[t] && !g.tensors[t].is_static() && !g.tensors[t].encoding &&
        ir::is_float(g.tensors[t].dtype))
      missing.push_back(g.tensors[t].name);
  if (missing.empty()) return Status::ok();
  std::string list;
  for (size_t i = 0; i < missing.size() && i < kMaxListed; ++i)
    list += (i ? ", '" : "'") + missing[i] + "'";
  if (missing.size() > kMaxListed)
    list += " and " + std::to_string(missing.size() - kMaxListed) + " more";
  return bad_input(
      "graph '" + g.name + "': HTP runs quantized, but " + std::to_string(missing.size()) +
          (missing.size() == 1 ? " tensor has" : " tensors have") +
          " no quantization encoding: " + list,
      {"pass --input_list to qnn-context-binary-generator to calibrate them",
       "or quantize at conversion: qnn-onnx-converter --input_list / --quantization_overrides"});
}

Status quantize_activations(ir::Graph& g, const QuantizeOptions& options) {
  const std::vector<bool> used = referenced_tensors(g);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    ir::Tensor& t = g.tensors[i];
    if (!used[i] || t.is_static() || is_unquantized(t) || is_integer_codes(t)) continue;
    OQNN_ASSIGN_OR_RETURN(ir::Encoding e, activation_encoding(t, options));
    const ir::DataType dt = e.bitwidth == 8 ? ir::DataType::kUInt8 : ir::DataType::kUInt16;
    if (t.dtype != ir::DataType::kFloat32 && t.dtype != dt)
      return unsupported("tensor '" + t.name + "' is " + std::string(ir::dtype_name(t.dtype)) +
                         "; HTP activations are float32 in the model, quantized at finalize");
    t.dtype = dt;
    t.encoding = std::move(e);
  }
  return Status::ok();
}

Expected<ir::Graph> quantize_graph(ir::Graph g, const QuantizeOptions& options) {
  OQNN_RETURN_IF_ERROR(ir::verify(g));
  OQNN_RETURN_IF_ERROR(check_ops(g));
  OQNN_RETURN_IF_ERROR(check_encodings(g));
  OQNN_RETURN_IF_ERROR(quantize_activations(g, options));
  OQNN_RETURN_IF_ERROR(quantize_static_operands(g));
  g.remove_unused_tensors();
  OQNN_RETURN_IF_ERROR(ir::verify(g));
  return g;
}

}  // namespace oqnn::htp
