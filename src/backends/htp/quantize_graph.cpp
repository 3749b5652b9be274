#include "backends/htp/quantize_graph.h"

#include <cmath>

#include "backends/htp/capabilities.h"
#include "backends/htp/ref/qtensor.h"
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

}  // namespace

Status check_encodings(ir::Graph& g) {
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
        !is_unquantized_dtype(ten.dtype))
      return unsupported("tensor '" + ten.name + "' is " + std::string(ir::dtype_name(ten.dtype)) +
                         " without a quantization encoding; the htp backend runs quantized "
                         "activations, int32 and bool tensors only");
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
    if (!used[i] || t.is_static() || is_unquantized(t)) continue;
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
