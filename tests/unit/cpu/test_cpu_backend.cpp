// The backend behind libQnnCpu.so: config parsing, finalize checks, execution against
// the reference kernels, serialize/deserialize, and the shared library's C interface.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <cstring>

#include "backends/cpu/backend/cpu_backend.h"
#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/kernels.h"
#include "ir/op_def.h"
#include "ir/serialize.h"
#include "ir/verifier.h"
#include "op_test_util.h"
#include "runtime/host_plan.h"

namespace oqnn::cpu::testing {
namespace {

TEST(CpuConfig, DefaultsSeedSectionAndWholeFile) {
  auto d = parse_cpu_config("{}");
  ASSERT_TRUE(d.has_value());
  EXPECT_GE(d->num_threads, 1);
  auto s = parse_cpu_config(
      R"({"num_threads": 4, "performance_mode": "balanced", "enable_fast_math": true})");
  ASSERT_TRUE(s.has_value()) << s.error().message;
  EXPECT_EQ(s->num_threads, 4);
  EXPECT_EQ(s->performance_mode, "balanced");
  EXPECT_TRUE(s->enable_fast_math);
  auto f = parse_cpu_config(R"({"htp_config": {"vtcm_mb": 8}, "cpu_config": {"num_threads": 3}})");
  ASSERT_TRUE(f.has_value()) << f.error().message;
  EXPECT_EQ(f->num_threads, 3);
}

TEST(CpuConfig, BadValuesAreBadInputNamingTheKey) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"num_threads": "4"})", "num_threads"},
      {R"({"num_threads": 0})", "num_threads"},
      {R"({"num_threads": 2.5})", "num_threads"},
      {R"({"performance_mode": 3})", "performance_mode"},
      {R"({"performance_mode": "ludicrous"})", "performance_mode"},
      {R"({"enable_fast_math": "yes"})", "enable_fast_math"},
      {R"({"cpu_config": []})", "cpu_config"},
      {R"({"num_threads": )", "JSON"},
      {R"([1, 2])", "object"},
  };
  for (const auto& [json, key] : cases) {
    auto c = parse_cpu_config(json);
    ASSERT_FALSE(c.has_value()) << json;
    EXPECT_EQ(c.error().code, ErrorCode::kBadInput) << json;
    EXPECT_NE(c.error().message.find(key), std::string::npos) << c.error().message;
  }
}

// x[1,8,8,3] -> Conv2d 3x3 (relu) -> PoolMax2d 2x2 -> Reshape -> FullyConnected -> Softmax.
ir::Graph small_net() {
  ir::Graph g;
  g.name = "small";
  auto f32 = ir::DataType::kFloat32;
  auto blob = [](size_t n, uint32_t seed) {
    auto v = random_floats(n, seed);
    return make_owned_blob(v.data(), v.size() * sizeof(float));
  };
  ir::TensorId x = g.add_tensor({"x", f32, {1, 8, 8, 3}, ir::TensorKind::kInput, {}, {}});
  ir::TensorId w = g.add_static("w", f32, {3, 3, 3, 4}, blob(108, 1));
  ir::TensorId b = g.add_static("b", f32, {4}, blob(4, 2));
  ir::TensorId c = g.add_intermediate("c", f32, {});
  ir::TensorId p = g.add_intermediate("p", f32, {});
  ir::TensorId r = g.add_intermediate("r", f32, {});
  ir::TensorId fw = g.add_static("fw", f32, {5, 64}, blob(320, 3));
  ir::TensorId fc = g.add_intermediate("fc", f32, {});
  ir::TensorId y = g.add_tensor({"y", f32, {}, ir::TensorKind::kOutput, {}, {}});
  ir::Node conv{"conv", "Conv2d", {x, w, b}, {c}, {}};
  conv.params.set("pad_amount", std::vector<int64_t>{1, 1, 1, 1});
  conv.params.set("fused_activation", std::string("relu"));
  ir::Node pool{"pool", "PoolMax2d", {c}, {p}, {}};
  pool.params.set("filter_size", std::vector<int64_t>{2, 2});
  pool.params.set("stride", std::vector<int64_t>{2, 2});
  ir::Node reshape{"flatten", "Reshape", {p}, {r}, {}};
  reshape.params.set("shape", std::vector<int64_t>{1, 64});
  ir::Node dense{"dense", "FullyConnected", {r, fw}, {fc}, {}};
  ir::Node softmax{"softmax", "Softmax", {fc}, {y}, {}};
  g.nodes = {conv, pool, reshape, dense, softmax};
  g.inputs = {x};
  g.outputs = {y};
  EXPECT_TRUE(ir::infer_shapes(g).is_ok());
  return g;
}

std::vector<float> execute(rt::PlanImpl& plan, const std::vector<float>& x) {
  std::vector<float> y(5);
  const auto& in = plan.inputs()[0];
  const auto& out = plan.outputs()[0];
  OqnnTensorView iv{in.name.c_str(),
                    0,
                    static_cast<uint32_t>(in.shape.size()),
                    in.shape.data(),
                    const_cast<float*>(x.data()),
                    x.size() * 4,
                    nullptr};
  OqnnTensorView ov{out.name.c_str(), 0,        static_cast<uint32_t>(out.shape.size()),
                    out.shape.data(), y.data(), y.size() * 4,
                    nullptr};
  Status s = plan.execute({&iv, 1}, {&ov, 1}, nullptr);
  EXPECT_TRUE(s.is_ok()) << s.error().message;
  return y;
}

