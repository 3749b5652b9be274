#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>

#include "runtime/context_binary.h"
#include "support/bytes.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

using test::contains;

ContextInfo sample_info() {
  ContextInfo info;
  info.backend_id = 3;
  info.backend_name = "htp";
  info.backend_version = "0.1.0";
  info.toolchain_version = "OpenQNN 0.1.0";
  info.graph_name = "simple_model";
  info.inputs.push_back({"input",
                         ir::DataType::kUInt8,
                         {1, 224, 224, 3},
                         ir::Encoding{8, false, false, -1, {0.0186}, {-114}},
                         "NHWC"});
  info.outputs.push_back({"output", ir::DataType::kFloat32, {1, 10}, {}, ""});
  info.attributes["io_layout.input"] = "NHWC";
  info.attributes["generator.optimization_level"] = "high";
  return info;
}

std::vector<std::byte> sample_plan(size_t n) {
  std::vector<std::byte> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<std::byte>((i * 131 + 7) & 0xff);
  return p;
}

std::vector<std::byte> file_bytes(const std::string& path) {
  auto blob = map_file(path);
  return std::vector<std::byte>(blob.value()->data(), blob.value()->data() + blob.value()->size());
}

Expected<LoadedContext> parse(std::vector<std::byte> bytes) {
  return parse_context_binary(make_owned_blob(std::move(bytes)), "ctx.bin");
}

// Rewrites the trailing checksum so that a structural edit reaches the validators behind it.
void reseal(std::vector<std::byte>& b) {
  uint64_t sum = XXH3_64bits(b.data(), b.size() - 8);
  std::memcpy(b.data() + b.size() - 8, &sum, 8);
}

TEST(ContextBinary, RoundTripKeepsInfoAndPlanAligned) {
  test::TempDir dir;
  std::string path = dir.file("htp_context.bin");
  auto plan = sample_plan(1000);
  ASSERT_TRUE(write_context_binary(path, sample_info(), plan).is_ok());
  auto ctx = read_context_binary(path);
  ASSERT_TRUE(ctx.has_value()) << ctx.error().message;
  const ContextInfo& info = ctx->info;
  EXPECT_EQ(info.backend_id, 3u);
  EXPECT_EQ(info.backend_name, "htp");
  EXPECT_EQ(info.backend_version, "0.1.0");
  EXPECT_EQ(info.toolchain_version, "OpenQNN 0.1.0");
  EXPECT_EQ(info.graph_name, "simple_model");
  ASSERT_EQ(info.inputs.size(), 1u);
  EXPECT_EQ(info.inputs[0].dtype, ir::DataType::kUInt8);
  EXPECT_EQ(info.inputs[0].shape, (ir::Shape{1, 224, 224, 3}));
  EXPECT_EQ(info.inputs[0].layout, "NHWC");
  ASSERT_TRUE(info.inputs[0].encoding.has_value());
  EXPECT_EQ(*info.inputs[0].encoding, *sample_info().inputs[0].encoding);
  EXPECT_FALSE(info.outputs[0].encoding.has_value());
  EXPECT_EQ(info.attributes, sample_info().attributes);
  ASSERT_EQ(ctx->partitions.size(), 1u);
  const auto& p = ctx->partitions[0];
  EXPECT_EQ(p.backend_id, 3u);
  ASSERT_EQ(p.plan->size(), plan.size());
  EXPECT_EQ(std::memcmp(p.plan->data(), plan.data(), plan.size()), 0);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(p.plan->data()) % 64, 0u);  // mapped, 64-aligned
}

TEST(ContextBinary, SameInputsGiveIdenticalBytesAndNoTempFilesRemain) {
  test::TempDir dir;
  auto plan = sample_plan(77);
  ASSERT_TRUE(write_context_binary(dir.file("a.bin"), sample_info(), plan).is_ok());
  ASSERT_TRUE(write_context_binary(dir.file("b.bin"), sample_info(), plan).is_ok());
  EXPECT_EQ(file_bytes(dir.file("a.bin")), file_bytes(dir.file("b.bin")));
  size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 2u);
}

TEST(ContextBinary, SeveralPartitionsKeepTheirOrderAndBackends) {
  test::TempDir dir;
  auto a = sample_plan(10), b = sample_plan(300);
  std::vector<PartitionBytes> parts = {{"htp_part", 3, a}, {"cpu_part", 1, b}};
  ASSERT_TRUE(write_context_binary(dir.file("x.bin"), sample_info(), parts).is_ok());
  auto ctx = read_context_binary(dir.file("x.bin"));
  ASSERT_TRUE(ctx.has_value()) << ctx.error().message;
  ASSERT_EQ(ctx->partitions.size(), 2u);
  EXPECT_EQ(ctx->partitions[0].name, "htp_part");
  EXPECT_EQ(ctx->partitions[1].backend_id, 1u);
  EXPECT_EQ(ctx->partitions[1].plan->size(), 300u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(ctx->partitions[1].plan->data()) % 64, 0u);
}

