// One registration function per op family; op_registry.cpp calls each once.
#pragma once
#include <vector>

#include "ir/op_def.h"

namespace oqnn::ir {
void register_conv_ops(std::vector<OpDef>& ops);
void register_pool_ops(std::vector<OpDef>& ops);
void register_elementwise_ops(std::vector<OpDef>& ops);
void register_elementwise_unary_ops(std::vector<OpDef>& ops);
void register_activation_ops(std::vector<OpDef>& ops);
void register_layout_ops(std::vector<OpDef>& ops);
void register_linear_ops(std::vector<OpDef>& ops);
void register_norm_ops(std::vector<OpDef>& ops);
void register_convert_ops(std::vector<OpDef>& ops);
void register_reduce_ops(std::vector<OpDef>& ops);
void register_indexing_ops(std::vector<OpDef>& ops);  // indexing*.cpp
void register_recurrent_ops(std::vector<OpDef>& ops);
void register_resize_ops(std::vector<OpDef>& ops);
void register_spatial_ops(std::vector<OpDef>& ops);  // TransposeConv2d
void register_sample_ops(std::vector<OpDef>& ops);   // GridSample
void register_roi_ops(std::vector<OpDef>& ops);      // RoiAlign
// NonMaxSuppression, NonZero, RoiPooling
void register_detection_ops(std::vector<OpDef>& ops);
void register_quantize_ops(std::vector<OpDef>& ops);  // Quantize, Dequantize
}  // namespace oqnn::ir
