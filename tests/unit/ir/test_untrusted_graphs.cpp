// Graphs from files (context-binary plans) that the fuzzers (tests/fuzz) showed could crash
// or hit undefined behaviour before verify/deserialize_graph refused them. Each case must
// now be a kBadInput error; the asan preset runs these under ASan + UBSan.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "ir/serialize.h"
#include "ir/verifier.h"
#include "support/bytes.h"

namespace oqnn::ir {
namespace {

// x [1,4] -> Relu -> y, plus two static tensors: what each case below then breaks.
Graph relu_graph() {
  Graph g;
  g.name = "g";
  TensorId x = g.add_tensor({"x", DataType::kFloat32, {1, 4}, TensorKind::kInput, {}, {}});
  std::vector<float> a(4, 1.0f), b(4, 2.0f);
  g.add_static("a", DataType::kFloat32, {4}, make_owned_blob(a.data(), 16));
  g.add_static("b", DataType::kFloat32, {4}, make_owned_blob(b.data(), 16));
  TensorId y = g.add_tensor({"y", DataType::kFloat32, {1, 4}, TensorKind::kOutput, {}, {}});
  g.nodes.push_back({"relu", "Relu", {x}, {y}, {}});
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

void expect_bad_input(const Graph& g, const char* mentions) {
  Status s = verify(g);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput) << s.error().message;
  EXPECT_NE(s.error().message.find(mentions), std::string::npos) << s.error().message;
}

TEST(UntrustedGraph, ShapesWhoseElementCountOverflowsAreRefused) {
  Graph g = relu_graph();
  g.tensors[0].shape = {int64_t{1} << 33, int64_t{1} << 33};
  g.tensors[3].shape = g.tensors[0].shape;
  expect_bad_input(g, "too many elements");
  auto blob = make_owned_blob(serialize_graph(g));
  auto back = deserialize_graph(blob, 0, blob->size(), "plan.bin");
  ASSERT_FALSE(back.has_value());
  EXPECT_NE(back.error().message.find("negative or too large"), std::string::npos);
}

TEST(UntrustedGraph, StaticDataMustBeAligned) {
  auto bytes = serialize_graph(relu_graph());
  // b's data reference is {offset 64, size 16}: move it to offset 68 (still inside).
  uint64_t ref[2] = {64, 16};
  auto it = std::search(bytes.begin(), bytes.end(), reinterpret_cast<std::byte*>(ref),
                        reinterpret_cast<std::byte*>(ref) + 16);
  ASSERT_NE(it, bytes.end());
  uint64_t moved = 68;
  std::memcpy(&*it, &moved, 8);
  auto blob = make_owned_blob(std::move(bytes));
  auto g = deserialize_graph(blob, 0, blob->size(), "plan.bin");
  ASSERT_FALSE(g.has_value());
  EXPECT_NE(g.error().message.find("not 64-byte aligned"), std::string::npos);
}

TEST(UntrustedGraph, InputsOutputsAndWritesAreChecked) {
  Graph g = relu_graph();
  g.outputs = {kNoTensor};
  expect_bad_input(g, "graph output id -1");
  g = relu_graph();
  g.inputs = {};  // x keeps kind input but gets no data at execution
  expect_bad_input(g, "used before it is produced");
  g = relu_graph();
  g.inputs = {1};
  expect_bad_input(g, "'a' is not an input tensor");
  g = relu_graph();
  g.nodes[0].outputs = {2};  // a kernel writing into mapped weights
  g.tensors[2].shape = {1, 4};
  g.tensors[2].data = make_owned_blob(std::vector<std::byte>(16));
  expect_bad_input(g, "static tensor");
  g = relu_graph();
  g.nodes.push_back({"relu2", "Relu", {0}, {3}, {}});
  expect_bad_input(g, "written by an earlier node");
}

TEST(UntrustedGraph, EncodingsMustFitTheirTensor) {
  Graph g = relu_graph();
  Encoding e;
  e.axis = 1;
  e.scale = {0.1, 0.1};
  e.offset = {0, 0};
  g.tensors[3].encoding = e;  // 2 channels for a dimension of 4
  expect_bad_input(g, "axis 1 does not fit");
  e.axis = -1;
  e.scale = {0.0};
  e.offset = {0};
  g.tensors[3].encoding = e;
  expect_bad_input(g, "is not > 0");
}

TEST(UntrustedGraph, ShapeRulesRefuseHugeParams) {
  Graph g = relu_graph();
  g.nodes[0].op = "Reshape";
  g.nodes[0].params.set("shape", std::vector<int64_t>{int64_t{1} << 62, 8});
  expect_bad_input(g, "cannot reshape");
  g = relu_graph();
  g.tensors[0].shape = g.tensors[3].shape = {1, 4, 4, 1};
  g.tensors[1].shape = {4, 1, 1, 1};  // a 4x1 kernel: dilation * 3 overflows
  g.nodes[0] = {"conv", "Conv2d", {0, 1}, {3}, {}};
  g.nodes[0].params.set("dilation", std::vector<int64_t>{int64_t{1} << 62, 1});
  expect_bad_input(g, "too large");
  // FullyConnected with an empty inner dimension divided by it.
  g = relu_graph();
  g.tensors[0].shape = {3, 0};
  g.tensors[1].shape = {4, 0};
  g.tensors[1].data = make_owned_blob(std::vector<std::byte>());
  g.nodes[0] = {"fc", "FullyConnected", {0, 1}, {3}, {}};
  g.tensors[3].shape = {3, 4};
  EXPECT_TRUE(verify(g).is_ok()) << verify(g).error().message;
}

TEST(ByteReader, ReadsNothingIntoANullPointer) {
  std::byte data[4] = {};
  ByteReader r(data);
  EXPECT_TRUE(r.get_raw(nullptr, 0));  // an empty program binary in a GPU plan
  EXPECT_EQ(r.pos(), 0u);
}

}  // namespace
}  // namespace oqnn::ir
