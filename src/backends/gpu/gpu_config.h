// The GPU backend's settings: the "gpu_config" section of a backend config file
// (reference/qnn-cli.md). Every key is optional; a key of the wrong type or with an
// unknown value is a bad-input error naming the key.
#pragma once

#include <string>

#include "support/status.h"

namespace oqnn::gpu {

struct GpuConfig {
  int device_id = 0;  // index into the GPU devices (or, without any, all devices)
  // Recorded and serialized; OpenCL 1.2 has no portable performance hint to pass it to.
  std::string performance_mode = "default";
  bool fp16 = true;  // precision_mode "fp16": half storage; "fp32": float storage
  // Repack weights for the fast kernels (FullyConnected → GEMM layout, 1x1 Conv2d → GEMM).
  bool transform_optimization = true;
  bool operator==(const GpuConfig&) const = default;
};

// `json` is the section itself ({"device_id": 0, ...}); an object that wraps it as
// {"gpu_config": {...}} is accepted too.
Expected<GpuConfig> parse_gpu_config(const std::string& json);

}  // namespace oqnn::gpu
