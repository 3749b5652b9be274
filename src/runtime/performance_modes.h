// QNN's performance modes: the values of --perf_profile and of a backend config's
// performance_mode. One list for every backend and tool.
#pragma once

#include <array>

namespace oqnn::rt {

inline constexpr std::array<const char*, 11> kPerformanceModes = {"low_balanced",
                                                                  "balanced",
                                                                  "default",
                                                                  "high_performance",
                                                                  "sustained_high_performance",
                                                                  "burst",
                                                                  "low_power_saver",
                                                                  "power_saver",
                                                                  "high_power_saver",
                                                                  "extreme_power_saver",
                                                                  "system_settings"};

}  // namespace oqnn::rt
