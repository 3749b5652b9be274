// gpu_config parsing, host fp16 conversion, and the exported C interface of libQnnGpu.so.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "backends/gpu/gpu_config.h"
#include "backends/gpu/half.h"
#include "gpu_test_util.h"
#include "ir/serialize.h"

namespace oqnn::gpu::testing {
namespace {

TEST(GpuConfig, ParsesTheSeedConfig) {
  auto c = parse_gpu_config(R"({"device_id": 0, "performance_mode": "sustained_high_performance",
                               "precision_mode": "fp16", "enable_transform_optimization": true})");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->device_id, 0);
  EXPECT_EQ(c->performance_mode, "sustained_high_performance");
  EXPECT_TRUE(c->fp16);
  EXPECT_TRUE(c->transform_optimization);
  auto wrapped = parse_gpu_config(R"({"gpu_config": {"precision_mode": "fp32"}})");
  ASSERT_TRUE(wrapped.has_value());
  EXPECT_FALSE(wrapped->fp16);
  EXPECT_TRUE(parse_gpu_config("{}").has_value());
  // QNN's other names: hybrid is fp16 storage with fp32 arithmetic; user_provided keeps
  // the graph's float32.
  auto hybrid = parse_gpu_config(R"({"precision_mode": "hybrid"})");
  ASSERT_TRUE(hybrid.has_value());
  EXPECT_TRUE(hybrid->fp16);
  auto user = parse_gpu_config(R"({"precision_mode": "user_provided"})");
  ASSERT_TRUE(user.has_value());
  EXPECT_FALSE(user->fp16);
}

TEST(GpuConfig, BadValuesNameTheKey) {
  struct Case {
    const char* json;
    const char* key;
  };
  for (const Case& c :
       {Case{R"({"device_id": "0"})", "device_id"}, Case{R"({"device_id": -1})", "device_id"},
        Case{R"({"device_id": 1.5})", "device_id"},
        Case{R"({"precision_mode": "int8"})", "precision_mode"},
        Case{R"({"precision_mode": 16})", "precision_mode"},
        Case{R"({"performance_mode": "turbo"})", "performance_mode"},
        Case{R"({"enable_transform_optimization": 1})", "enable_transform_optimization"}}) {
    auto r = parse_gpu_config(c.json);
    ASSERT_FALSE(r.has_value()) << c.json;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
    EXPECT_NE(r.error().message.find(c.key), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(parse_gpu_config("{not json").has_value());
  EXPECT_FALSE(parse_gpu_config("[1, 2]").has_value());
}

TEST(GpuConfig, DeviceOutOfRangeIsBadInput) {
  std::string why;
  if (!open_backend("{}", &why)) GTEST_SKIP() << "no OpenCL device: " << why;
  auto b = GpuBackend::create(R"({"device_id": 999})");
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, ErrorCode::kBadInput);
  EXPECT_NE(b.error().message.find("device_id"), std::string::npos);
}

// Without any OpenCL platform, create() is kUnsupported with a clear message. Runs in a
// fresh process (threadsafe death test) so that the ICD loader starts with no vendors.
TEST(GpuDevice, NoOpenClPlatformIsUnsupported) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("OCL_ICD_VENDORS", "/nonexistent/oqnn-no-vendors", 1);
        auto b = GpuBackend::create("{}");
        bool clear = !b && b.error().message.find("no OpenCL platform") != std::string::npos;
        std::exit(clear ? static_cast<int>(b.error().code) : 100);
      },
      ::testing::ExitedWithCode(static_cast<int>(ErrorCode::kUnsupported)), "");
}

// Exact value of a half from its fields.
double half_value(uint16_t h) {
  int exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  double v = exp == 0 ? std::ldexp(mant, -24) : std::ldexp(1024 + mant, exp - 25);
  return (h & 0x8000) ? -v : v;
}

TEST(Half, EveryHalfConvertsExactlyAndBack) {
  for (uint32_t h = 0; h < 0x10000; ++h) {
    uint16_t bits = static_cast<uint16_t>(h);
    float f = half_to_float(bits);
    int exp = (h >> 10) & 0x1f;
    if (exp == 31) {
      EXPECT_TRUE((h & 0x3ff) ? std::isnan(f) : std::isinf(f)) << h;
      continue;
    }
    ASSERT_EQ(static_cast<double>(f), half_value(bits)) << h;
    ASSERT_EQ(float_to_half(f), bits) << h;
  }
}

