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

std::string where(const ir::Node& n) {
  return "node '" + n.name + "' (" + n.op + ")";
}

Status check_tensor(const ir::Graph& g, const ir::Node& n, ir::TensorId id) {
  const ir::Tensor& t = g.tensor(id);
  bool float_ok =
      t.dtype == ir::DataType::kFloat32 || (t.is_static() && t.dtype == ir::DataType::kFloat16);
  if (!float_ok)
    return unsupported(where(n) + ": tensor '" + t.name + "' is " +
                       std::string(ir::dtype_name(t.dtype)) +
                       "; the gpu backend runs float32 graphs (stored as fp16 on the device)");
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
    if (ten.is_static() || ten.dtype != ir::DataType::kFloat32)
      return unsupported("graph input '" + ten.name + "' must be a float32 activation, got " +
                         std::string(ir::dtype_name(ten.dtype)));
    written[t] = true;
  }
  for (ir::TensorId t : g.outputs)
    if (g.tensor(t).dtype != ir::DataType::kFloat32 || g.tensor(t).is_static())
      return unsupported("graph output '" + g.tensor(t).name + "' must be a float32 activation");
  for (const ir::Node& n : g.nodes) {
    if (!in_capability_table(n.op) || !find_lowering(n.op))
      return unsupported(where(n) + ": op '" + n.op + "' is not supported by the gpu backend",
                         {"run this node on the cpu backend"});
    for (ir::TensorId t : n.inputs) {
      if (t < 0) continue;
      OQNN_RETURN_IF_ERROR(check_tensor(g, n, t));
      if (!g.tensor(t).is_static() && !written[t])
        return bad_input(where(n) + ": input '" + g.tensor(t).name +
                         "' is neither a graph input, a static tensor nor written before");
    }
    for (ir::TensorId t : n.outputs) {
      OQNN_RETURN_IF_ERROR(check_tensor(g, n, t));
      if (g.tensor(t).is_static() || written[t])
        return bad_input(where(n) + ": output '" + g.tensor(t).name +
                         "' is a graph input, a static tensor, or written twice");
      written[t] = true;
    }
  }
  return Status::ok();
}

}  // namespace oqnn::gpu
