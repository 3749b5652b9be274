#include <gtest/gtest.h>

#include <cstring>

#include "codegen/ustar_writer.h"
#include "runtime/model_library/model_library.h"
#include "sample_graphs.h"
#include "support/files.h"

namespace oqnn::testing {
namespace {

std::vector<std::byte> bytes_of(const std::string& s) {
  std::vector<std::byte> v(s.size());
  std::memcpy(v.data(), s.data(), s.size());
  return v;
}

// An archive with a short member, an empty member and a pax long-name member.
std::vector<std::byte> small_archive() {
  std::string dir = fresh_dir("ustar");
  std::string path = join_path(dir, "a.bin");
  AtomicFile f(path);
  EXPECT_TRUE(f.open().is_ok());
  codegen::UstarWriter tar(f);
  auto a = bytes_of("hello");
  EXPECT_TRUE(tar.add("a.raw", a).is_ok());
  EXPECT_TRUE(tar.add("empty.raw", {}).is_ok());
  auto b = bytes_of(std::string(600, 'x'));
  EXPECT_TRUE(tar.add(std::string(120, 'n') + ".raw", b).is_ok());
  EXPECT_TRUE(tar.finish().is_ok());
  EXPECT_TRUE(f.commit().is_ok());
  return bytes_of(read_file(path));
}

TEST(CodegenUstar, IndexesWhatTheWriterWrote) {
  auto archive = small_archive();
  auto index = rt::index_ustar(archive, "mem");
  ASSERT_TRUE(index.has_value()) << index.error().message;
  ASSERT_EQ(index->size(), 3u);
  EXPECT_EQ(index->at("a.raw"), std::make_pair(uint64_t{512}, uint64_t{5}));
  EXPECT_EQ(index->at("empty.raw").second, 0u);
  EXPECT_EQ(index->at(std::string(120, 'n') + ".raw").second, 600u);
}

TEST(CodegenUstar, EmptyArchivesAreEmpty) {
  EXPECT_TRUE(rt::index_ustar({}, "mem")->empty());
  std::vector<std::byte> zeros(1024);
  EXPECT_TRUE(rt::index_ustar(zeros, "mem")->empty());
}

TEST(CodegenUstar, MalformedBytesGiveErrorsNamingTheOrigin) {
  auto good = small_archive();
  auto expect_error = [](std::vector<std::byte> bytes, const std::string& why) {
    auto r = rt::index_ustar(bytes, "weights.bin");
    ASSERT_FALSE(r.has_value()) << why;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
    EXPECT_NE(r.error().message.find("weights.bin"), std::string::npos);
  };
  expect_error(std::vector<std::byte>(good.begin(), good.begin() + 100), "truncated header");
  auto bad_sum = good;
  bad_sum[0] = std::byte{'b'};
  expect_error(bad_sum, "checksum");
  expect_error(bytes_of(std::string(512, 'z')), "garbage");
  // A size field claiming more data than there is (checksum fixed up so only size is wrong).
  auto big = good;
  std::memcpy(big.data() + 124, "77777777777", 11);
  std::memset(big.data() + 148, ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(big[i]);
  char octal[8];
  std::snprintf(octal, sizeof octal, "%06o", sum);
  std::memcpy(big.data() + 148, octal, 7);
  expect_error(big, "size past end");
}

TEST(CodegenUstar, NoSingleByteCorruptionCrashes) {
  auto good = small_archive();
  // Flip every byte of the headers and pax records in turn: each result is either a
  // valid index or an error, never an out-of-bounds read (ASan builds check this).
  size_t checked = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    for (unsigned char v : {0x00, 0x30, 0x37, 0x78, 0xff}) {
      auto bytes = good;
      bytes[i] = std::byte{v};
      auto r = rt::index_ustar(bytes, "mem");
      if (r.has_value()) {
        for (auto& [name, span] : *r) EXPECT_LE(span.first + span.second, bytes.size()) << name;
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, good.size() * 5);
}

}  // namespace
}  // namespace oqnn::testing
