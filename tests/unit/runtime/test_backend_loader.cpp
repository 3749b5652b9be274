#include <gtest/gtest.h>

#include <cstring>

#include "runtime/backend_loader.h"
#include "support/files.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

using test::contains;

const std::string kFixtures = OQNN_TEST_FIXTURE_DIR;
const std::string kFake = kFixtures + "/liboqnn_test_fake_backend.so";

// in0 + in1 -> Relu, [1,2,2,3] float32, built directly in the IR.
ir::Graph add_relu_graph() {
  ir::Graph g;
  g.name = "add_relu";
  ir::Shape s{1, 2, 2, 3};
  auto a = g.add_tensor({"a", ir::DataType::kFloat32, s, ir::TensorKind::kInput, {}, {}});
  auto b = g.add_tensor({"b", ir::DataType::kFloat32, s, ir::TensorKind::kInput, {}, {}});
  auto sum =
      g.add_tensor({"sum", ir::DataType::kFloat32, s, ir::TensorKind::kIntermediate, {}, {}});
  auto out = g.add_tensor({"out", ir::DataType::kFloat32, s, ir::TensorKind::kOutput, {}, {}});
  g.nodes.push_back({"add", "ElementWiseAdd", {a, b}, {sum}, {}});
  g.nodes.push_back({"relu", "Relu", {sum}, {out}, {}});
  g.inputs = {a, b};
  g.outputs = {out};
  return g;
}

std::vector<std::byte> floats(const std::vector<float>& v) {
  std::vector<std::byte> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

std::vector<float> to_floats(const std::vector<std::byte>& b) {
  std::vector<float> v(b.size() / 4);
  std::memcpy(v.data(), b.data(), b.size());
  return v;
}

TEST(BackendLoader, LoadsByPathAndReportsIdentity) {
  auto b = Backend::load(kFake, "{}");
  ASSERT_TRUE(b.has_value()) << b.error().message;
  EXPECT_EQ(b->name(), "fake");
  EXPECT_EQ(b->id(), 99u);
  EXPECT_EQ(b->version(), "9.8.7");
  EXPECT_EQ(b->library_path(), kFake);
  auto caps = b->capabilities();
  ASSERT_EQ(caps.size(), 2u);
  EXPECT_EQ(caps[0].op, "ElementWiseAdd");
  EXPECT_EQ(caps[0].constraints, "equal shapes");
}

TEST(BackendLoader, FinalizeExecuteSerializeDeserialize) {
  auto b = Backend::load(kFake, "{}");
  ASSERT_TRUE(b.has_value()) << b.error().message;
  auto plan = b->finalize(add_relu_graph());
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  ASSERT_EQ(plan->inputs().size(), 2u);
  EXPECT_EQ(plan->inputs()[1].name, "b");
  EXPECT_EQ(plan->outputs()[0].shape, (ir::Shape{1, 2, 2, 3}));
  std::vector<float> a(12), c(12);
  for (int i = 0; i < 12; ++i) a[i] = static_cast<float>(i) - 6.0f, c[i] = 0.5f;
  std::vector<std::vector<std::byte>> out;
  ASSERT_TRUE(plan->execute({floats(a), floats(c)}, out).is_ok());
  ASSERT_EQ(out.size(), 1u);
  auto y = to_floats(out[0]);
  for (int i = 0; i < 12; ++i) EXPECT_FLOAT_EQ(y[i], std::max(a[i] + 0.5f, 0.0f)) << i;

  auto bytes = plan->serialize();
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  auto again = b->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(again.has_value()) << again.error().message;
  std::vector<std::vector<std::byte>> out2;
  ASSERT_TRUE(again->execute({floats(a), floats(c)}, out2).is_ok());
  EXPECT_EQ(out2, out);
}

TEST(BackendLoader, WrongInputsAreBadInputNamingTheTensor) {
  auto b = Backend::load(kFake, "{}");
  ASSERT_TRUE(b.has_value());
  auto plan = b->finalize(add_relu_graph());
  ASSERT_TRUE(plan.has_value());
  std::vector<std::vector<std::byte>> out;
  Status s = plan->execute({floats(std::vector<float>(12)), floats(std::vector<float>(11))}, out);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(s.error().message, "'b'")) << s.error().message;
  s = plan->execute({floats(std::vector<float>(12))}, out);
  ASSERT_FALSE(s.is_ok());
  EXPECT_TRUE(contains(s.error().message, "2 input(s) (a, b)")) << s.error().message;
}

