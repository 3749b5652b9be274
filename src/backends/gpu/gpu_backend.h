// The GPU backend behind backend_api.h: create() parses gpu_config and opens the OpenCL
// device; finalize() verifies and checks a graph and lowers it into a GpuPlan;
// deserialize() loads a plan written by GpuPlan::serialize. The OpenCL program is built
// once per precision and shared by the backend's plans.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "backends/gpu/cl_runtime.h"
#include "backends/gpu/gpu_config.h"
#include "runtime/backend_glue.h"

namespace oqnn::gpu {

class GpuBackend final : public rt::BackendImpl {
 public:
  static Expected<std::unique_ptr<GpuBackend>> create(const std::string& config_json);
  Expected<std::unique_ptr<rt::PlanImpl>> finalize(ir::Graph graph) override;
  Expected<std::unique_ptr<rt::PlanImpl>> deserialize(std::shared_ptr<const Blob> blob) override;
  const GpuConfig& config() const { return config_; }
  const ClDevice& device() const { return *device_; }

 private:
  Expected<std::shared_ptr<ClProgram>> program(bool fp16);

  GpuConfig config_;
  std::shared_ptr<ClDevice> device_;
  std::shared_ptr<ClProgram> programs_[2];  // [fp16]
  std::mutex mutex_;
};

// The factory OQNN_DEFINE_BACKEND registers.
Expected<std::unique_ptr<rt::BackendImpl>> make_gpu_backend(const std::string& config_json);

}  // namespace oqnn::gpu
