// The executor core shared by the host backends (CPU and HTP): a finalized graph, one
// kernel per node, an arena laid out by the memory planner (tensors whose lifetimes do
// not overlap share bytes), and profiling/debug callbacks. Serializing a HostPlan
// writes its finalized graph; deserializing rebuilds the kernels from it.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/backend_glue.h"
#include "runtime/thread_pool.h"

namespace oqnn::rt {

struct HostTensor {
  const ir::Tensor* info;  // dtype, shape, encoding, name
  std::byte* data;         // for static tensors: read-only
  size_t size;
  template <class T>
  T* as() const {
    return reinterpret_cast<T*>(data);
  }
  int64_t elements() const { return ir::num_elements(info->shape); }
};

struct KernelContext {
  ThreadPool* pool;
};

class HostKernel {
 public:
  virtual ~HostKernel() = default;
  virtual Status run(std::span<const HostTensor> inputs, std::span<const HostTensor> outputs,
                     const KernelContext& ctx) = 0;
};

// Builds the kernel for one node of a finalized graph (may pre-pack its static inputs).
using KernelFactory =
    std::function<Expected<std::unique_ptr<HostKernel>>(const ir::Graph&, const ir::Node&)>;

// Byte offsets of every non-static, non-input tensor in one arena; -1 where unused.
struct MemoryPlan {
  std::vector<int64_t> offsets;
  size_t arena_size = 0;
};
MemoryPlan plan_memory(const ir::Graph& g);

class HostPlan final : public PlanImpl {
 public:
  static Expected<std::unique_ptr<HostPlan>> create(ir::Graph finalized,
                                                    const KernelFactory& factory, int num_threads);
  const std::vector<ir::Tensor>& inputs() const override { return inputs_; }
  const std::vector<ir::Tensor>& outputs() const override { return outputs_; }
  Status execute(std::span<const OqnnTensorView> inputs, std::span<OqnnTensorView> outputs,
                 const OqnnExecuteOptions* opts) override;
  Expected<std::vector<std::byte>> serialize() const override;
  const ir::Graph& graph() const { return graph_; }
  size_t arena_size() const { return memory_.arena_size; }

 private:
  ir::Graph graph_;
  std::vector<ir::Tensor> inputs_, outputs_;
  std::vector<std::unique_ptr<HostKernel>> kernels_;
  MemoryPlan memory_;
  std::vector<std::byte> arena_;
  std::vector<std::vector<std::byte>> input_bufs_;
  std::unique_ptr<ThreadPool> pool_;
};

}  // namespace oqnn::rt