TEST(BackendLoader, BackendErrorsKeepCodeMessageAndHints) {
  auto rejected = Backend::load(kFake, R"({"reject": true})");
  ASSERT_FALSE(rejected.has_value());
  EXPECT_EQ(rejected.error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(rejected.error().message, "fake backend: config rejected");
  EXPECT_EQ(rejected.error().hints, (std::vector<std::string>{"first hint", "second hint"}));

  auto b = Backend::load(kFake, "{}");
  ASSERT_TRUE(b.has_value());
  ir::Graph g = add_relu_graph();
  g.nodes[1].op = "Sigmoid";
  auto plan = b->finalize(g);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kUnsupported);
  EXPECT_TRUE(contains(plan.error().message, "Sigmoid (node 'relu')")) << plan.error().message;
}

TEST(BackendLoader, ConfigSectionIsChosenByTheBackendsOwnName) {
  BackendConfigs configs;
  configs.cpu = R"({"reject": true})";  // not the fake backend's section: not seen
  EXPECT_TRUE(Backend::load(kFake, configs).has_value());
}

TEST(BackendLoader, UnknownShortNameIsAUsageError) {
  auto b = Backend::load("npu", "{}");
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error().code, ErrorCode::kUsage);
  EXPECT_TRUE(contains(b.error().message, "'npu'"));
  // QNN backends we do not implement are unsupported, not unknown.
  for (const char* qnn_only : {"dsp", "libQnnDsp.so", "libQnnSaver.so"}) {
    auto d = Backend::load(qnn_only, "{}");
    ASSERT_FALSE(d.has_value());
    EXPECT_EQ(d.error().code, ErrorCode::kUnsupported);
    EXPECT_TRUE(contains(d.error().message, qnn_only)) << d.error().message;
  }
  EXPECT_EQ(backend_library_file("HTP").value(), "libQnnHtp.so");
  EXPECT_EQ(backend_library_file("libQnnGpu.so").value(), "libQnnGpu.so");
  EXPECT_EQ(backend_library_file("./x/libQnnGpu.so").value(), "./x/libQnnGpu.so");
  EXPECT_EQ(backend_short_name(OQNN_BACKEND_HTP), "htp");
}

TEST(BackendLoader, MissingLibraryEntryPointOrAbiAreBadInputNamingTheFile) {
  auto missing = Backend::load(kFixtures + "/libnothing_here.so", "{}");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(missing.error().message, kFixtures + "/libnothing_here.so"));

  auto bare = Backend::load("libQnnDoesNotExist.so", "{}");
  ASSERT_FALSE(bare.has_value());
  EXPECT_EQ(bare.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(bare.error().message, "libQnnDoesNotExist.so"));

  std::string no_entry = kFixtures + "/liboqnn_test_no_entry.so";
  auto ne = Backend::load(no_entry, "{}");
  ASSERT_FALSE(ne.has_value());
  EXPECT_EQ(ne.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(ne.error().message, no_entry));
  EXPECT_TRUE(contains(ne.error().message, "not an OpenQNN backend library"));

  std::string abi2 = kFixtures + "/liboqnn_test_abi2_backend.so";
  auto v2 = Backend::load(abi2, "{}");
  ASSERT_FALSE(v2.has_value());
  EXPECT_EQ(v2.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(v2.error().message, abi2));
  EXPECT_TRUE(contains(v2.error().message, "ABI version 2")) << v2.error().message;
}

// The real backends land in <build>/lib, beside <build>/bin where this test runs.
TEST(BackendLoader, ShortNameFindsTheBuildTreesCpuBackend) {
  std::string lib = join_path(executable_dir(), "../lib/libQnnCpu.so");
  if (!file_exists(lib)) GTEST_SKIP() << lib << " is not built";
  auto b = Backend::load("cpu", "{}");
  ASSERT_TRUE(b.has_value()) << b.error().message;
  EXPECT_EQ(b->name(), "cpu");
  EXPECT_EQ(b->id(), static_cast<uint32_t>(OQNN_BACKEND_CPU));
  EXPECT_TRUE(contains(b->library_path(), "lib/libQnnCpu.so")) << b->library_path();
  auto by_file = Backend::load("libQnnCpu.so", "{}");
  ASSERT_TRUE(by_file.has_value()) << by_file.error().message;
  EXPECT_EQ(by_file->library_path(), b->library_path());
  auto plan = b->finalize(add_relu_graph());
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  std::vector<float> a(12, -1.0f), c(12, 3.0f);
  std::vector<std::vector<std::byte>> out;
  ASSERT_TRUE(plan->execute({floats(a), floats(c)}, out).is_ok());
  EXPECT_FLOAT_EQ(to_floats(out[0])[0], 2.0f);
}

}  // namespace
}  // namespace oqnn::rt
