#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <span>

#include "quant/encoding_math.h"
#include "runtime/raw_io.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

using test::contains;

TensorInfo float_tensor() {
  return {"in/x:0", ir::DataType::kFloat32, {1, 2, 3}, {}, ""};
}

TensorInfo u8_tensor() {
  return {"q", ir::DataType::kUInt8, {2, 3}, quant::tf_encoding(-1.0, 2.0, 8), ""};
}

TEST(RawIo, SizeMismatchNamesFileTensorAndBothSizes) {
  test::TempDir dir;
  std::string path = dir.file("x.raw");
  test::write_floats(path, {1, 2, 3, 4, 5});  // 20 bytes, the tensor needs 24
  auto r = read_raw_input(path, float_tensor(), false);
  ASSERT_FALSE(r.has_value());
  const Error& e = r.error();
  EXPECT_EQ(e.code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(e.message, path)) << e.message;
  EXPECT_TRUE(contains(e.message, "'in/x:0'")) << e.message;
  EXPECT_TRUE(contains(e.message, "expects 24 bytes")) << e.message;
  EXPECT_TRUE(contains(e.message, "float32[1,2,3]")) << e.message;
  EXPECT_TRUE(contains(e.message, "has 20 bytes")) << e.message;
  ASSERT_FALSE(e.hints.empty());
}

TEST(RawIo, NativeFilesUseThePlansDtype) {
  test::TempDir dir;
  std::string path = dir.file("q.raw");
  std::vector<uint8_t> q = {0, 1, 2, 3, 4, 255};
  test::write_bytes(path, q.data(), q.size());
  auto r = read_raw_input(path, u8_tensor(), true);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 6u);
  EXPECT_EQ(std::memcmp(r->data(), q.data(), 6), 0);
  // The same 6 bytes read as float32 are the wrong size (6 floats = 24 bytes).
  auto f = read_raw_input(path, u8_tensor(), false);
  ASSERT_FALSE(f.has_value());
  EXPECT_TRUE(contains(f.error().message, "expects 24 bytes"));
}

TEST(RawIo, FloatFilesAreQuantizedWithTheEncoding) {
  test::TempDir dir;
  std::string path = dir.file("x.raw");
  std::vector<float> v = {-1.5f, -1.0f, 0.0f, 0.5f, 2.0f, NAN};
  test::write_floats(path, v);
  TensorInfo t = u8_tensor();
  auto r = read_raw_input(path, t, false);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  for (size_t i = 0; i + 1 < v.size(); ++i)
    EXPECT_EQ(static_cast<int>((*r)[i]), quant::quantize_value(v[i], *t.encoding)) << i;
  EXPECT_EQ(static_cast<int>((*r)[5]), quant::quantize_value(0.0, *t.encoding));  // NaN -> 0.0
}

TEST(RawIo, DequantizeRoundTripsWithinHalfAStep) {
  TensorInfo t = u8_tensor();
  std::vector<float> v = {-1.0f, -0.3f, 0.0f, 0.7f, 1.9f, 2.0f};
  auto native = float_to_native(v, t);
  auto back = native_to_float(native, t);
  ASSERT_EQ(back.size(), v.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(back[i], v[i], t.encoding->scale[0] / 2 + 1e-6) << i;
}

TEST(RawIo, PerAxisEncodingsUseEachChannelsScale) {
  TensorInfo t{
      "w", ir::DataType::kInt8, {2, 2}, ir::Encoding{8, true, true, 1, {0.1, 1.0}, {0, 0}}, ""};
  std::vector<float> v = {0.5f, 5.0f, -0.2f, -3.0f};
  auto native = float_to_native(v, t);
  const auto* q = reinterpret_cast<const int8_t*>(native.data());
  EXPECT_EQ(q[0], 5);  // channel 0, scale 0.1
  EXPECT_EQ(q[1], 5);  // channel 1, scale 1.0
  EXPECT_EQ(q[2], -2);
  EXPECT_EQ(q[3], -3);
  auto back = native_to_float(native, t);
  EXPECT_FLOAT_EQ(back[1], 5.0f);
}

TEST(RawIo, HalfConversionRoundsToNearestEven) {
  TensorInfo t{"h", ir::DataType::kFloat16, {6}, {}, ""};
  std::vector<float> v = {1.0f,
                          65504.0f,
                          1e-8f,
                          std::ldexp(1.0f, -24),
                          1.0f + std::ldexp(1.0f, -11),
                          1.0f + 3 * std::ldexp(1.0f, -11)};
  auto native = float_to_native(v, t);
  std::vector<uint16_t> h(6);
  std::memcpy(h.data(), native.data(), 12);
  EXPECT_EQ(h[0], 0x3c00);
  EXPECT_EQ(h[1], 0x7bff);
  EXPECT_EQ(h[2], 0x0000);
  EXPECT_EQ(h[3], 0x0001);  // smallest subnormal
  EXPECT_EQ(h[4], 0x3c00);  // tie: stays even
  EXPECT_EQ(h[5], 0x3c02);  // tie: rounds up to even
  auto back = native_to_float(native, t);
  EXPECT_EQ(back[0], 1.0f);
  EXPECT_EQ(back[1], 65504.0f);
  EXPECT_EQ(back[3], std::ldexp(1.0f, -24));
  auto inf = float_to_native(std::vector<float>{1e6f},
                             TensorInfo{"h", ir::DataType::kFloat16, {1}, {}, ""});
  EXPECT_TRUE(
      std::isinf(native_to_float(inf, TensorInfo{"h", ir::DataType::kFloat16, {1}, {}, ""})[0]));
}

TEST(RawIo, IntegerTensorsWithoutEncodingAreCastAndSaturated) {
  TensorInfo t{"i", ir::DataType::kInt8, {3}, {}, ""};
  auto native = float_to_native(std::vector<float>{1.6f, -300.0f, 300.0f}, t);
  const auto* q = reinterpret_cast<const int8_t*>(native.data());
  EXPECT_EQ(q[0], 2);
  EXPECT_EQ(q[1], -128);
  EXPECT_EQ(q[2], 127);
}

TEST(RawIo, OutputsAreFloatUnlessNativeUnderSanitizedNames) {
  test::TempDir dir;
  TensorInfo t = u8_tensor();
  t.name = "out/prob:0";
  std::vector<std::byte> native = float_to_native(std::vector<float>{-1, 0, 1, 2, 0.5f, 1.5f}, t);
  auto f = write_raw_output(dir.path(), t, native, false);
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(*f, dir.file("out_prob_0.raw"));
  auto values = test::read_floats(*f);
  ASSERT_EQ(values.size(), 6u);
  EXPECT_NEAR(values[3], 2.0f, 1e-5);
  auto n = write_raw_output(dir.path(), t, native, true);
  ASSERT_TRUE(n.has_value());
  EXPECT_EQ(*n, dir.file("out_prob_0_native.raw"));
  auto missing = write_raw_output(dir.file("no/such/dir"), t, native, false);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kBadInput);
}

