// The HTP backend object behind backend_api.h: finalize = quantize_graph + a HostPlan of
// HTP kernels; a plan serializes as its finalized (quantized) graph and deserializes by
// rebuilding the same kernels from it, so both paths execute bit for bit alike.
#pragma once

#include <memory>
#include <string>

#include "backends/htp/htp_config.h"
#include "backends/htp/kernel_factory.h"
#include "runtime/backend_glue.h"

namespace oqnn::htp {

class HtpBackend final : public rt::BackendImpl {
 public:
  explicit HtpBackend(HtpConfig config, KernelVariant variant = KernelVariant::kFast)
      : config_(std::move(config)), variant_(variant) {}
  Expected<std::unique_ptr<rt::PlanImpl>> finalize(ir::Graph graph) override;
  Expected<std::unique_ptr<rt::PlanImpl>> deserialize(std::shared_ptr<const Blob> blob) override;
  const HtpConfig& config() const { return config_; }

 private:
  HtpConfig config_;
  KernelVariant variant_;
};

// The factory OQNN_DEFINE_BACKEND registers (config_json: the htp_config section).
Expected<std::unique_ptr<rt::BackendImpl>> create_backend(const std::string& config_json);

}  // namespace oqnn::htp
