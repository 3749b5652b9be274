#include "onnx/model_parse.h"

#include <sys/mman.h>
#include <unistd.h>

#include <climits>
#include <optional>
#include <vector>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream.h>

namespace oqnn::onnx_import {
namespace {

namespace pio = google::protobuf::io;

// Serves [data, data + size) in blocks; when the parser asks for a block it is done with
// the earlier ones (it keeps at most a few bytes of them in its own buffer), so their
// pages are released.
class BlockStream final : public pio::ZeroCopyInputStream {
 public:
  static constexpr size_t kBlock = size_t{4} << 20;
  BlockStream(const std::byte* data, size_t size) : data_(data), size_(size) {}

  bool Next(const void** data, int* size) override {
    if (pos_ >= size_) return false;
    release_pages(data_ + released_, pos_ - released_);
    released_ = pos_;
    size_t n = std::min(kBlock, size_ - pos_);
    *data = data_ + pos_;
    *size = static_cast<int>(n);
    pos_ += n;
    return true;
  }
  void BackUp(int count) override { pos_ -= static_cast<size_t>(count); }
  bool Skip(int count) override {
    bool ok = static_cast<size_t>(count) <= size_ - pos_;
    pos_ = ok ? pos_ + static_cast<size_t>(count) : size_;
    return ok;
  }
  int64_t ByteCount() const override { return static_cast<int64_t>(pos_); }

 private:
  const std::byte* data_;
  size_t size_, pos_ = 0, released_ = 0;
};

struct Field {
  uint32_t number;
  uint32_t wire;
  size_t start, begin, end;  // tag start, payload begin, payload end
};

bool read_varint(const std::byte* d, size_t end, size_t& pos, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos >= end) return false;
    auto b = static_cast<uint8_t>(d[pos++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (!(b & 0x80)) return true;
  }
  return false;
}

// The fields of the message in [begin, end); nullopt when malformed (protobuf itself then
// parses the range and reports the error).
std::optional<std::vector<Field>> scan(const std::byte* d, size_t begin, size_t end) {
  std::vector<Field> fields;
  for (size_t pos = begin; pos < end;) {
    Field f{0, 0, pos, 0, 0};
    uint64_t tag = 0, v = 0;
    if (!read_varint(d, end, pos, tag)) return std::nullopt;
    f.number = static_cast<uint32_t>(tag >> 3);
    f.wire = static_cast<uint32_t>(tag & 7);
    size_t len = 0;
    switch (f.wire) {
      case 0:
        if (!read_varint(d, end, pos, v)) return std::nullopt;
        break;
      case 1:
        len = 8;
        break;
      case 5:
        len = 4;
        break;
      case 2:
        if (!read_varint(d, end, pos, v)) return std::nullopt;
        len = v > end - pos ? end - pos + 1 : static_cast<size_t>(v);
        break;
      default:
        return std::nullopt;  // groups are not used by ONNX
    }
    if (len > end - pos) return std::nullopt;
    f.begin = pos;
    pos += len;
    f.end = pos;
    fields.push_back(f);
  }
  return fields;
}

bool merge_range(google::protobuf::MessageLite& m, const std::byte* d, size_t b, size_t e) {
  if (b == e) return true;
  BlockStream stream(d + b, e - b);
  pio::CodedInputStream coded(&stream);
  coded.SetTotalBytesLimit(INT_MAX);
  return m.MergeFromCodedStream(&coded) && coded.ConsumedEntireMessage();
}

// The raw_data field of a TensorProto worth viewing in place: exactly one, large, and no
// external-data fields of its own.
std::optional<Field> viewable_raw_data(const std::byte* d, const Field& tensor) {
  auto fields = scan(d, tensor.begin, tensor.end);
  if (!fields) return std::nullopt;
  std::optional<Field> raw;
  for (const Field& f : *fields) {
    if (f.number == 13 || f.number == 14) return std::nullopt;  // external_data, data_location
    if (f.number != 9) continue;
    if (raw || f.wire != 2) return std::nullopt;
    raw = f;
  }
  if (!raw || raw->end - raw->begin < kViewBytes) return std::nullopt;
  return raw;
}

bool parse_viewed_tensor(const std::byte* d, const Field& t, const Field& raw,
                         const std::string& self, ::onnx::TensorProto& out) {
  if (!merge_range(out, d, t.begin, raw.start) || !merge_range(out, d, raw.end, t.end))
    return false;
  out.set_data_location(::onnx::TensorProto::EXTERNAL);
  auto add = [&](const char* k, const std::string& v) {
    auto* e = out.add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", self);
  add("offset", std::to_string(raw.begin));
  add("length", std::to_string(raw.end - raw.begin));
  return true;
}

// GraphProto: everything but the large initializers goes through protobuf in order.
bool parse_graph(const std::byte* d, size_t b, size_t e, const std::string& self,
                 ::onnx::GraphProto& g) {
  auto fields = scan(d, b, e);
  if (!fields) return merge_range(g, d, b, e);
  size_t cursor = b;
  for (const Field& f : *fields) {
    if (f.number != 5 || f.wire != 2) continue;  // initializer
    auto raw = viewable_raw_data(d, f);
    if (!raw) continue;
    if (!merge_range(g, d, cursor, f.start)) return false;
    if (!parse_viewed_tensor(d, f, *raw, self, *g.add_initializer())) return false;
    cursor = f.end;
  }
  return merge_range(g, d, cursor, e);
}

}  // namespace

bool parse_model(const std::byte* d, size_t size, const std::string& self,
                 ::onnx::ModelProto& model) {
  auto fields = scan(d, 0, size);
  if (!fields) return merge_range(model, d, 0, size);
  size_t cursor = 0;
  for (const Field& f : *fields) {
    if (f.number != 7 || f.wire != 2) continue;  // graph
    if (!merge_range(model, d, cursor, f.start)) return false;
    if (!parse_graph(d, f.begin, f.end, self, *model.mutable_graph())) return false;
    cursor = f.end;
  }
  return merge_range(model, d, cursor, size);
}

void release_pages(const std::byte* data, size_t size) {
  static const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  auto begin = (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
  auto end = (reinterpret_cast<uintptr_t>(data) + size) / page * page;
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
}

}  // namespace oqnn::onnx_import