// Found by tests/fuzz (fuzz_input_list_raw): these hit undefined behaviour before.
TEST(RawIo, EmptyAndExtremeValuesConvertWithoutUndefinedBehaviour) {
  TensorInfo empty{"e", ir::DataType::kFloat32, {0, 3}, {}, ""};
  EXPECT_TRUE(native_to_float({}, empty).empty());  // memcpy from a null pointer
  EXPECT_TRUE(float_to_native({}, empty).empty());
  // float -> int64 at 2^63 and beyond: double(INT64_MAX) rounds up, out of range.
  TensorInfo i64{"i", ir::DataType::kInt64, {2}, {}, ""};
  std::vector<float> big{1e19f, -1e19f};
  auto bytes = float_to_native(big, i64);
  int64_t v[2];
  std::memcpy(v, bytes.data(), 16);
  EXPECT_EQ(v[0], std::numeric_limits<int64_t>::max());
  EXPECT_EQ(v[1], std::numeric_limits<int64_t>::min());
  // int64 codes outside int32 under an encoding: saturated, not an out-of-range cast.
  i64.encoding = quant::tf_encoding(-1.0, 1.0, 8);
  int64_t codes[2] = {int64_t{1} << 40, -(int64_t{1} << 40)};
  auto f = native_to_float(std::as_bytes(std::span(codes)), i64);
  EXPECT_GT(f[0], 1e6f);
  EXPECT_LT(f[1], -1e6f);
}

// A float16 or (kept, --keep_int64_inputs) int64 graph input: native files hold float16 or
// int64 values, float files float32 ones, and the other width is a size error.
TEST(RawIo, Float16AndInt64InputsReadNativeOrFloat32Files) {
  test::TempDir dir;
  TensorInfo h{"x", ir::DataType::kFloat16, {3}, {}, ""};
  std::string hp = dir.file("h.raw");
  uint16_t halves[3] = {ir::float_to_half(1.5f), ir::float_to_half(-2.0f),
                        ir::float_to_half(65504.0f)};
  test::write_bytes(hp, halves, sizeof(halves));
  auto r = read_raw_input(hp, h, true);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(native_to_float(*r, h), (std::vector<float>{1.5f, -2.0f, 65504.0f}));
  auto bad = read_raw_input(hp, h, false);  // 6 bytes where 3 float32 values are 12
  ASSERT_FALSE(bad.has_value());
  EXPECT_TRUE(contains(bad.error().message, "'x'")) << bad.error().message;
  EXPECT_TRUE(contains(bad.error().message, hp)) << bad.error().message;

  TensorInfo i{"ids", ir::DataType::kInt64, {2}, {}, ""};
  std::string ip = dir.file("ids.raw");
  int64_t ids[2] = {7, -3};
  test::write_bytes(ip, ids, sizeof(ids));
  auto n = read_raw_input(ip, i, true);
  ASSERT_TRUE(n.has_value()) << n.error().message;
  ASSERT_EQ(n->size(), 16u);
  EXPECT_EQ(std::memcmp(n->data(), ids, 16), 0);
  test::write_floats(ip, {7.0f, -3.0f});
  auto f = read_raw_input(ip, i, false);
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(std::memcmp(f->data(), ids, 16), 0);
  EXPECT_FALSE(read_raw_input(ip, i, true).has_value());  // 8 bytes, int64[2] is 16
}

}  // namespace
}  // namespace oqnn::rt
