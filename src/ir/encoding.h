// Quantization encoding of a tensor in QNN's convention: real = scale * (q + offset),
// offset = -zero_point. Per-tensor (axis = -1, one scale/offset) or per-axis.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace oqnn::ir {

struct Encoding {
  int bitwidth = 8;
  bool is_signed = false;  // storage: int8/int16/int32 vs uint8/uint16
  bool symmetric = false;  // offset is 0 (signed) by construction
  int axis = -1;           // -1: per-tensor
  std::vector<double> scale;
  std::vector<int32_t> offset;

  bool per_axis() const { return axis >= 0; }
  int64_t qmin() const { return is_signed ? -(int64_t{1} << (bitwidth - 1)) : 0; }
  int64_t qmax() const {
    return is_signed ? (int64_t{1} << (bitwidth - 1)) - 1 : (int64_t{1} << bitwidth) - 1;
  }
  double min(size_t c = 0) const { return scale[c] * static_cast<double>(qmin() + offset[c]); }
  double max(size_t c = 0) const { return scale[c] * static_cast<double>(qmax() + offset[c]); }
  bool operator==(const Encoding&) const = default;
};

std::string encoding_str(const Encoding& e);  // for the printer and logs

}  // namespace oqnn::ir