TEST(ContextBinary, BadMagicIsNamed) {
  test::TempDir dir;
  ASSERT_TRUE(write_context_binary(dir.file("c.bin"), sample_info(), sample_plan(64)).is_ok());
  auto bytes = file_bytes(dir.file("c.bin"));
  bytes[0] = std::byte{'X'};
  auto r = parse(bytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(r.error().message, "ctx.bin: not an OpenQNN context binary"));
  auto missing = read_context_binary(dir.file("absent.bin"));
  ASSERT_FALSE(missing.has_value());
  EXPECT_TRUE(contains(missing.error().message, "absent.bin"));
}

TEST(ContextBinary, NewerFormatVersionIsRefused) {
  test::TempDir dir;
  ASSERT_TRUE(write_context_binary(dir.file("c.bin"), sample_info(), sample_plan(64)).is_ok());
  auto bytes = file_bytes(dir.file("c.bin"));
  uint32_t v = kContextFormatVersion + 1;
  std::memcpy(bytes.data() + 8, &v, 4);
  auto r = parse(bytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(contains(r.error().message, "format version 2")) << r.error().message;
}

TEST(ContextBinary, TruncationAtEveryOffsetIsAnError) {
  test::TempDir dir;
  ASSERT_TRUE(write_context_binary(dir.file("c.bin"), sample_info(), sample_plan(200)).is_ok());
  auto bytes = file_bytes(dir.file("c.bin"));
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto r = parse(std::vector<std::byte>(bytes.begin(), bytes.begin() + static_cast<long>(n)));
    ASSERT_FALSE(r.has_value()) << "truncated to " << n;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
    EXPECT_TRUE(contains(r.error().message, "ctx.bin")) << r.error().message;
  }
  auto r = parse(std::vector<std::byte>(bytes.begin(), bytes.end() - 100));
  EXPECT_TRUE(contains(r.error().message, "truncated")) << r.error().message;
  auto longer = bytes;
  longer.push_back(std::byte{0});
  EXPECT_TRUE(contains(parse(longer).error().message, "trailing bytes"));
}

TEST(ContextBinary, EveryFlippedByteFailsTheChecksumOrEarlier) {
  test::TempDir dir;
  ASSERT_TRUE(write_context_binary(dir.file("c.bin"), sample_info(), sample_plan(100)).is_ok());
  auto bytes = file_bytes(dir.file("c.bin"));
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = bytes;
    b[i] ^= std::byte{0x40};
    auto r = parse(b);
    ASSERT_FALSE(r.has_value()) << "byte " << i;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  }
  auto b = bytes;
  b[bytes.size() / 2] ^= std::byte{1};
  EXPECT_TRUE(contains(parse(b).error().message, "checksum mismatch"));
}

// With the checksum recomputed, damage reaches the structural checks: none may crash, and
// any that is caught is a kBadInput.
TEST(ContextBinary, ResealedDamageNeverCrashes) {
  test::TempDir dir;
  ASSERT_TRUE(write_context_binary(dir.file("c.bin"), sample_info(), sample_plan(100)).is_ok());
  auto bytes = file_bytes(dir.file("c.bin"));
  for (size_t i = 8; i + 8 < bytes.size(); ++i) {
    for (uint8_t flip : {0x01, 0x80, 0xff}) {
      auto b = bytes;
      b[i] ^= std::byte{flip};
      reseal(b);
      auto r = parse(b);
      if (!r.has_value()) {
        EXPECT_EQ(r.error().code, ErrorCode::kBadInput) << r.error().message;
      }
    }
  }
}

TEST(ContextBinary, StructuralDamageIsNamed) {
  test::TempDir dir;
  ASSERT_TRUE(write_context_binary(dir.file("c.bin"), sample_info(), sample_plan(100)).is_ok());
  auto bytes = file_bytes(dir.file("c.bin"));
  // Section count (offset 28) far too large.
  auto b = bytes;
  uint32_t many = 1u << 30;
  std::memcpy(b.data() + 28, &many, 4);
  reseal(b);
  EXPECT_TRUE(contains(parse(b).error().message, "malformed header")) << parse(b).error().message;
  // The metadata section is not JSON: clobber its first byte (it starts at the header size).
  b = bytes;
  uint32_t header_size = 0;
  std::memcpy(&header_size, b.data() + 12, 4);
  b[header_size] = std::byte{'!'};
  reseal(b);
  auto r = parse(b);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(contains(r.error().message, "metadata")) << r.error().message;
}

}  // namespace
}  // namespace oqnn::rt
