// Integer and bool elements as doubles and back, whatever their dtype: what raw files,
// crossing tensors and calibration samples of integer tensors go through. Storing rounds
// half away from zero and saturates to the type's range (NaN stores 0; bool stores v != 0).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "ir/types.h"

namespace oqnn::ir {

template <class T>
inline T saturate(double v) {
  if (std::isnan(v)) return T{0};
  v = std::round(v);
  // double(max) of int64 rounds up to 2^63, which does not convert back: compare instead.
  if (v >= static_cast<double>(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  if (v <= static_cast<double>(std::numeric_limits<T>::lowest()))
    return std::numeric_limits<T>::lowest();
  return static_cast<T>(v);
}

template <class T>
inline void store_as(double v, std::byte* p) {
  T x = saturate<T>(v);
  std::memcpy(p, &x, sizeof(T));
}

template <class T>
inline double load_as(const std::byte* p) {
  T x;
  std::memcpy(&x, p, sizeof(T));
  return static_cast<double>(x);
}

// One integer element as its dtype, whatever the dtype (encoded values already integral).
inline void store_int(DataType dt, double v, std::byte* p) {
  switch (dt) {
    case DataType::kInt8:
      return store_as<int8_t>(v, p);
    case DataType::kUInt8:
      return store_as<uint8_t>(v, p);
    case DataType::kInt16:
      return store_as<int16_t>(v, p);
    case DataType::kUInt16:
      return store_as<uint16_t>(v, p);
    case DataType::kInt32:
      return store_as<int32_t>(v, p);
    case DataType::kInt64:
      return store_as<int64_t>(v, p);
    case DataType::kBool:
      return store_as<uint8_t>(v != 0.0 && !std::isnan(v) ? 1 : 0, p);
    default:
      return;
  }
}

inline double load_int(DataType dt, const std::byte* p) {
  switch (dt) {
    case DataType::kInt8:
      return load_as<int8_t>(p);
    case DataType::kUInt8:
      return load_as<uint8_t>(p);
    case DataType::kInt16:
      return load_as<int16_t>(p);
    case DataType::kUInt16:
      return load_as<uint16_t>(p);
    case DataType::kInt32:
      return load_as<int32_t>(p);
    case DataType::kInt64:
      return load_as<int64_t>(p);
    case DataType::kBool:
      return load_as<uint8_t>(p) != 0 ? 1.0 : 0.0;
    default:
      return 0.0;
  }
}

}  // namespace oqnn::ir
