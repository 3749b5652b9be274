// index_ustar: reads the archive qnn-onnx-converter writes (and any POSIX ustar/pax
// archive of regular files) without trusting a single field.
#include <cstring>
#include <string_view>

#include "runtime/model_library/model_library.h"

namespace oqnn::rt {
namespace {

constexpr uint64_t kBlock = 512;

struct PaxOverrides {
  std::string path;
  bool has_size = false;
  uint64_t size = 0;
};

std::string_view field(const std::byte* h, size_t offset, size_t width) {
  const char* p = reinterpret_cast<const char*>(h) + offset;
  return {p, strnlen(p, width)};
}

// Octal number, optionally space-padded and NUL/space terminated. Base-256 (GNU) is refused.
bool parse_octal(std::string_view s, uint64_t& v) {
  size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  v = 0;
  bool any = false;
  for (; i < s.size() && s[i] != ' '; ++i) {
    if (s[i] < '0' || s[i] > '7' || v > (UINT64_MAX >> 3)) return false;
    v = v * 8 + static_cast<uint64_t>(s[i] - '0');
    any = true;
  }
  for (; i < s.size(); ++i)
    if (s[i] != ' ') return false;
  return any;
}

bool parse_decimal(std::string_view s, uint64_t& v) {
  if (s.empty() || s.size() > 19) return false;
  v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return true;
}

bool checksum_ok(const std::byte* h) {
  uint64_t stored = 0;
  if (!parse_octal(field(h, 148, 8), stored)) return false;
  uint64_t sum_unsigned = 0;
  int64_t sum_signed = 0;  // some old tars summed signed chars
  for (size_t i = 0; i < kBlock; ++i) {
    unsigned char c = (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
    sum_unsigned += c;
    sum_signed += static_cast<signed char>(c);
  }
  return stored == sum_unsigned || static_cast<int64_t>(stored) == sum_signed;
}

// "<len> key=value\n" records; unknown keys are ignored.
bool parse_pax(std::string_view data, PaxOverrides& pax) {
  while (!data.empty()) {
    size_t sp = data.find(' ');
    uint64_t len = 0;
    if (sp == std::string_view::npos || !parse_decimal(data.substr(0, sp), len) || len <= sp + 1 ||
        len > data.size() || data[len - 1] != '\n')
      return false;
    std::string_view rec = data.substr(sp + 1, len - sp - 2);
    size_t eq = rec.find('=');
    if (eq == std::string_view::npos) return false;
    std::string_view key = rec.substr(0, eq), value = rec.substr(eq + 1);
    if (key == "path") pax.path = std::string(value);
    if (key == "size") {
      if (!parse_decimal(value, pax.size)) return false;
      pax.has_size = true;
    }
    data.remove_prefix(len);
  }
  return true;
}

}  // namespace

Expected<std::map<std::string, std::pair<uint64_t, uint64_t>>> index_ustar(
    std::span<const std::byte> archive, const std::string& origin) {
  std::map<std::string, std::pair<uint64_t, uint64_t>> members;
  const uint64_t total = archive.size();
  PaxOverrides pax;
  uint64_t pos = 0;
  auto fail = [&](const std::string& what) {
    return bad_input(origin + ": malformed weights archive at byte " + std::to_string(pos) + ": " +
                     what);
  };
  while (pos < total) {
    if (total - pos < kBlock) return fail("truncated header");
    const std::byte* h = archive.data() + pos;
    bool zero = true;
    for (size_t i = 0; i < kBlock && zero; ++i) zero = h[i] == std::byte{0};
    if (zero) break;  // end of archive
    if (field(h, 257, 5) != "ustar") return fail("not a ustar header");
    if (!checksum_ok(h)) return fail("header checksum mismatch");
    uint64_t size = 0;
    if (!parse_octal(field(h, 124, 12), size)) return fail("bad size field");
    char type = static_cast<char>(h[156]);
    if (pax.has_size && (type == '0' || type == '\0')) size = pax.size;
    uint64_t data = pos + kBlock;
    if (size > total - data) return fail("member data runs past the end of the archive");
    std::string_view bytes(reinterpret_cast<const char*>(archive.data() + data), size);
    if (type == 'x') {
      if (!parse_pax(bytes, pax)) return fail("bad pax extended header");
    } else if (type == '0' || type == '\0') {
      std::string name = pax.path;
      if (name.empty()) {
        std::string_view prefix = field(h, 345, 155);
        name = std::string(prefix) + (prefix.empty() ? "" : "/") + std::string(field(h, 0, 100));
      }
      if (name.empty()) return fail("member without a name");
      if (!members.emplace(name, std::make_pair(data, size)).second)
        return fail("member '" + name + "' appears twice");
      pax = {};
    } else if (type != 'g') {
      pax = {};  // folders, links and the like carry no tensors
    }
    uint64_t padded = (size + kBlock - 1) / kBlock * kBlock;
    if (padded > total - data) {
      pos = total;  // the last member's padding may be cut short
      break;
    }
    pos = data + padded;
  }
  return members;
}

}  // namespace oqnn::rt
