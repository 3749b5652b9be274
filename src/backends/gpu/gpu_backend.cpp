#include "backends/gpu/gpu_backend.h"

#include <spdlog/spdlog.h>

#include "backends/gpu/capabilities.h"
#include "backends/gpu/gpu_plan.h"
#include "backends/gpu/plan_format.h"
#include "ir/verifier.h"

namespace oqnn::gpu {

Expected<std::unique_ptr<GpuBackend>> GpuBackend::create(const std::string& config_json) {
  auto config = parse_gpu_config(config_json);
  if (!config) return config.error();
  auto device = ClDevice::open(config->device_id);
  if (!device) return device.error();
  auto b = std::unique_ptr<GpuBackend>(new GpuBackend());
  b->config_ = std::move(*config);
  b->device_ = std::move(*device);
  return b;
}

Expected<std::shared_ptr<ClProgram>> GpuBackend::program(bool fp16) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& p = programs_[fp16 ? 1 : 0];
  if (!p) {
    auto built = ClProgram::build(device_, fp16);
    if (!built) return built.error();
    p = std::move(*built);
  }
  return p;
}

Expected<std::unique_ptr<rt::PlanImpl>> GpuBackend::finalize(ir::Graph graph) {
  OQNN_RETURN_IF_ERROR(ir::verify(graph));
  OQNN_RETURN_IF_ERROR(check_gpu_graph(graph));
  auto prog = program(config_.fp16);
  if (!prog) return prog.error();
  auto prog_f32 = program(false);
  if (!prog_f32) return prog_f32.error();
  auto plan = GpuPlan::create(*prog, *prog_f32, config_, std::move(graph));
  if (!plan) return plan.error();
  return std::unique_ptr<rt::PlanImpl>(std::move(*plan));
}

Expected<std::unique_ptr<rt::PlanImpl>> GpuBackend::deserialize(std::shared_ptr<const Blob> blob) {
  auto payload = parse_plan(std::move(blob));
  if (!payload) return payload.error();
  Status ok = ir::verify(payload->graph);
  if (ok) ok = check_gpu_graph(payload->graph);
  if (!ok) {
    Error e = ok.error();
    e.code = ErrorCode::kBadInput;  // a plan we wrote always passes: the bytes are bad
    e.message = "gpu plan: " + e.message;
    return e;
  }
  GpuConfig config = payload->config;
  config.device_id = config_.device_id;  // where it runs now
  // The storage-precision program, and the float32 one (the same in fp32 precision).
  std::shared_ptr<ClProgram> progs[2];
  for (int i = 0; i < (config.fp16 ? 2 : 1); ++i) {
    const bool fp16 = config.fp16 && i == 0;
    const StoredProgram& stored = payload->programs[i];
    if (payload->device_key == device_->key())
      progs[i] = ClProgram::load_binary(device_, fp16, stored.binary, stored.source_hash);
    if (progs[i]) {
      spdlog::debug("gpu plan: reusing the stored program binary for '{}'", device_->info().name);
    } else {
      spdlog::debug(
          "gpu plan: building the kernels from source (binary for another device or "
          "other kernel sources)");
      auto built = program(fp16);
      if (!built) return built.error();
      progs[i] = std::move(*built);
    }
  }
  if (!config.fp16) progs[1] = progs[0];
  auto plan = GpuPlan::create(progs[0], progs[1], config, std::move(payload->graph));
  if (!plan) return plan.error();
  return std::unique_ptr<rt::PlanImpl>(std::move(*plan));
}

Expected<std::unique_ptr<rt::BackendImpl>> make_gpu_backend(const std::string& config_json) {
  auto b = GpuBackend::create(config_json);
  if (!b) return b.error();
  return std::unique_ptr<rt::BackendImpl>(std::move(*b));
}

}  // namespace oqnn::gpu