TEST(CpuBackend, FinalizeExecuteMatchesReferenceAndSurvivesSerialization) {
  auto backend = create_cpu_backend(R"({"num_threads": 2})");
  ASSERT_TRUE(backend.has_value());
  ir::Graph g = small_net();
  g.tensor(0).encoding = ir::Encoding{8, false, false, -1, {0.01}, {-128}};
  auto plan = (*backend)->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  // Encodings are dropped: this backend exchanges float32.
  EXPECT_FALSE((*plan)->inputs()[0].encoding.has_value());
  auto ref = rt::HostPlan::create(small_net(), make_ref_kernel, 1);
  ASSERT_TRUE(ref.has_value()) << ref.error().message;
  auto x = random_floats(192, 9);
  auto got = execute(**plan, x);
  EXPECT_TRUE(all_close(got, execute(**ref, x), 1e-5));

  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value());
  auto back = (*backend)->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(back.has_value()) << back.error().message;
  auto again = execute(**back, x);
  EXPECT_EQ(std::memcmp(got.data(), again.data(), got.size() * 4), 0);
}

TEST(CpuBackend, FinalizeRejectsWhatItCannotRun) {
  auto backend = create_cpu_backend("{}");
  ASSERT_TRUE(backend.has_value());
  ir::Graph bad_op = small_net();
  bad_op.nodes[4].op = "NoSuchOp";
  auto p = (*backend)->finalize(bad_op);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(p.error().message.find("softmax"), std::string::npos) << p.error().message;

  ir::Graph int_weights = small_net();
  int_weights.tensor(1).dtype = ir::DataType::kInt8;
  int_weights.tensor(1).data = make_owned_blob(std::vector<std::byte>(108));
  p = (*backend)->finalize(int_weights);
  ASSERT_FALSE(p.has_value());
  EXPECT_EQ(p.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(p.error().message.find("'w'"), std::string::npos) << p.error().message;

  auto truncated = (*backend)->deserialize(make_owned_blob(std::vector<std::byte>(10)));
  EXPECT_FALSE(truncated.has_value());
}

TEST(CpuBackend, CapabilityTableListsEveryOpWithKnownDtypes) {
  EXPECT_EQ(kernel_registry().size(), ir::all_ops().size());
  for (const ir::OpDef& def : ir::all_ops()) EXPECT_TRUE(supports_op(def.name)) << def.name;
  for (const auto& c : capabilities()) {
    EXPECT_TRUE(ir::find_op(c.op)) << c.op;
    EXPECT_TRUE(ir::dtype_from_name(c.dtype).has_value()) << c.op << " " << c.dtype;
  }
}

// Through dlopen and the C ABI, as qnn-net-run loads it.
TEST(LibQnnCpu, ExportsOneEntryPointThatRunsAGraph) {
  void* lib = dlopen(OQNN_QNNCPU_PATH, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << dlerror();
  auto get = reinterpret_cast<OqnnGetBackendInterfaceFn>(dlsym(lib, OQNN_BACKEND_ENTRY_SYMBOL));
  ASSERT_NE(get, nullptr);
  // Internal symbols stay hidden.
  EXPECT_EQ(dlsym(lib, "_ZN4oqnn3cpu11make_kernelERKNS_2ir5GraphERKNS1_4NodeE"), nullptr);
  const OqnnBackendInterface* api = get();
  EXPECT_EQ(api->abi_version, OQNN_BACKEND_ABI_VERSION);
  EXPECT_STREQ(api->name, "cpu");
  EXPECT_EQ(api->backend_id, static_cast<uint32_t>(OQNN_BACKEND_CPU));
  EXPECT_EQ(api->num_capabilities, capabilities().size());

  char err[512] = {};
  void* backend = nullptr;
  EXPECT_EQ(api->create(R"({"num_threads": "two"})", &backend, err, sizeof err), 1);
  EXPECT_NE(std::strstr(err, "num_threads"), nullptr) << err;
  ASSERT_EQ(api->create(R"({"num_threads": 2})", &backend, err, sizeof err), 0) << err;
  auto bytes = ir::serialize_graph(small_net());
  void* plan = nullptr;
  ASSERT_EQ(api->finalize(backend, bytes.data(), bytes.size(), &plan, err, sizeof err), 0) << err;
  EXPECT_EQ(api->num_io(plan, 0), 1u);
  OqnnTensorView in{}, out{};
  ASSERT_EQ(api->io_info(plan, 0, 0, &in), 0);
  ASSERT_EQ(api->io_info(plan, 1, 0, &out), 0);
  auto x = random_floats(192, 9);
  std::vector<float> y(5);
  in.data = x.data();
  in.size = x.size() * 4;
  out.data = y.data();
  out.size = y.size() * 4;
  ASSERT_EQ(api->execute(plan, &in, 1, &out, 1, nullptr, err, sizeof err), 0) << err;
  auto ref = rt::HostPlan::create(small_net(), make_ref_kernel, 1);
  ASSERT_TRUE(ref.has_value());
  EXPECT_TRUE(all_close(y, execute(**ref, x), 1e-5));
  in.size = 4;  // wrong size: an error naming the input, not a crash
  EXPECT_EQ(api->execute(plan, &in, 1, &out, 1, nullptr, err, sizeof err), 1);
  EXPECT_NE(std::strstr(err, "'x'"), nullptr) << err;
  api->free_plan(plan);
  api->destroy(backend);
  dlclose(lib);
}

}  // namespace
}  // namespace oqnn::cpu::testing
