#include "ir/affine_quant.h"

#include <algorithm>
#include <limits>

namespace oqnn::ir {

bool is_affine_quant_dtype(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16 ||
         t == DataType::kUInt16 || t == DataType::kInt32;
}

int64_t dtype_min(DataType t) {
  switch (t) {
    case DataType::kInt8:
      return std::numeric_limits<int8_t>::min();
    case DataType::kInt16:
      return std::numeric_limits<int16_t>::min();
    case DataType::kInt32:
      return std::numeric_limits<int32_t>::min();
    case DataType::kInt64:
      return std::numeric_limits<int64_t>::min();
    default:
      return 0;
  }
}

int64_t dtype_max(DataType t) {
  switch (t) {
    case DataType::kInt8:
      return std::numeric_limits<int8_t>::max();
    case DataType::kUInt8:
      return std::numeric_limits<uint8_t>::max();
    case DataType::kInt16:
      return std::numeric_limits<int16_t>::max();
    case DataType::kUInt16:
      return std::numeric_limits<uint16_t>::max();
    case DataType::kInt32:
      return std::numeric_limits<int32_t>::max();
    case DataType::kInt64:
      return std::numeric_limits<int64_t>::max();
    case DataType::kBool:
      return 1;
    default:
      return 0;
  }
}

std::optional<Encoding> affine_encoding(const AffineQuant& q, DataType qtype) {
  if (q.axis >= 0 || q.block_size != 0 || q.scale.size() != 1 || q.zero_point.size() != 1)
    return std::nullopt;
  Encoding e;
  switch (qtype) {
    case DataType::kUInt8:
    case DataType::kInt8:
      e.bitwidth = 8;
      break;
    case DataType::kUInt16:
    case DataType::kInt16:
      e.bitwidth = 16;
      break;
    default:
      return std::nullopt;
  }
  e.is_signed = qtype == DataType::kInt8 || qtype == DataType::kInt16;
  e.scale = {static_cast<double>(q.scale[0])};
  e.offset = {static_cast<int32_t>(-q.zero_point[0])};
  e.symmetric = e.is_signed && e.offset[0] == 0;
  return e;
}

AffineQuant affine_quant_from(const Params& p) {
  AffineQuant q;
  for (double s : p.get_floats("scale")) q.scale.push_back(static_cast<float>(s));
  q.zero_point = p.get_ints("zero_point");
  q.axis = p.get_int("axis", -1);
  q.block_size = p.get_int("block_size", 0);
  return q;
}

void set_affine_quant(Params& p, const AffineQuant& q) {
  p.set("scale", std::vector<double>(q.scale.begin(), q.scale.end()));
  p.set("zero_point", q.zero_point);
  if (q.axis >= 0) p.set("axis", q.axis);
  if (q.block_size > 0) p.set("block_size", q.block_size);
}

namespace {

// The number of parameters `q` must hold for data of shape `x`, or an error text.
std::string expected_count(const AffineQuant& q, const Shape& x, int64_t& count) {
  if (q.axis < 0) {
    if (q.block_size != 0) return "block_size needs an axis";
    count = 1;
    return "";
  }
  if (q.axis >= static_cast<int64_t>(x.size()))
    return "axis " + std::to_string(q.axis) + " is out of range for rank " +
           std::to_string(x.size());
  int64_t dim = x[static_cast<size_t>(q.axis)];
  if (q.block_size < 0) return "block_size " + std::to_string(q.block_size) + " is negative";
  if (q.block_size == 0) {
    count = dim;
    return "";
  }
  count = num_elements(x) / std::max<int64_t>(dim, 1) * ((dim + q.block_size - 1) / q.block_size);
  return "";
}

}  // namespace

std::string check_affine_quant(const AffineQuant& q, const Shape& x, DataType qtype) {
  if (!is_affine_quant_dtype(qtype))
    return "quantized type " + std::string(dtype_name(qtype)) +
           " is not int8, uint8, int16, uint16 or int32";
  if (q.scale.empty()) return "scale is empty";
  if (q.zero_point.size() != q.scale.size())
    return "zero point has " + std::to_string(q.zero_point.size()) + " values, scale " +
           std::to_string(q.scale.size());
  int64_t count = 0;
  std::string why = expected_count(q, x, count);
  if (!why.empty()) return why;
  if (static_cast<int64_t>(q.scale.size()) != count)
    return "scale has " + std::to_string(q.scale.size()) + " values, " +
           (q.axis < 0 ? std::string("a per-tensor scale needs 1")
                       : "axis " + std::to_string(q.axis) + " of " + shape_str(x) +
                             (q.block_size ? " in blocks of " + std::to_string(q.block_size)
                                           : std::string()) +
                             " needs " + std::to_string(count));
  for (float s : q.scale)
    if (!(s > 0.0f) || !std::isfinite(s))
      return "scale " + std::to_string(s) + " is not a positive finite number";
  for (int64_t z : q.zero_point)
    if (z < dtype_min(qtype) || z > dtype_max(qtype))
      return "zero point " + std::to_string(z) + " is outside the range of " +
             std::string(dtype_name(qtype));
  return "";
}

AffineIndex::AffineIndex(const AffineQuant& q, const Shape& x) {
  if (q.axis < 0 || q.axis >= static_cast<int64_t>(x.size())) return;
  auto a = static_cast<size_t>(q.axis);
  dim_ = std::max<int64_t>(x[a], 1);
  for (size_t d = a + 1; d < x.size(); ++d) inner_ *= x[d];
  block_ = q.block_size > 0 ? q.block_size : 0;
  if (block_ > 0) blocks_ = (dim_ + block_ - 1) / block_;
}

}  // namespace oqnn::ir
