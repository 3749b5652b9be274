// An executable GPU plan: the finalized graph, its device buffers (Conv2d/DepthWiseConv2d/
// FullyConnected weights and biases uploaded once as float32, other static tensors in the
// storage precision, graph inputs, one arena for everything else) and one kernel
// launch list per node with arguments bound at build time. Graph inputs and outputs stay
// float32 on the device in every precision, as in QNN: the nodes that read or write them
// run float32 kernels, with conversions of their other activations around them.
#pragma once

#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "backends/gpu/cl_runtime.h"
#include "backends/gpu/gpu_config.h"
#include "backends/gpu/lowering.h"
#include "ir/graph.h"
#include "runtime/backend_glue.h"

namespace oqnn::gpu {

class GpuPlan final : public rt::PlanImpl {
 public:
  // `graph` must have passed ir::verify and check_gpu_graph; `program` was built for
  // config.fp16 on the device the plan will run on, `program_f32` for float32 storage
  // (the same program when config.fp16 is off): nodes that read or write graph inputs and
  // outputs, which stay float32, run its kernels.
  static Expected<std::unique_ptr<GpuPlan>> create(std::shared_ptr<ClProgram> program,
                                                   std::shared_ptr<ClProgram> program_f32,
                                                   GpuConfig config, ir::Graph graph);
  const std::vector<ir::Tensor>& inputs() const override { return inputs_; }
  const std::vector<ir::Tensor>& outputs() const override { return outputs_; }
  Status execute(std::span<const OqnnTensorView> inputs, std::span<OqnnTensorView> outputs,
                 const OqnnExecuteOptions* opts) override;
  Expected<std::vector<std::byte>> serialize() const override;

  const ir::Graph& graph() const { return graph_; }
  const GpuConfig& config() const { return config_; }
  const ClProgram& program() const { return *program_; }
  const ClProgram& program_f32() const { return *program_f32_; }
  size_t arena_size() const { return arena_size_; }
  size_t num_launches() const;
  // Whether tensor t is a float tensor whose buffer holds float32 (graph I/O and what
  // aliases it, every float tensor in fp32); integer and bool tensors keep their type.
  bool is_float(ir::TensorId t) const { return is_float_[static_cast<size_t>(t)]; }

 private:
  GpuPlan() = default;
  Status build();
  Status allocate_buffers();  // arena, sub-buffers, inputs, uploaded weights
  Status lower_nodes();       // launches and their bound kernels
  Expected<int> add_buffer(size_t bytes, const void* host_data);
  Expected<int> upload_floats(const std::vector<float>& values);  // storage precision
  Expected<int> upload_f32(const std::vector<float>& values);
  Expected<int> static_weight(ir::TensorId t);  // float32 upload, once per tensor
  Expected<ClKernel> bind(const Launch& launch, const std::string& node_name);
  // Float tensors as float32 on the host, integer and bool ones in their own type.
  Status write_tensor(ir::TensorId t, const void* data);
  Status read_tensor(ir::TensorId t, void* data);
  Status index_flag_io(bool reset);
  size_t elem_size() const { return config_.fp16 ? 2 : 4; }

  std::shared_ptr<ClProgram> program_, program_f32_;
  GpuConfig config_;
  ir::Graph graph_;
  std::vector<ir::Tensor> inputs_, outputs_;
  ClQueue queue_;
  ClMem arena_;
  size_t arena_size_ = 0;
  std::vector<ClMem> buffers_;                 // tensor buffers, then repacked constants
  std::vector<int> tensor_buffer_;             // tensor id → index into buffers_, -1 when none
  std::vector<int> weight_buffer_;             // tensor id → its float32 upload, -1 when none
  std::vector<bool> is_float_;                 // tensor id → its buffer holds float32
  std::vector<std::vector<Launch>> launches_;  // per node
  std::vector<std::vector<ClKernel>> kernels_;
  std::vector<uint16_t> staging_;
  int index_flag_ = -1;  // buffers_ index of the index-error flag (NodeLowering::index_flag)
  std::mutex mutex_;     // one execute at a time: the queue and staging are shared
};

}  // namespace oqnn::gpu
