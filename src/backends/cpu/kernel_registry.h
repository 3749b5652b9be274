// The CPU kernel registry: one row per op (reference kernel, optional fast kernel, the
// dtypes it runs and a constraints note). The backend's capability table is generated from
// it, so the two cannot drift. Each op family registers its rows from its own file
// (register_<family>_kernels) and kernels.cpp calls each once.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "backends/cpu/kernel_util.h"
#include "oqnn/backend_api.h"

namespace oqnn::cpu {

struct KernelEntry {
  std::string_view op;      // op table name (a static literal)
  KernelMaker ref;          // the reference kernel: always present
  KernelMaker fast;         // null: the reference kernel is the only one
  const char* dtypes;       // comma-separated IR dtype names it runs, e.g. "float32,int32"
  const char* constraints;  // human-readable note, "" when none
};

const std::vector<KernelEntry>& kernel_registry();  // sorted by op
const KernelEntry* find_kernel_entry(std::string_view op);
std::span<const OqnnOpCapability> capabilities();  // generated from the registry
bool supports_op(std::string_view op);

// One per family file (ref/<family>_ref.cpp).
void register_convert_kernels(std::vector<KernelEntry>& k);         // ref/convert_ref.cpp
void register_reduce_kernels(std::vector<KernelEntry>& k);          // ref/reduce_ref.cpp
void register_normalization_kernels(std::vector<KernelEntry>& k);   // ref/normalization_ref.cpp
void register_indexing_kernels(std::vector<KernelEntry>& k);        // ref/indexing*_ref.cpp
void register_recurrent_kernels(std::vector<KernelEntry>& k);       // ref/recurrent_ref.cpp
void register_resize_kernels(std::vector<KernelEntry>& k);          // ref/resize_ref.cpp
void register_sample_kernels(std::vector<KernelEntry>& k);          // ref/sample_ref.cpp
void register_roi_kernels(std::vector<KernelEntry>& k);             // ref/roi_ref.cpp
void register_detection_kernels(std::vector<KernelEntry>& k);       // ref/detection_ref.cpp
void register_transpose_conv_kernels(std::vector<KernelEntry>& k);  // ref/transpose_conv_ref.cpp
void register_elementwise_kernels(std::vector<KernelEntry>& k);     // ref/elementwise_ref.cpp
void register_unary_kernels(std::vector<KernelEntry>& k);           // ref/unary_ref.cpp
void register_quantize_kernels(std::vector<KernelEntry>& k);        // ref/quantize_ref.cpp

}  // namespace oqnn::cpu
