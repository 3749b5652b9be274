// Element types and static shapes of the IR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace oqnn::ir {

enum class DataType : uint8_t {
  kFloat32 = 0,
  kFloat16 = 1,
  kInt8 = 2,
  kUInt8 = 3,
  kInt16 = 4,
  kUInt16 = 5,
  kInt32 = 6,
  kInt64 = 7,
  kBool = 8,
};

size_t dtype_size(DataType t);
std::string_view dtype_name(DataType t);  // "float32", "uint8", ...
std::optional<DataType> dtype_from_name(std::string_view name);
bool is_float(DataType t);
// The type a graph computes a value of type t in: float16 -> float32 and int64 -> int32
// (those two exist only at a graph's I/O boundary; docs/dtypes.md), others unchanged.
DataType compute_dtype(DataType t);
// float16 (IEEE binary16) bit patterns to and from float32.
uint16_t float_to_half(float f);
float half_to_float(uint16_t h);

using Shape = std::vector<int64_t>;
int64_t num_elements(const Shape& s);
// The most elements a tensor may have (also bounds each dimension).
inline constexpr int64_t kMaxElements = int64_t{1} << 40;
// num_elements for shapes read from files: -1 when a dimension is negative or above
// kMaxElements, or the count is; computed without overflow.
int64_t checked_num_elements(const Shape& s);
std::string shape_str(const Shape& s);  // "[1,3,224,224]"

}  // namespace oqnn::ir
