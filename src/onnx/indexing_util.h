// Helpers the indexing translators share (translate_indexing*.cpp).
#pragma once

#include <string>
#include <vector>

#include "onnx/import_context.h"
#include "onnx/translators.h"

namespace oqnn::onnx_import {

void register_indexing_select_translators(std::vector<Translator>& out);

// The node's "axis" attribute (default `def`) normalized against `rank`; bad input when out
// of range.
Expected<int64_t> node_axis(const OnnxNode& n, int64_t def, int64_t rank);
// Emits an auxiliary node of `n` (named after it with `suffix`, as is its output).
Expected<ir::TensorId> emit_aux(ImportContext& ctx, const OnnxNode& n, const std::string& op,
                                std::vector<ir::TensorId> in, ir::Params p,
                                const std::string& suffix);
// `t` as int32 (a Cast when it is not).
Expected<ir::TensorId> as_int32(ImportContext& ctx, const OnnxNode& n, ir::TensorId t);

}  // namespace oqnn::onnx_import
