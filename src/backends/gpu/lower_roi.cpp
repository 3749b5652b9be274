// RoiAlign on roi_align_nhwc (kernels/roi.cl): float input and rois, int32 batch_indices
// read on the device (an index out of range fails the run through the index-error flag).
#include "backends/gpu/lowering.h"
#include "backends/gpu/table_ops.h"

namespace oqnn::gpu {

Status lower_roi_align(NodeLowering& l, const ir::Node& n) {
  const ir::Graph& g = l.graph;
  if (!ir::is_float(g.tensor(n.inputs[0]).dtype) || !ir::is_float(g.tensor(n.inputs[1]).dtype) ||
      g.tensor(n.inputs[2]).dtype != ir::DataType::kInt32)
    return unsupported("node '" + n.name + "' (" + n.op +
                       "): the gpu backend runs float input and rois with int32 batch_indices");
  const ir::Shape& x = g.tensor(n.inputs[0]).shape;
  const ir::Shape& y = g.tensor(n.outputs[0]).shape;
  const auto ratio = n.params.get_floats("img_size_ratio", {1.0, 1.0});
  if (ratio.size() != 2)
    return bad_input("node '" + n.name + "' (" + n.op + "): img_size_ratio needs 2 values");
  OQNN_ASSIGN_OR_RETURN(int flag, l.index_flag());
  l.launches.push_back(
      nhwc_launch("roi_align_nhwc",
                  {arg_buffer(l.buffer(n.inputs[0])), arg_buffer(l.buffer(n.inputs[1])),
                   arg_buffer(l.buffer(n.inputs[2])), arg_buffer(l.buffer(n.outputs[0])),
                   arg_buffer(flag), arg_int(l.node_index), arg_ints({x[0], x[1], x[2], x[3]}),
                   arg_ints({y[0], y[1], y[2], n.params.get_int("sampling_ratio", 0)}),
                   arg_ints({n.params.get_int("aligned", 0) == 1 ? 1 : 0,
                             n.params.get_string("mode", "avg") == "max" ? 1 : 0, 0, 0}),
                   arg_float(ratio[0]), arg_float(ratio[1])},
                  y));
  return Status::ok();
}

}  // namespace oqnn::gpu
