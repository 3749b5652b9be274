#include "onnx/const_tensor.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace oqnn::onnx_import {
namespace {

using ir::DataType;

template <class T>
T load(const std::byte* p, size_t i) {
  T v;
  std::memcpy(&v, p + i * sizeof(T), sizeof(T));
  return v;
}

template <class T>
void store(std::byte* p, size_t i, T v) {
  std::memcpy(p + i * sizeof(T), &v, sizeof(T));
}

// float -> integer the way a C++ cast does it, minus the undefined cases (NaN, overflow).
int64_t float_to_int(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

double element_as_double(const std::byte* p, DataType t, size_t i) {
  switch (t) {
    case DataType::kFloat32:
      return load<float>(p, i);
    case DataType::kFloat16:
      return half_to_float(load<uint16_t>(p, i));
    case DataType::kInt8:
      return load<int8_t>(p, i);
    case DataType::kUInt8:
      return load<uint8_t>(p, i);
    case DataType::kInt16:
      return load<int16_t>(p, i);
    case DataType::kUInt16:
      return load<uint16_t>(p, i);
    case DataType::kInt32:
      return load<int32_t>(p, i);
    case DataType::kInt64:
      return static_cast<double>(load<int64_t>(p, i));
    case DataType::kBool:
      return load<uint8_t>(p, i) != 0 ? 1.0 : 0.0;
  }
  return 0.0;
}

int64_t element_as_int(const std::byte* p, DataType t, size_t i) {
  switch (t) {
    case DataType::kFloat32:
    case DataType::kFloat16:
      return float_to_int(element_as_double(p, t, i));
    case DataType::kInt64:
      return load<int64_t>(p, i);
    default:
      return static_cast<int64_t>(element_as_double(p, t, i));
  }
}

void store_int(std::byte* p, DataType t, size_t i, int64_t v) {
  switch (t) {
    case DataType::kFloat32:
      store<float>(p, i, static_cast<float>(v));
      break;
    case DataType::kFloat16:
      store<uint16_t>(p, i, float_to_half(static_cast<float>(v)));
      break;
    case DataType::kInt8:
      store<int8_t>(p, i, static_cast<int8_t>(v));
      break;
    case DataType::kUInt8:
      store<uint8_t>(p, i, static_cast<uint8_t>(v));
      break;
    case DataType::kInt16:
      store<int16_t>(p, i, static_cast<int16_t>(v));
      break;
    case DataType::kUInt16:
      store<uint16_t>(p, i, static_cast<uint16_t>(v));
      break;
    case DataType::kInt32:
      store<int32_t>(p, i, static_cast<int32_t>(v));
      break;
    case DataType::kInt64:
      store<int64_t>(p, i, v);
      break;
    case DataType::kBool:
      store<uint8_t>(p, i, v != 0 ? 1 : 0);
      break;
  }
}

void store_double(std::byte* p, DataType t, size_t i, double v) {
  switch (t) {
    case DataType::kFloat32:
      store<float>(p, i, static_cast<float>(v));
      break;
    case DataType::kFloat16:
      store<uint16_t>(p, i, float_to_half(static_cast<float>(v)));
      break;
    case DataType::kBool:
      store<uint8_t>(p, i, v != 0.0 ? 1 : 0);
      break;
    default:
      store_int(p, t, i, float_to_int(v));
      break;
  }
}

std::vector<std::byte> zero_bytes(DataType dtype, const ir::Shape& shape) {
  return std::vector<std::byte>(static_cast<size_t>(ir::num_elements(shape)) *
                                ir::dtype_size(dtype));
}

}  // namespace

std::vector<int64_t> to_ints(const ConstTensor& t) {
  std::vector<int64_t> v(static_cast<size_t>(t.numel()));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = t.float64 ? float_to_int(load<double>(t.data->data(), i))
                     : element_as_int(t.data->data(), t.dtype, i);
  return v;
}

std::vector<double> to_doubles(const ConstTensor& t) {
  std::vector<double> v(static_cast<size_t>(t.numel()));
  for (size_t i = 0; i < v.size(); ++i)
    v[i] =
        t.float64 ? load<double>(t.data->data(), i) : element_as_double(t.data->data(), t.dtype, i);
  return v;
}

std::vector<int64_t> narrow_ints(const ConstTensor& t) {
  std::vector<int64_t> v = to_ints(t);
  for (int64_t& x : v)
    x = std::clamp<int64_t>(x, std::numeric_limits<int32_t>::min(),
                            std::numeric_limits<int32_t>::max());
  return v;
}

std::vector<float> to_floats(const ConstTensor& t) {
  std::vector<float> v(static_cast<size_t>(t.numel()));
  if (t.dtype == DataType::kFloat32 && !t.float64) {
    if (!v.empty()) std::memcpy(v.data(), t.data->data(), v.size() * sizeof(float));
    return v;
  }
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = static_cast<float>(t.float64 ? load<double>(t.data->data(), i)
                                        : element_as_double(t.data->data(), t.dtype, i));
  return v;
}

ConstTensor make_const_ints(DataType dtype, ir::Shape shape, std::span<const int64_t> v) {
  auto bytes = zero_bytes(dtype, shape);
  for (size_t i = 0; i < v.size(); ++i) store_int(bytes.data(), dtype, i, v[i]);
  return make_const_bytes(dtype, std::move(shape), std::move(bytes));
}

ConstTensor make_const_doubles(DataType dtype, ir::Shape shape, std::span<const double> v) {
  auto bytes = zero_bytes(dtype, shape);
  for (size_t i = 0; i < v.size(); ++i) store_double(bytes.data(), dtype, i, v[i]);
  return make_const_bytes(dtype, std::move(shape), std::move(bytes));
}

ConstTensor make_const_bytes(DataType dtype, ir::Shape shape, std::vector<std::byte> bytes) {
  return ConstTensor{dtype, std::move(shape), make_owned_blob(std::move(bytes))};
}

ConstTensor make_const_f64(ir::Shape shape, std::span<const double> v) {
  std::vector<std::byte> bytes(v.size() * sizeof(double));
  if (!v.empty()) std::memcpy(bytes.data(), v.data(), bytes.size());
  ConstTensor c = make_const_bytes(DataType::kFloat32, std::move(shape), std::move(bytes));
  c.float64 = true;
  return c;
}

ConstTensor make_const_like(const ConstTensor& like, ir::Shape shape,
                            std::vector<std::byte> bytes) {
  ConstTensor c = make_const_bytes(like.dtype, std::move(shape), std::move(bytes));
  c.float64 = like.float64;
  return c;
}

ConstTensor to_ir_const(const ConstTensor& c) {
  if (c.float64 || c.dtype == DataType::kFloat16)  // float16 widens exactly
    return make_const_doubles(DataType::kFloat32, c.shape, to_doubles(c));
  if (c.dtype == DataType::kInt64)
    return make_const_ints(DataType::kInt32, c.shape, narrow_ints(c));
  return c;
}

}  // namespace oqnn::onnx_import
