// ONNX op → IR translators, one file per op family. A translator reads its node's inputs
// through the ImportContext (constants or IR tensors), emits IR nodes and binds the ONNX
// outputs. `check` holds the attribute-only tests, so a dry run can report an unsupported
// attribute on a node whose inputs it could not compute.
#pragma once

#include <string_view>
#include <vector>

#include "onnx/import_context.h"

namespace oqnn::onnx_import {

using TranslateFn = Status (*)(ImportContext& ctx, const OnnxNode& n);
using CheckFn = Status (*)(const OnnxNode& n);

struct Translator {
  std::string_view op_type;
  TranslateFn translate;
  CheckFn check = nullptr;  // optional
};

const Translator* find_translator(std::string_view op_type);

void register_conv_translators(std::vector<Translator>& out);
void register_pool_translators(std::vector<Translator>& out);
void register_norm_translators(std::vector<Translator>& out);
void register_activation_translators(std::vector<Translator>& out);
void register_elementwise_translators(std::vector<Translator>& out);
void register_unary_translators(std::vector<Translator>& out);
void register_linear_translators(std::vector<Translator>& out);
void register_layout_translators(std::vector<Translator>& out);
void register_pad_translators(std::vector<Translator>& out);
void register_reduce_translators(std::vector<Translator>& out);
void register_normalization_translators(std::vector<Translator>& out);
void register_einsum_translators(std::vector<Translator>& out);
void register_indexing_translators(std::vector<Translator>& out);  // translate_indexing*.cpp
void register_recurrent_translators(std::vector<Translator>& out);
void register_resize_translators(std::vector<Translator>& out);
void register_conv_transpose_translators(std::vector<Translator>& out);
void register_sample_translators(std::vector<Translator>& out);
void register_roi_translators(std::vector<Translator>& out);
void register_quantize_translators(std::vector<Translator>& out);  // translate_quantize.cpp
void register_detection_translators(std::vector<Translator>& out);

// RoiAlign's and MaxRoiPool's spatial_scale: positive and finite (bad input otherwise).
Status check_spatial_scale(const OnnxNode& n);
// Shared by translators: the node's input `i` as an IR tensor (must be present).
Expected<ir::TensorId> input_tensor(ImportContext& ctx, const OnnxNode& n, size_t i);
// Input `i` as a constant, or an "is not constant" unsupported error naming `role`.
Expected<const ConstTensor*> const_input(ImportContext& ctx, const OnnxNode& n, size_t i,
                                         const std::string& role);
// Appends a convolution's optional constant float32 bias (input 2) of `cout` values.
Status append_conv_bias(ImportContext& ctx, const OnnxNode& n, int64_t cout,
                        std::vector<ir::TensorId>& inputs);
// Emits the node's main IR op (named after the ONNX node) producing ONNX output 0.
Status emit_main(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                 std::vector<ir::TensorId> inputs, ir::Params params);
// Cast (and CastLike) of `x` to `to` as ONNX output 0; the same dtype is an alias. A cast
// to float16 inside a graph rounds the values to float16 and keeps them float32 (float16
// is an I/O type only; docs/dtypes.md).
Status emit_cast(ImportContext& ctx, const OnnxNode& n, ir::TensorId x, ir::DataType to);

}  // namespace oqnn::onnx_import
