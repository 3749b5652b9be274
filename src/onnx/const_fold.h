// Import-time constant folding: ONNX ops evaluated on constants (and Shape/Size on any
// tensor, since shapes are static after import), so shape-computing subgraphs such as
// Shape→Gather→Unsqueeze→Concat→Reshape disappear before translation.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "onnx/const_tensor.h"
#include "onnx/onnx_node.h"
#include "support/status.h"

namespace oqnn::onnx_import {

// in[i] is null for an omitted optional input. Shape and Size get a data-less stand-in
// for an activation input (shape and dtype only).
using FoldFn = Expected<std::vector<ConstTensor>> (*)(const OnnxNode& n,
                                                      std::span<const ConstTensor* const> in);

struct FoldEntry;
// The folder of an ONNX op type, or null.
const FoldEntry* find_folder(std::string_view op_type);
// Ops that need only their input's shape (Shape, Size).
bool folds_from_shape(std::string_view op_type);

struct FoldEntry {
  std::string_view op_type;
  FoldFn fn;
  int min_inputs;  // the caller checks these are present
};
void register_shape_folders(std::vector<FoldEntry>& out);
void register_math_folders(std::vector<FoldEntry>& out);
void register_quantize_folders(std::vector<FoldEntry>& out);  // translate_quantize.cpp

// Shared by the folders: row-major strides of a shape, in elements.
std::vector<int64_t> strides_of(const ir::Shape& s);
// For each element of `out`, the index of the element of `in` that broadcasts to it.
std::vector<size_t> broadcast_index(const ir::Shape& in, const ir::Shape& out);

}  // namespace oqnn::onnx_import
