// Little-endian byte writer and a bounds-checked reader for our binary formats (the IR
// serialization and the context-binary container). The reader never reads past its end:
// every get_* reports failure instead, so untrusted files give errors, not crashes.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

namespace oqnn {

class ByteWriter {
 public:
  void put_u8(uint8_t v) { bytes_.push_back(static_cast<std::byte>(v)); }
  void put_u32(uint32_t v) { put_raw(&v, 4); }
  void put_u64(uint64_t v) { put_raw(&v, 8); }
  void put_i64(int64_t v) { put_raw(&v, 8); }
  void put_f64(double v) { put_raw(&v, 8); }
  void put_str(const std::string& s) {
    put_u32(static_cast<uint32_t>(s.size()));
    put_raw(s.data(), s.size());
  }
  void put_raw(const void* p, size_t n) {
    auto* b = static_cast<const std::byte*>(p);
    bytes_.insert(bytes_.end(), b, b + n);
  }
  void align(size_t a) {
    while (bytes_.size() % a) bytes_.push_back(std::byte{0});
  }
  size_t size() const { return bytes_.size(); }
  std::vector<std::byte>& bytes() { return bytes_; }

 private:
  std::vector<std::byte> bytes_;
};

class ByteReader {
 public:
  explicit ByteReader(std::span<const std::byte> data) : data_(data) {}
  bool get_u8(uint8_t& v) { return get_raw(&v, 1); }
  bool get_u32(uint32_t& v) { return get_raw(&v, 4); }
  bool get_u64(uint64_t& v) { return get_raw(&v, 8); }
  bool get_i64(int64_t& v) { return get_raw(&v, 8); }
  bool get_f64(double& v) { return get_raw(&v, 8); }
  bool get_str(std::string& s, size_t max_len = 1 << 20) {
    uint32_t n = 0;
    if (!get_u32(n) || n > max_len || n > remaining()) return false;
    s.assign(reinterpret_cast<const char*>(data_.data() + pos_), n);
    pos_ += n;
    return true;
  }
  bool get_raw(void* p, size_t n) {
    if (n > remaining()) return false;
    if (n > 0) std::memcpy(p, data_.data() + pos_, n);  // p may be null when n is 0
    pos_ += n;
    return true;
  }
  bool skip(size_t n) {
    if (n > remaining()) return false;
    pos_ += n;
    return true;
  }
  size_t pos() const { return pos_; }
  size_t remaining() const { return data_.size() - pos_; }

 private:
  std::span<const std::byte> data_;
  size_t pos_ = 0;
};

}  // namespace oqnn
