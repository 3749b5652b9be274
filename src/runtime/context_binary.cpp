#include "runtime/context_binary.h"

#include <xxhash.h>

#include <cstring>

#include "runtime/context_metadata.h"
#include "runtime/json_util.h"
#include "support/bytes.h"

namespace oqnn::rt {
namespace {

constexpr char kMagic[8] = {'O', 'Q', 'N', 'N', 'C', 'T', 'X', '\0'};
constexpr size_t kAlign = 64;
constexpr size_t kChecksumSize = 8;
constexpr size_t kFixedHeader = 8 + 4 + 4 + 8 + 4 + 4;  // magic .. section count
constexpr uint32_t kMaxSections = 4096;
constexpr size_t kMaxString = 4096;

enum SectionKind : uint32_t { kMetadata = 1, kPlan = 2 };

struct SectionEntry {
  uint32_t kind = 0, backend_id = 0;
  uint64_t offset = 0, size = 0;
  std::string name;
};

uint64_t align_up(uint64_t v) {
  return (v + kAlign - 1) / kAlign * kAlign;
}

// The header with its section table; `offsets` are filled in by the caller's layout.
std::vector<std::byte> encode_header(const ContextInfo& info, uint64_t file_size,
                                     const std::vector<SectionEntry>& sections) {
  ByteWriter w;
  w.put_raw(kMagic, sizeof(kMagic));
  w.put_u32(kContextFormatVersion);
  w.put_u32(0);  // header size, patched below
  w.put_u64(file_size);
  w.put_u32(info.backend_id);
  w.put_u32(static_cast<uint32_t>(sections.size()));
  w.put_str(info.backend_name);
  w.put_str(info.backend_version);
  w.put_str(info.toolchain_version);
  for (const auto& s : sections) {
    w.put_u32(s.kind);
    w.put_u32(s.backend_id);
    w.put_u64(s.offset);
    w.put_u64(s.size);
    w.put_str(s.name);
  }
  w.align(kAlign);
  uint32_t header_size = static_cast<uint32_t>(w.size());
  std::memcpy(w.bytes().data() + 12, &header_size, 4);
  return std::move(w.bytes());
}

}  // namespace

Status write_context_binary(const std::string& path, const ContextInfo& info,
                            const std::vector<PartitionBytes>& partitions) {
  if (partitions.empty()) return internal_error(path + ": a context binary needs a plan");
  std::string meta = context_metadata_to_json(info).dump(1, ' ');
  std::vector<SectionEntry> sections;
  sections.push_back({kMetadata, info.backend_id, 0, meta.size(), "metadata"});
  for (const auto& p : partitions)
    sections.push_back({kPlan, p.backend_id, 0, p.plan.size(), p.name});
  // The header's size does not depend on the offsets it holds: lay out once with zeros.
  uint64_t off = encode_header(info, 0, sections).size();
  for (auto& s : sections) {
    s.offset = off;
    off = align_up(off + s.size);
  }
  uint64_t file_size = off + kChecksumSize;
  std::vector<std::byte> header = encode_header(info, file_size, sections);

  AtomicFile f(path);
  OQNN_RETURN_IF_ERROR(f.open());
  XXH3_state_t* st = XXH3_createState();
  if (!st) return internal_error("out of memory");
  XXH3_64bits_reset(st);
  auto put = [&](const void* data, size_t size) -> Status {
    XXH3_64bits_update(st, data, size);
    return f.write(data, size);
  };
  static const std::byte zeros[kAlign] = {};
  Status s = put(header.data(), header.size());
  for (size_t i = 0; s.is_ok() && i < sections.size(); ++i) {
    const void* data = i == 0 ? static_cast<const void*>(meta.data())
                              : static_cast<const void*>(partitions[i - 1].plan.data());
    s = put(data, sections[i].size);
    uint64_t pad =
        align_up(sections[i].offset + sections[i].size) - sections[i].offset - sections[i].size;
    if (s.is_ok() && pad) s = put(zeros, pad);
  }
  uint64_t sum = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  OQNN_RETURN_IF_ERROR(s);
  OQNN_RETURN_IF_ERROR(f.write(&sum, sizeof(sum)));
  return f.commit();
}

Status write_context_binary(const std::string& path, const ContextInfo& info,
                            std::span<const std::byte> plan) {
  return write_context_binary(path, info, {PartitionBytes{info.graph_name, info.backend_id, plan}});
}

Expected<LoadedContext> read_context_binary(const std::string& path) {
  OQNN_ASSIGN_OR_RETURN(auto blob, map_file(path));
  return parse_context_binary(std::move(blob), path);
}

namespace {

Status check_envelope(const Blob& file, const std::string& origin) {
  auto fail = [&](const std::string& what) {
    return bad_input(origin + ": " + what, {"regenerate it with qnn-context-binary-generator"});
  };
  const size_t n = file.size();
  if (n < sizeof(kMagic) || std::memcmp(file.data(), kMagic, sizeof(kMagic)) != 0)
    return bad_input(origin + ": not an OpenQNN context binary (bad magic)",
                     {"context binaries from Qualcomm's QNN SDK cannot be loaded; generate one "
                      "with OpenQNN's qnn-context-binary-generator"});
  ByteReader r(file.span());
  r.skip(sizeof(kMagic));
  uint32_t version = 0, header_size = 0;
  uint64_t recorded = 0;
  if (!r.get_u32(version)) return fail("truncated in the header (" + std::to_string(n) + " bytes)");
  if (version != kContextFormatVersion)
    return fail("format version " + std::to_string(version) + ", this build reads version " +
                std::to_string(kContextFormatVersion));
  if (!r.get_u32(header_size) || !r.get_u64(recorded))
    return fail("truncated in the header (" + std::to_string(n) + " bytes)");
  if (recorded != n)
    return fail(std::string(n < recorded ? "truncated" : "has trailing bytes") +
                ": the header says " + std::to_string(recorded) + " bytes, the file has " +
                std::to_string(n));
  if (n < kFixedHeader + kChecksumSize) return fail("too small to be a context binary");
  uint64_t stored = 0;
  std::memcpy(&stored, file.data() + n - kChecksumSize, sizeof(stored));
  if (XXH3_64bits(file.data(), n - kChecksumSize) != stored)
    return fail("checksum mismatch: the file is corrupted");
  return Status::ok();
}

Expected<std::vector<SectionEntry>> read_header(const Blob& file, const std::string& origin,
                                                ContextInfo& info) {
  auto fail = [&](const std::string& what) {
    return bad_input(origin + ": malformed header: " + what);
  };
  const uint64_t end = file.size() - kChecksumSize;
  ByteReader r(file.span().first(end));
  uint32_t version = 0, header_size = 0, count = 0;
  uint64_t size = 0;
  r.skip(sizeof(kMagic));
  r.get_u32(version);
  r.get_u32(header_size);
  r.get_u64(size);
  if (!r.get_u32(info.backend_id) || !r.get_u32(count)) return fail("truncated");
  if (count > kMaxSections) return fail(std::to_string(count) + " sections");
  if (!r.get_str(info.backend_name, kMaxString) || !r.get_str(info.backend_version, kMaxString) ||
      !r.get_str(info.toolchain_version, kMaxString))
    return fail("bad version strings");
  std::vector<SectionEntry> sections(count);
  for (uint32_t i = 0; i < count; ++i) {
    SectionEntry& s = sections[i];
    if (!r.get_u32(s.kind) || !r.get_u32(s.backend_id) || !r.get_u64(s.offset) ||
        !r.get_u64(s.size) || !r.get_str(s.name, kMaxString))
      return fail("section table truncated");
  }
  if (header_size < r.pos() || header_size > end) return fail("bad header size");
  for (uint32_t i = 0; i < count; ++i) {
    const SectionEntry& s = sections[i];
    std::string which = "section " + std::to_string(i) + " ('" + s.name + "')";
    if (s.offset % kAlign != 0) return fail(which + " is not 64-byte aligned");
    if (s.offset < header_size || s.offset > end || s.size > end - s.offset)
      return fail(which + " lies outside the file");
  }
  return sections;
}

}  // namespace

Expected<LoadedContext> parse_context_binary(std::shared_ptr<const Blob> file,
                                             const std::string& origin) {
  OQNN_RETURN_IF_ERROR(check_envelope(*file, origin));
  LoadedContext ctx;
  OQNN_ASSIGN_OR_RETURN(auto sections, read_header(*file, origin, ctx.info));
  int metadata_sections = 0;
  for (const SectionEntry& s : sections) {
    if (s.kind == kMetadata) {
      if (++metadata_sections > 1) return bad_input(origin + ": more than one metadata section");
      std::string text(reinterpret_cast<const char*>(file->data() + s.offset), s.size);
      OQNN_ASSIGN_OR_RETURN(auto meta, parse_json(text, origin + " (metadata section)"));
      OQNN_RETURN_IF_ERROR(context_metadata_from_json(meta, origin, ctx.info));
    } else if (s.kind == kPlan) {
      ctx.partitions.push_back(
          {s.name, s.backend_id, std::make_shared<SubBlob>(file, s.offset, s.size)});
    }
    // Other kinds belong to newer writers of the same format version: skipped.
  }
  if (metadata_sections == 0) return bad_input(origin + ": no metadata section");
  if (ctx.partitions.empty()) return bad_input(origin + ": no plan section");
  return ctx;
}

}  // namespace oqnn::rt
