// The HTP backend's configuration: the `htp_config` section of a backend config file
// (device_id, performance_mode, precision_mode, vtcm_mb, enable_dma) plus hvx_threads.
// On the host emulation, precision_mode and hvx_threads change what runs; device_id must
// be 0 (one emulated device); performance_mode, vtcm_mb and enable_dma are validated and
// recorded for compatibility (there are no power states, VTCM or DMA to steer).
#pragma once

#include <string>

#include "support/status.h"

namespace oqnn::htp {

struct HtpConfig {
  std::string performance_mode = "default";
  // "int8": activations keep the bit width of their encodings. "int16": 8-bit activation
  // encodings are widened to 16 bits over the same range (scale / 257, offset * 257).
  std::string precision_mode = "int8";
  int vtcm_mb = 0;  // 0 = the whole VTCM
  bool enable_dma = true;
  int hvx_threads = 1;  // worker threads of the plan (default: the CPUs this process may use)
};

// Parses the JSON text of the section (also accepted: a whole config file holding an
// "htp_config" object). Errors are kBadInput and name the offending key.
Expected<HtpConfig> parse_htp_config(const std::string& json_text);

}  // namespace oqnn::htp
