// Constant tensors inside the importer: initializers, Constant nodes and everything folded
// from them. Data stays in whatever Blob it came from (the parsed proto's string, a view
// of the mapped model or external-data file, or bytes a folder made) until it becomes a
// static IR tensor.
// Folding widens elements to int64 (integers, bool) or double (floats), which is exact for
// every type we hold and for +, -, *, / on float32 (a double result rounds once to float).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "ir/types.h"
#include "support/files.h"

namespace oqnn::onnx_import {

struct ConstTensor {
  ir::DataType dtype = ir::DataType::kFloat32;
  ir::Shape shape;
  std::shared_ptr<const Blob> data;  // null only for a shape-only stand-in (Shape, Size)
  // ONNX DOUBLE, which the IR lacks: exporters use it for scalars (torch's clamp bounds)
  // that are cast away. Elements are 8-byte doubles and dtype is kFloat32, the type the
  // constant becomes when it reaches the IR (to_ir_const).
  bool float64 = false;

  int64_t numel() const { return ir::num_elements(shape); }
  size_t elem_size() const { return float64 ? 8 : ir::dtype_size(dtype); }
  size_t byte_size() const { return static_cast<size_t>(numel()) * elem_size(); }
  bool is_floating() const { return float64 || ir::is_float(dtype); }
  bool same_type(const ConstTensor& o) const { return dtype == o.dtype && float64 == o.float64; }
};

std::vector<int64_t> to_ints(const ConstTensor& t);  // floats truncate toward zero
std::vector<double> to_doubles(const ConstTensor& t);
// Integer values clamped to int32's range (INT64_MAX, ONNX's "to the end", stays the end).
std::vector<int64_t> narrow_ints(const ConstTensor& t);
// Builds a constant of `dtype` from widened values (narrowing as a C++ cast would; float16
// rounds to nearest even; bool is value != 0).
ConstTensor make_const_ints(ir::DataType dtype, ir::Shape shape, std::span<const int64_t> v);
ConstTensor make_const_doubles(ir::DataType dtype, ir::Shape shape, std::span<const double> v);
ConstTensor make_const_bytes(ir::DataType dtype, ir::Shape shape, std::vector<std::byte> bytes);
ConstTensor make_const_f64(ir::Shape shape, std::span<const double> v);
// A constant of `like`'s element type with new shape and bytes.
ConstTensor make_const_like(const ConstTensor& like, ir::Shape shape, std::vector<std::byte> bytes);
// The constant as the IR can hold it: float64 and float16 become float32 and int64 int32
// (values saturated to int32's range, as QNN's converter narrows), others unchanged.
ConstTensor to_ir_const(const ConstTensor& c);
// float32 data as a float vector (converting float16).
std::vector<float> to_floats(const ConstTensor& t);

using ir::float_to_half;
using ir::half_to_float;

}  // namespace oqnn::onnx_import
