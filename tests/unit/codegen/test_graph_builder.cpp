// What a model library passes through OqnnModelApi is validated, and errors name the
// tensor or node; and graphs are checked against backends' capability tables.
#include <gtest/gtest.h>

#include <cstring>

#include "runtime/model_library/backend_support.h"
#include "runtime/model_library/graph_builder.h"

namespace oqnn::testing {
namespace {

// An archive index pointing at 16 bytes ("w.raw") of a fake archive.
struct Fixture {
  std::vector<std::byte> archive = std::vector<std::byte>(1024 + 512);
  rt::GraphBuilder builder{archive, {{"w.raw", {512, 16}}}, nullptr, "libm.so"};
  const OqnnModelApi* api = builder.api();
  int64_t dims[2] = {2, 2};

  OqnnTensorDesc tensor(const char* name, int32_t kind, const char* member = nullptr) {
    OqnnTensorDesc d{};
    d.name = name;
    d.kind = kind;
    d.dtype = OQNN_DTYPE_FLOAT32;
    d.rank = 2;
    d.dims = dims;
    d.data_member = member;
    return d;
  }
  std::string error(int rc) {
    auto r = builder.finish(rc);
    return r.has_value() ? std::string("no error") : r.error().message;
  }
};

TEST(ModelLibGraphBuilder, BuildsAZeroCopyGraph) {
  Fixture f;
  ASSERT_EQ(f.api->create_graph(f.api->ctx, "g"), 0);
  auto in = f.tensor("x", OQNN_TENSOR_INPUT);
  auto w = f.tensor("w", OQNN_TENSOR_STATIC, "w.raw");
  auto out = f.tensor("y", OQNN_TENSOR_OUTPUT);
  ASSERT_EQ(f.api->add_tensor(f.api->ctx, &in), 0);
  ASSERT_EQ(f.api->add_tensor(f.api->ctx, &w), 0);
  ASSERT_EQ(f.api->add_tensor(f.api->ctx, &out), 0);
  const char* inputs[] = {"x", "w"};
  const char* outputs[] = {"y"};
  OqnnNodeDesc n{"add", "qti.aisw", "ElementWiseAdd", 2, inputs, 1, outputs, 0, nullptr};
  ASSERT_EQ(f.api->add_node(f.api->ctx, &n), 0);
  auto g = f.builder.finish(0);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(1).data->data(), f.archive.data() + 512);
  EXPECT_EQ(g->inputs.size(), 1u);
  EXPECT_EQ(g->outputs.size(), 1u);
}

TEST(ModelLibGraphBuilder, UnknownDtypeNamesTheTensor) {
  Fixture f;
  f.api->create_graph(f.api->ctx, "g");
  auto d = f.tensor("odd", OQNN_TENSOR_INPUT);
  d.dtype = 42;
  EXPECT_NE(f.api->add_tensor(f.api->ctx, &d), 0);
  std::string e = f.error(1);
  EXPECT_NE(e.find("libm.so"), std::string::npos) << e;
  EXPECT_NE(e.find("'odd'"), std::string::npos) << e;
  EXPECT_NE(e.find("dtype 42"), std::string::npos) << e;
}

TEST(ModelLibGraphBuilder, MissingMemberAndSizeMismatchNameTheTensor) {
  Fixture f;
  f.api->create_graph(f.api->ctx, "g");
  auto d = f.tensor("w", OQNN_TENSOR_STATIC, "absent.raw");
  EXPECT_NE(f.api->add_tensor(f.api->ctx, &d), 0);
  EXPECT_NE(f.error(1).find("'absent.raw' is not in the embedded weights archive"),
            std::string::npos);

  Fixture g;
  g.api->create_graph(g.api->ctx, "g");
  int64_t dims[2] = {3, 2};
  auto w = g.tensor("w", OQNN_TENSOR_STATIC, "w.raw");
  w.dims = dims;
  EXPECT_NE(g.api->add_tensor(g.api->ctx, &w), 0);
  std::string e = g.error(1);
  EXPECT_NE(e.find("static tensor 'w'"), std::string::npos) << e;
  EXPECT_NE(e.find("holds 16 bytes"), std::string::npos) << e;
}

TEST(ModelLibGraphBuilder, BadEncodingsAndNodesAreRejected) {
  Fixture f;
  f.api->create_graph(f.api->ctx, "g");
  double scales[] = {0.1, -1.0};
  int32_t offsets[] = {0, 0};
  OqnnEncoding enc{8, 0, 0, 1, 2, scales, offsets};
  auto d = f.tensor("x", OQNN_TENSOR_INPUT);
  d.encoding = &enc;
  EXPECT_NE(f.api->add_tensor(f.api->ctx, &d), 0);
  EXPECT_NE(f.error(1).find("scale must be finite and > 0"), std::string::npos);

  Fixture g;
  g.api->create_graph(g.api->ctx, "g");
  auto out = g.tensor("y", OQNN_TENSOR_OUTPUT);
  g.api->add_tensor(g.api->ctx, &out);
  const char* inputs[] = {"ghost"};
  const char* outputs[] = {"y"};
  OqnnNodeDesc n{"relu", "qti.aisw", "Relu", 1, inputs, 1, outputs, 0, nullptr};
  EXPECT_NE(g.api->add_node(g.api->ctx, &n), 0);
  // After the first error every callback fails, and the first error is the one reported.
  EXPECT_NE(g.api->set_attribute(g.api->ctx, "k", "v"), 0);
  std::string e = g.error(1);
  EXPECT_NE(e.find("node 'relu': input 'ghost' is not a declared tensor"), std::string::npos) << e;
}

TEST(ModelLibGraphBuilder, VerifierErrorsAndMissingGraphAreReported) {
  Fixture f;
  EXPECT_NE(f.api->add_tensor(f.api->ctx, nullptr), 0);
  EXPECT_NE(f.error(1).find("before create_graph"), std::string::npos);

  Fixture g;
  g.api->create_graph(g.api->ctx, "g");
  auto in = g.tensor("x", OQNN_TENSOR_INPUT);
  auto out = g.tensor("y", OQNN_TENSOR_OUTPUT);
  g.api->add_tensor(g.api->ctx, &in);
  g.api->add_tensor(g.api->ctx, &out);
  const char* inputs[] = {"x"};
  const char* outputs[] = {"y"};
  OqnnNodeDesc n{"n", "qti.aisw", "NoSuchOp", 1, inputs, 1, outputs, 0, nullptr};
  ASSERT_EQ(g.api->add_node(g.api->ctx, &n), 0);
  auto r = g.builder.finish(0);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(r.error().message.find("NoSuchOp"), std::string::npos);
}

TEST(ModelLibBackendSupport, NamesOpNodeAndBackend) {
  ir::Graph g;
  auto x = g.add_tensor({"x", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kInput, {}, {}});
  auto h = g.add_intermediate("h", ir::DataType::kFloat32, {1, 4});
  auto y = g.add_tensor({"y", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kOutput, {}, {}});
  g.nodes.push_back({"r", "Relu", {x}, {h}, {}});
  g.nodes.push_back({"s", "Sigmoid", {h}, {y}, {}});
  g.inputs = {x};
  g.outputs = {y};
  std::vector<std::string> warnings;
  auto check = [&](std::vector<std::string> backends) {
    return rt::check_backend_support(g, backends, OQNN_FAKE_BACKEND_DIR, warnings);
  };
  Status s = check({"cpu"});
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(s.error().message.find("op 'Sigmoid' (node 's') is not supported by the cpu backend"),
            std::string::npos)
      << s.error().message;
  // Neither the gpu nor the cpu runs Sigmoid: an error for the gpu too.
  EXPECT_EQ(check({"gpu"}).error().code, ErrorCode::kUnsupported);
  warnings.clear();
  g.nodes[1].op = "Relu";
  EXPECT_TRUE(check({"cpu"}).is_ok());
  EXPECT_TRUE(warnings.empty());
  // The gpu lacks Relu, the cpu has it: CPU fallback, reported.
  EXPECT_TRUE(check({"gpu"}).is_ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0],
            "2 of 2 nodes will run on the CPU (fallback) on the gpu backend (Relu x2): 'r', 's'");
  // Not built in that folder: unsupported; not a backend name: usage.
  EXPECT_EQ(check({"htp"}).error().code, ErrorCode::kUnsupported);
  EXPECT_EQ(check({"npu"}).error().code, ErrorCode::kUsage);
}

}  // namespace
}  // namespace oqnn::testing