TEST(Half, RoundsToNearestEven) {
  // Midpoints between neighbouring finite halves round to the even one; values just off
  // the midpoint round to the nearer one.
  for (uint32_t h = 0; h < 0x7bff; ++h) {
    double lo = half_value(static_cast<uint16_t>(h)), hi = half_value(static_cast<uint16_t>(h + 1));
    float mid = static_cast<float>((lo + hi) / 2);
    uint16_t even = (h & 1) ? static_cast<uint16_t>(h + 1) : static_cast<uint16_t>(h);
    ASSERT_EQ(float_to_half(mid), even) << h;
    ASSERT_EQ(float_to_half(std::nextafter(mid, 0.0f)), h) << h;
    ASSERT_EQ(float_to_half(std::nextafter(mid, 1e9f)), h + 1) << h;
    ASSERT_EQ(float_to_half(-mid), even | 0x8000) << h;
  }
  EXPECT_EQ(float_to_half(65519.0f), 0x7bff);
  EXPECT_EQ(float_to_half(65520.0f), 0x7c00);  // rounds up to infinity
  EXPECT_EQ(float_to_half(1e10f), 0x7c00);
  EXPECT_EQ(float_to_half(-INFINITY), 0xfc00);
  EXPECT_EQ(float_to_half(1e-10f), 0);
  EXPECT_TRUE(std::isnan(half_to_float(float_to_half(NAN))));
}

// The shared library through its one exported symbol, as the runtime loads it.
TEST(GpuLibrary, ExportsTheBackendInterface) {
  void* h = dlopen(OQNN_GPU_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(h, nullptr) << dlerror();
  auto get = reinterpret_cast<OqnnGetBackendInterfaceFn>(dlsym(h, OQNN_BACKEND_ENTRY_SYMBOL));
  ASSERT_NE(get, nullptr);
  const OqnnBackendInterface* i = get();
  EXPECT_EQ(i->abi_version, OQNN_BACKEND_ABI_VERSION);
  EXPECT_STREQ(i->name, "gpu");
  EXPECT_EQ(i->backend_id, static_cast<uint32_t>(OQNN_BACKEND_GPU));
  EXPECT_GT(i->num_capabilities, 20u);
  char err[512] = {};
  void* backend = nullptr;
  EXPECT_EQ(i->create(R"({"precision_mode": "fp8"})", &backend, err, sizeof(err)),
            OQNN_ERR_BAD_INPUT);
  EXPECT_NE(std::strstr(err, "precision_mode"), nullptr) << err;
  int rc = i->create("{}", &backend, err, sizeof(err));
  if (rc != OQNN_OK) {
    dlclose(h);
    GTEST_SKIP() << "no OpenCL device: " << err;
  }
  ir::Params p;
  p.set("perm", std::vector<int64_t>{1, 0});
  ir::Graph g = one_node_graph("Transpose", {{{2, 3}, false}}, p, 1);
  auto bytes = ir::serialize_graph(g);
  void* plan = nullptr;
  ASSERT_EQ(i->finalize(backend, bytes.data(), bytes.size(), &plan, err, sizeof(err)), OQNN_OK)
      << err;
  ASSERT_EQ(i->num_io(plan, 0), 1u);
  ASSERT_EQ(i->num_io(plan, 1), 1u);
  OqnnTensorView in{}, out{};
  ASSERT_EQ(i->io_info(plan, 0, 0, &in), OQNN_OK);
  ASSERT_EQ(i->io_info(plan, 1, 0, &out), OQNN_OK);
  EXPECT_EQ(out.rank, 2u);
  EXPECT_EQ(out.dims[0], 3);
  EXPECT_EQ(out.encoding, nullptr);
  float x[6] = {1, 2, 3, 4, 5, 6}, y[6] = {};
  in.data = x;
  in.size = sizeof(x);
  out.data = y;
  out.size = sizeof(y);
  ASSERT_EQ(i->execute(plan, &in, 1, &out, 1, nullptr, err, sizeof(err)), OQNN_OK) << err;
  EXPECT_EQ(std::vector<float>(y, y + 6), (std::vector<float>{1, 4, 2, 5, 3, 6}));
  std::vector<std::byte> saved;
  auto write = [](void* u, const void* d, uint64_t n) {
    auto* v = static_cast<std::vector<std::byte>*>(u);
    v->insert(v->end(), static_cast<const std::byte*>(d), static_cast<const std::byte*>(d) + n);
    return 0;
  };
  ASSERT_EQ(i->serialize(plan, write, &saved, err, sizeof(err)), OQNN_OK) << err;
  void* plan2 = nullptr;
  ASSERT_EQ(i->deserialize(backend, saved.data(), saved.size(), &plan2, err, sizeof(err)), OQNN_OK)
      << err;
  saved[0] = std::byte{'X'};
  void* bad = nullptr;
  EXPECT_EQ(i->deserialize(backend, saved.data(), saved.size(), &bad, err, sizeof(err)),
            OQNN_ERR_BAD_INPUT);
  i->free_plan(plan2);
  i->free_plan(plan);
  i->destroy(backend);
  dlclose(h);
}

}  // namespace
}  // namespace oqnn::gpu::testing
