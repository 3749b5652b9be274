#include <cstring>
#include <limits>

#include "backends/gpu/capabilities.h"
#include "backends/gpu/lowering.h"
#include "ir/graph.h"

namespace oqnn::gpu {
namespace {

bool in_capability_table(const std::string& op) {
  for (const OqnnOpCapability& c : kGpuCapabilities)
    if (op == c.op) return true;
  return false;
}

bool has_row(const std::string& op, ir::DataType dt) {
  for (const OqnnOpCapability& c : kGpuCapabilities)
    if (op == c.op && ir::dtype_name(dt) == c.dtype) return true;
  return false;
}

// The run-time dtypes a device buffer may hold: float32 (stored as fp16 or fp32), the
// integer types and bool in their own type (int64 never reaches a backend).
bool device_dtype(ir::DataType dt) {
  return dt != ir::DataType::kFloat16 && dt != ir::DataType::kInt64;
}

// Integer tensors with an encoding hold quantized values, which the gpu backend (a float
// backend) does not dequantize: refused rather than computed on as plain integers.
Status check_dtype(const std::string& what, const ir::Tensor& t) {
  if (!device_dtype(t.dtype) || (!ir::is_float(t.dtype) && t.encoding))
    return unsupported(what + " '" + t.name + "' is " + std::string(ir::dtype_name(t.dtype)) +
                       (t.encoding ? " (quantized)" : "") +
                       "; the gpu backend runs float32, int32, int16, uint16, int8, uint8 "
                       "and bool tensors");
  return Status::ok();
}

std::string where(const ir::Node& n) {
  return "node '" + n.name + "' (" + n.op + ")";
}

// An input must have a capability row for its dtype (float16 only as a static tensor,
// what fp16 plans store); outputs take the dtype the op's shape rule gives them.
Status check_tensor(const ir::Graph& g, const ir::Node& n, ir::TensorId id, bool input) {
  const ir::Tensor& t = g.tensor(id);
  if (!(t.is_static() && t.dtype == ir::DataType::kFloat16))
    OQNN_RETURN_IF_ERROR(check_dtype(where(n) + ": tensor", t));
  if (input && !has_row(n.op, t.dtype))
    return unsupported(where(n) + ": tensor '" + t.name + "' is " +
                           std::string(ir::dtype_name(t.dtype)) + "; the gpu backend runs " + n.op +
                           " on other types only",
                       {"run this node on the cpu backend"});
  if (t.shape.size() > 8)
    return unsupported(where(n) + ": tensor '" + t.name + "' has rank " +
                       std::to_string(t.shape.size()) + "; the gpu backend handles at most 8");
  int64_t elems = 1;
  for (int64_t d : t.shape) {
    if (d <= 0)
      return unsupported(where(n) + ": tensor '" + t.name + "' " + ir::shape_str(t.shape) +
                         " is empty");
    if (d > std::numeric_limits<int32_t>::max() / elems)
      return unsupported(where(n) + ": tensor '" + t.name + "' " + ir::shape_str(t.shape) +
                         " has more than 2^31-1 elements");
    elems *= d;
  }
  return Status::ok();
}

}  // namespace

Status check_gpu_graph(const ir::Graph& g) {
  std::vector<bool> written(g.tensors.size(), false);
  for (ir::TensorId t : g.inputs) {
    const ir::Tensor& ten = g.tensor(t);
    if (ten.is_static()) return unsupported("graph input '" + ten.name + "' is a static tensor");
    OQNN_RETURN_IF_ERROR(check_dtype("graph input", ten));
    written[t] = true;
  }
  for (ir::TensorId t : g.outputs) {
    if (g.tensor(t).is_static())
      return unsupported("graph output '" + g.tensor(t).name + "' must be an activation");
    OQNN_RETURN_IF_ERROR(check_dtype("graph output", g.tensor(t)));
  }
  for (const ir::Node& n : g.nodes) {
    if (!in_capability_table(n.op) || !find_lowering(n.op))
      return unsupported(where(n) + ": op '" + n.op + "' is not supported by the gpu backend",
                         {"run this node on the cpu backend"});
    for (ir::TensorId t : n.inputs) {
      if (t < 0) continue;
      OQNN_RETURN_IF_ERROR(check_tensor(g, n, t, true));
      if (!g.tensor(t).is_static() && !written[t])
        return bad_input(where(n) + ": input '" + g.tensor(t).name +
                         "' is neither a graph input, a static tensor nor written before");
    }
    for (ir::TensorId t : n.outputs) {
      OQNN_RETURN_IF_ERROR(check_tensor(g, n, t, false));
      if (g.tensor(t).is_static() || written[t])
        return bad_input(where(n) + ": output '" + g.tensor(t).name +
                         "' is a graph input, a static tensor, or written twice");
      written[t] = true;
    }
  }
  return Status::ok();
}

}  // namespace oqnn::gpu
