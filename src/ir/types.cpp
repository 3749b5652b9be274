#include "ir/types.h"

#include <array>

namespace oqnn::ir {
namespace {
struct TypeInfo {
  DataType type;
  std::string_view name;
  size_t size;
};
constexpr std::array<TypeInfo, 9> kTypes{{
    {DataType::kFloat32, "float32", 4},
    {DataType::kFloat16, "float16", 2},
    {DataType::kInt8, "int8", 1},
    {DataType::kUInt8, "uint8", 1},
    {DataType::kInt16, "int16", 2},
    {DataType::kUInt16, "uint16", 2},
    {DataType::kInt32, "int32", 4},
    {DataType::kInt64, "int64", 8},
    {DataType::kBool, "bool", 1},
}};
}  // namespace

size_t dtype_size(DataType t) {
  return kTypes[static_cast<size_t>(t)].size;
}
std::string_view dtype_name(DataType t) {
  return kTypes[static_cast<size_t>(t)].name;
}
std::optional<DataType> dtype_from_name(std::string_view name) {
  for (const auto& ti : kTypes)
    if (ti.name == name) return ti.type;
  return std::nullopt;
}
bool is_float(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kFloat16;
}

int64_t num_elements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) n *= d;
  return n;
}

int64_t checked_num_elements(const Shape& s) {
  int64_t n = 1;
  for (int64_t d : s) {
    if (d < 0 || d > kMaxElements || (d > 0 && n > kMaxElements / d)) return -1;
    n *= d;
  }
  return n;
}

std::string shape_str(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) {
    if (i) out += ",";
    out += std::to_string(s[i]);
  }
  return out + "]";
}

}  // namespace oqnn::ir
