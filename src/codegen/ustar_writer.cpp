#include "codegen/ustar_writer.h"

#include <array>
#include <cstring>

#include <fmt/format.h>

namespace oqnn::codegen {
namespace {

constexpr size_t kBlock = 512;
constexpr uint64_t kMaxOctalSize = 077777777777ull;  // 11 octal digits

// Header field offsets and widths (POSIX.1-1988 ustar).
struct Field {
  size_t offset, width;
};
constexpr Field kName{0, 100}, kMode{100, 8}, kUid{108, 8}, kGid{116, 8}, kSize{124, 12},
    kMtime{136, 12}, kChecksum{148, 8}, kMagic{257, 6}, kVersion{263, 2}, kDevMajor{329, 8},
    kDevMinor{337, 8};
constexpr size_t kTypeflag = 156;

void put_octal(std::array<char, kBlock>& h, Field f, uint64_t v) {
  // width-1 zero-padded digits and a terminating NUL, as GNU tar writes them.
  std::string s = fmt::format("{:0{}o}", v, f.width - 1);
  std::memcpy(h.data() + f.offset, s.data(), f.width - 1);
}

// "<len> key=value\n" where len counts the whole record, itself included.
std::string pax_record(const std::string& key, const std::string& value) {
  size_t body = 1 + key.size() + 1 + value.size() + 1;
  size_t len = body + 1;
  while (std::to_string(len).size() + body != len) len = std::to_string(len).size() + body;
  return std::to_string(len) + " " + key + "=" + value + "\n";
}

}  // namespace

Status UstarWriter::write_header(const std::string& name, uint64_t size, char typeflag) {
  std::array<char, kBlock> h{};
  std::memcpy(h.data() + kName.offset, name.data(), std::min(name.size(), kName.width));
  put_octal(h, kMode, 0644);
  put_octal(h, kUid, 0);
  put_octal(h, kGid, 0);
  put_octal(h, kSize, size <= kMaxOctalSize ? size : 0);  // else the pax "size" record holds it
  put_octal(h, kMtime, 0);
  h[kTypeflag] = typeflag;
  std::memcpy(h.data() + kMagic.offset, "ustar", kMagic.width);  // "ustar\0"
  std::memcpy(h.data() + kVersion.offset, "00", kVersion.width);
  put_octal(h, kDevMajor, 0);
  put_octal(h, kDevMinor, 0);
  // The checksum is the byte sum of the header with its own field read as spaces.
  std::memset(h.data() + kChecksum.offset, ' ', kChecksum.width);
  uint32_t sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  std::string cs = fmt::format("{:06o}", sum);
  std::memcpy(h.data() + kChecksum.offset, cs.data(), 6);
  h[kChecksum.offset + 6] = '\0';
  return out_.write(h.data(), h.size());
}

Status UstarWriter::pad_to_block(uint64_t size) {
  static const std::array<char, kBlock> zeros{};
  size_t rem = static_cast<size_t>(size % kBlock);
  return rem ? out_.write(zeros.data(), kBlock - rem) : Status::ok();
}

Status UstarWriter::add(const std::string& name, std::span<const std::byte> data) {
  std::string pax;
  if (name.size() > kName.width) pax += pax_record("path", name);
  if (data.size() > kMaxOctalSize) pax += pax_record("size", std::to_string(data.size()));
  if (!pax.empty()) {
    OQNN_RETURN_IF_ERROR(write_header("PaxHeaders/" + name.substr(0, 89), pax.size(), 'x'));
    OQNN_RETURN_IF_ERROR(out_.write(pax.data(), pax.size()));
    OQNN_RETURN_IF_ERROR(pad_to_block(pax.size()));
  }
  OQNN_RETURN_IF_ERROR(write_header(name, data.size(), '0'));
  OQNN_RETURN_IF_ERROR(out_.write(data.data(), data.size()));
  return pad_to_block(data.size());
}

Status UstarWriter::finish() {
  static const std::array<char, 2 * kBlock> zeros{};
  return out_.write(zeros.data(), zeros.size());
}

}  // namespace oqnn::codegen
