#include "onnx/tensor_proto.h"

#include <algorithm>
#include <cstring>
#include <iterator>
#include <limits>

#include "onnx/model_parse.h"
#include "support/files.h"

namespace oqnn::onnx_import {
namespace {

using ir::DataType;
using TP = ::onnx::TensorProto;

// Owns a string taken out of the parsed proto (swapped, not copied).
class StringBlob final : public Blob {
 public:
  explicit StringBlob(std::string s) : s_(std::move(s)) {}
  const std::byte* data() const override { return reinterpret_cast<const std::byte*>(s_.data()); }
  size_t size() const override { return s_.size(); }

 private:
  std::string s_;
};

Expected<ir::Shape> tensor_shape(const TP& tp, const std::string& what) {
  ir::Shape shape;
  int64_t numel = 1;
  for (int64_t d : tp.dims()) {
    if (d < 0) return bad_input(what + ": negative dimension " + std::to_string(d));
    if (d > 0 && numel > std::numeric_limits<int64_t>::max() / 8 / d)
      return bad_input(what + ": too many elements");
    numel *= d;
    shape.push_back(d);
  }
  return shape;
}

template <class Field, class Store>
Expected<ConstTensor> from_typed(DataType dt, ir::Shape shape, const Field& field,
                                 const std::string& field_name, const std::string& what,
                                 Store store) {
  size_t n = static_cast<size_t>(ir::num_elements(shape));
  if (static_cast<size_t>(field.size()) != n)
    return bad_input(what + ": " + field_name + " has " + std::to_string(field.size()) +
                     " values, the shape " + ir::shape_str(shape) + " needs " + std::to_string(n));
  std::vector<std::byte> bytes(n * ir::dtype_size(dt));
  for (size_t i = 0; i < n; ++i) store(bytes.data(), i, field.Get(static_cast<int>(i)));
  return make_const_bytes(dt, std::move(shape), std::move(bytes));
}

template <class T>
auto store_as() {
  return [](std::byte* p, size_t i, auto v) {
    T t = static_cast<T>(v);
    std::memcpy(p + i * sizeof(T), &t, sizeof(T));
  };
}

Expected<ConstTensor> from_typed_fields(TP& tp, DataType dt, ir::Shape shape,
                                        const std::string& what) {
  Expected<ConstTensor> r = bad_input(what + ": no data");
  switch (dt) {
    case DataType::kFloat32:
      r = from_typed(dt, shape, tp.float_data(), "float_data", what, store_as<float>());
      google::protobuf::RepeatedField<float>().Swap(tp.mutable_float_data());
      break;
    case DataType::kInt64:
      r = from_typed(dt, shape, tp.int64_data(), "int64_data", what, store_as<int64_t>());
      google::protobuf::RepeatedField<int64_t>().Swap(tp.mutable_int64_data());
      break;
    case DataType::kInt32:
      r = from_typed(dt, shape, tp.int32_data(), "int32_data", what, store_as<int32_t>());
      break;
    case DataType::kInt16:
      r = from_typed(dt, shape, tp.int32_data(), "int32_data", what, store_as<int16_t>());
      break;
    case DataType::kUInt16:
    case DataType::kFloat16:  // float16 bit patterns travel in int32_data
      r = from_typed(dt, shape, tp.int32_data(), "int32_data", what, store_as<uint16_t>());
      break;
    case DataType::kInt8:
      r = from_typed(dt, shape, tp.int32_data(), "int32_data", what, store_as<int8_t>());
      break;
    case DataType::kUInt8:
      r = from_typed(dt, shape, tp.int32_data(), "int32_data", what, store_as<uint8_t>());
      break;
    case DataType::kBool:
      r = from_typed(
          dt, shape, tp.int32_data(), "int32_data", what,
          [](std::byte* p, size_t i, int32_t v) { p[i] = static_cast<std::byte>(v != 0); });
      break;
  }
  google::protobuf::RepeatedField<int32_t>().Swap(tp.mutable_int32_data());
  return r;
}

const std::string* external_entry(const TP& tp, const std::string& key) {
  for (const auto& kv : tp.external_data())
    if (kv.key() == key) return &kv.value();
  return nullptr;
}

Expected<uint64_t> parse_u64(const std::string* s, uint64_t def, const std::string& what) {
  if (!s) return def;
  uint64_t v = 0;
  if (s->empty()) return bad_input(what + ": empty external-data number");
  for (char c : *s) {
    if (c < '0' || c > '9' || v > (std::numeric_limits<uint64_t>::max() - 9) / 10)
      return bad_input(what + ": bad external-data number '" + *s + "'");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

// Copies a view of a mapped file piece by piece, handing back each piece's pages once
// copied, so the copy never coexists with the whole of its source in memory.
std::shared_ptr<const Blob> copy_releasing(const Blob& view) {
  constexpr size_t kPiece = size_t{4} << 20;
  std::vector<std::byte> bytes(view.size());
  for (size_t at = 0; at < bytes.size(); at += kPiece) {
    size_t n = std::min(kPiece, bytes.size() - at);
    std::memcpy(bytes.data() + at, view.data() + at, n);
    release_pages(view.data() + at, n);
  }
  return make_owned_blob(std::move(bytes));
}

Expected<ConstTensor> from_external(const TP& tp, const ConstTensor& kind, ir::Shape shape,
                                    const std::string& what, ExternalFiles& files) {
  const std::string* location = external_entry(tp, "location");
  if (!location) return bad_input(what + ": external data without a 'location'");
  OQNN_ASSIGN_OR_RETURN(auto file, files.get(*location, what));
  OQNN_ASSIGN_OR_RETURN(uint64_t offset, parse_u64(external_entry(tp, "offset"), 0, what));
  size_t expected = static_cast<size_t>(ir::num_elements(shape)) * kind.elem_size();
  OQNN_ASSIGN_OR_RETURN(uint64_t length, parse_u64(external_entry(tp, "length"), expected, what));
  if (offset > file->size() || length > file->size() - offset)
    return bad_input(what + ": external data (offset " + std::to_string(offset) + ", length " +
                     std::to_string(length) + ") runs past the end of '" + *location + "' (" +
                     std::to_string(file->size()) + " bytes)");
  if (length != expected)
    return bad_input(what + ": external data has " + std::to_string(length) + " bytes, the shape " +
                     ir::shape_str(shape) + " needs " + std::to_string(expected));
  std::shared_ptr<const Blob> view = std::make_shared<SubBlob>(file, offset, length);
  // Consumers read elements in place; an unaligned view is copied once to keep that legal
  // (and the file pages it came from are handed back).
  if (reinterpret_cast<uintptr_t>(view->data()) % kind.elem_size() != 0)
    view = copy_releasing(*view);
  return ConstTensor{kind.dtype, std::move(shape), std::move(view), kind.float64};
}

}  // namespace

std::optional<DataType> dtype_from_onnx(int32_t t) {
  switch (t) {
    case TP::FLOAT:
      return DataType::kFloat32;
    case TP::FLOAT16:
      return DataType::kFloat16;
    case TP::INT8:
      return DataType::kInt8;
    case TP::UINT8:
      return DataType::kUInt8;
    case TP::INT16:
      return DataType::kInt16;
    case TP::UINT16:
      return DataType::kUInt16;
    case TP::INT32:
      return DataType::kInt32;
    case TP::INT64:
      return DataType::kInt64;
    case TP::BOOL:
      return DataType::kBool;
    default:
      return std::nullopt;
  }
}

std::string onnx_dtype_name(int32_t t) {
  if (TP::DataType_IsValid(t)) return TP::DataType_Name(static_cast<TP::DataType>(t));
  // Types newer than the proto library we build against (onnx.proto's numbering).
  static const char* const kNewer[] = {"FLOAT8E4M3FN",   "FLOAT8E4M3FNUZ", "FLOAT8E5M2",
                                       "FLOAT8E5M2FNUZ", "UINT4",          "INT4",
                                       "FLOAT4E2M1"};
  if (t >= 17 && t < 17 + static_cast<int32_t>(std::size(kNewer))) return kNewer[t - 17];
  return "type " + std::to_string(t);
}

std::string reader_note(const ::onnx::GraphProto& g, const std::string& value) {
  for (int i = 0; i < g.node_size(); ++i) {
    const auto& n = g.node(i);
    for (const std::string& in : n.input())
      if (in == value)
        return " (read by node '" +
               (n.name().empty() ? n.op_type() + "_" + std::to_string(i) : n.name()) + "' (" +
               n.op_type() + "))";
  }
  return "";
}

Expected<std::shared_ptr<const Blob>> ExternalFiles::get(const std::string& location,
                                                         const std::string& what) {
  bool escapes = location.empty() || location[0] == '/';
  for (size_t start = 0; start <= location.size() && !escapes;) {
    size_t end = location.find('/', start);
    if (end == std::string::npos) end = location.size();
    escapes = location.compare(start, end - start, "..") == 0;
    start = end + 1;
  }
  if (escapes)
    return bad_input(what + ": external-data location '" + location +
                     "' must be a path inside the model's folder");
  auto it = mapped_.find(location);
  if (it != mapped_.end()) return it->second;
  auto blob = map_file(join_path(model_dir_, location));
  if (!blob) return bad_input(what + ": external data: " + blob.error().message);
  mapped_.emplace(location, *blob);
  return *blob;
}

void ExternalFiles::add(const std::string& location, std::shared_ptr<const Blob> file) {
  mapped_[location] = std::move(file);
}

void ExternalFiles::release(const ConstTensor& c) const {
  if (!c.data || c.data->size() == 0) return;
  const std::byte* p = c.data->data();
  for (const auto& [location, file] : mapped_)
    if (p >= file->data() && p + c.data->size() <= file->data() + file->size())
      release_pages(p, c.data->size());
}

Expected<ConstTensor> take_tensor_proto(TP& tp, const std::string& what, ExternalFiles& files) {
  bool f64 = tp.data_type() == TP::DOUBLE;
  auto dt = f64 ? std::optional<DataType>(DataType::kFloat32) : dtype_from_onnx(tp.data_type());
  if (!dt)
    return unsupported(what + ": data type " + onnx_dtype_name(tp.data_type()) +
                       " is not supported");
  if (tp.has_segment()) return unsupported(what + ": segmented tensors are not supported");
  OQNN_ASSIGN_OR_RETURN(ir::Shape shape, tensor_shape(tp, what));
  ConstTensor kind{*dt, {}, nullptr, f64};
  if (tp.data_location() == TP::EXTERNAL) return from_external(tp, kind, shape, what, files);
  if (!tp.has_raw_data()) {
    if (!f64) return from_typed_fields(tp, *dt, std::move(shape), what);
    if (tp.double_data_size() != ir::num_elements(shape))
      return bad_input(what + ": double_data has " + std::to_string(tp.double_data_size()) +
                       " values, the shape " + ir::shape_str(shape) + " needs " +
                       std::to_string(ir::num_elements(shape)));
    std::vector<double> v(tp.double_data().begin(), tp.double_data().end());
    return make_const_f64(std::move(shape), v);
  }
  size_t expected = static_cast<size_t>(ir::num_elements(shape)) * kind.elem_size();
  if (tp.raw_data().size() != expected)
    return bad_input(what + ": raw_data has " + std::to_string(tp.raw_data().size()) +
                     " bytes, the shape " + ir::shape_str(shape) + " needs " +
                     std::to_string(expected));
  std::string taken;
  taken.swap(*tp.mutable_raw_data());
  // Protobuf grows strings over 50 MB by doubling while it parses; give the slack back.
  if (taken.capacity() > taken.size() + taken.size() / 8 + 4096) taken.shrink_to_fit();
  return ConstTensor{*dt, std::move(shape), std::make_shared<StringBlob>(std::move(taken)), f64};
}

Expected<ConstTensor> copy_tensor_proto(const TP& tp, const std::string& what) {
  if (tp.data_location() == TP::EXTERNAL)
    return unsupported(what + ": external data is not supported here");
  TP copy = tp;
  ExternalFiles none("");
  return take_tensor_proto(copy, what, none);
}

}  // namespace oqnn::onnx_import
