#include "quant/tensor_roles.h"

#include "ir/op_def.h"

namespace oqnn::quant::detail {

std::vector<TensorRole> classify_tensors(const ir::Graph& g) {
  std::vector<TensorRole> roles(g.tensors.size());
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const ir::Tensor& ten = g.tensors[t];
    if (!ten.is_static() && ir::is_float(ten.dtype)) roles[t].role = Role::kActivation;
  }
  for (const ir::Node& n : g.nodes) {
    int axis = ir::weight_channel_axis(n.op);  // input 1 a weight, input 2 a bias
    for (size_t i = 0; i < n.inputs.size(); ++i) {
      ir::TensorId id = n.inputs[i];
      if (id < 0) continue;
      const ir::Tensor& ten = g.tensor(id);
      if (!ten.is_static() || ten.dtype != ir::DataType::kFloat32) continue;
      TensorRole& r = roles[static_cast<size_t>(id)];
      if (axis >= 0 && i == 2) {
        if (r.role == Role::kNone) r.role = Role::kBias;
        continue;
      }
      // A weight shared with a conv/FC keeps the conv/FC's channel axis.
      int this_axis = (axis >= 0 && i == 1) ? axis : -1;
      if (r.role != Role::kWeight || r.channel_axis < 0) r.channel_axis = this_axis;
      r.role = Role::kWeight;
      if (n.op == "Concat") r.activation_width = true;
    }
  }
  return roles;
}

int channel_axis_for(const ir::Tensor& t, const TensorRole& r) {
  if (r.channel_axis >= 0) return r.channel_axis;
  return static_cast<int>(t.shape.size()) - 1;
}

}  // namespace oqnn::quant::detail
