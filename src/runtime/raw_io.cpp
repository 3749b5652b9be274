#include "runtime/raw_io.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "ir/int_values.h"
#include "quant/encoding_math.h"
#include "support/files.h"
#include "support/names.h"

namespace oqnn::rt {
namespace {

// The dtype quantize_buffer/dequantize_buffer use for an encoding.
ir::DataType natural_dtype(const ir::Encoding& e) {
  if (e.bitwidth <= 8) return e.is_signed ? ir::DataType::kInt8 : ir::DataType::kUInt8;
  if (e.bitwidth <= 16) return e.is_signed ? ir::DataType::kInt16 : ir::DataType::kUInt16;
  return ir::DataType::kInt32;
}

// Channel of element i for a per-axis encoding.
size_t channel_of(size_t i, const TensorInfo& t) {
  const auto& e = *t.encoding;
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(e.axis) + 1; d < t.shape.size(); ++d) inner *= t.shape[d];
  return static_cast<size_t>(i / static_cast<size_t>(inner)) % e.scale.size();
}

bool usable_encoding(const TensorInfo& t) {
  if (!t.encoding || ir::is_float(t.dtype) || t.encoding->scale.empty()) return false;
  const auto& e = *t.encoding;
  return !e.per_axis() || (static_cast<size_t>(e.axis) < t.shape.size() &&
                           static_cast<int64_t>(e.scale.size()) == t.shape[e.axis]);
}

}  // namespace

std::vector<std::byte> float_to_native(std::span<const float> values, const TensorInfo& t) {
  const size_t es = ir::dtype_size(t.dtype);
  std::vector<std::byte> out(values.size() * es);
  if (t.dtype == ir::DataType::kFloat32) {
    if (!out.empty()) std::memcpy(out.data(), values.data(), out.size());  // empty: data() null
  } else if (t.dtype == ir::DataType::kFloat16) {
    for (size_t i = 0; i < values.size(); ++i) {
      uint16_t h = ir::float_to_half(values[i]);
      std::memcpy(out.data() + 2 * i, &h, 2);
    }
  } else if (usable_encoding(t)) {
    const auto& e = *t.encoding;
    // quantize_value would turn NaN into an undefined integer cast: map NaN to 0.0 first.
    bool has_nan = std::any_of(values.begin(), values.end(), [](float v) { return std::isnan(v); });
    if (!e.per_axis() && natural_dtype(e) == t.dtype && !has_nan) {
      quant::quantize_buffer(values, e, out.data());
    } else {
      for (size_t i = 0; i < values.size(); ++i) {
        size_t c = e.per_axis() ? channel_of(i, t) : 0;
        double v = std::isnan(values[i]) ? 0.0 : values[i];
        ir::store_int(t.dtype, quant::quantize_value(v, e, c), out.data() + i * es);
      }
    }
  } else {
    for (size_t i = 0; i < values.size(); ++i)
      ir::store_int(t.dtype, values[i], out.data() + i * es);
  }
  return out;
}

std::vector<float> native_to_float(std::span<const std::byte> bytes, const TensorInfo& t) {
  const size_t es = ir::dtype_size(t.dtype);
  const size_t n = bytes.size() / es;
  std::vector<float> out(n);
  if (t.dtype == ir::DataType::kFloat32) {
    if (n > 0) std::memcpy(out.data(), bytes.data(), n * 4);  // empty: data() may be null
  } else if (t.dtype == ir::DataType::kFloat16) {
    for (size_t i = 0; i < n; ++i) {
      uint16_t h;
      std::memcpy(&h, bytes.data() + 2 * i, 2);
      out[i] = ir::half_to_float(h);
    }
  } else if (usable_encoding(t)) {
    const auto& e = *t.encoding;
    if (!e.per_axis() && natural_dtype(e) == t.dtype) {
      quant::dequantize_buffer(bytes.data(), n, e, out.data());
    } else {
      for (size_t i = 0; i < n; ++i) {
        auto q = ir::saturate<int32_t>(ir::load_int(t.dtype, bytes.data() + i * es));  // int64 data
        out[i] =
            static_cast<float>(quant::dequantize_value(q, e, e.per_axis() ? channel_of(i, t) : 0));
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i)
      out[i] = static_cast<float>(ir::load_int(t.dtype, bytes.data() + i * es));
  }
  return out;
}

Expected<std::vector<std::byte>> read_raw_input(const std::string& path, const TensorInfo& t,
                                                bool native) {
  OQNN_ASSIGN_OR_RETURN(auto blob, map_file(path));
  ir::DataType file_dtype = native ? t.dtype : ir::DataType::kFloat32;
  const size_t elements = static_cast<size_t>(ir::num_elements(t.shape));
  const size_t want = elements * ir::dtype_size(file_dtype);
  if (blob->size() != want)
    return bad_input(
        path + ": input '" + t.name + "' expects " + std::to_string(want) + " bytes (" +
            std::string(ir::dtype_name(file_dtype)) + ir::shape_str(t.shape) + "), the file has " +
            std::to_string(blob->size()) + " bytes",
        {native ? "native files hold the graph's own dtype; drop --use_native_input_files for "
                  "float32 files"
                : "files hold float32 values unless --use_native_input_files or "
                  "--native_input_tensor_names names the tensor"});
  if (native) return std::vector<std::byte>(blob->data(), blob->data() + blob->size());
  std::vector<float> values(elements);
  if (want) std::memcpy(values.data(), blob->data(), want);
  return float_to_native(values, t);
}

std::string output_file_name(const std::string& tensor_name, bool native) {
  return sanitize_name(tensor_name) + (native ? "_native.raw" : ".raw");
}

Expected<std::string> write_raw_output(const std::string& dir, const TensorInfo& t,
                                       std::span<const std::byte> native_bytes, bool native) {
  std::string path = join_path(dir, output_file_name(t.name, native));
  if (native || t.dtype == ir::DataType::kFloat32) {
    OQNN_RETURN_IF_ERROR(write_file_atomic(path, native_bytes));
  } else {
    std::vector<float> values = native_to_float(native_bytes, t);
    OQNN_RETURN_IF_ERROR(write_file_atomic(path, std::as_bytes(std::span(values))));
  }
  return path;
}

}  // namespace oqnn::rt
