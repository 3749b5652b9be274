// The graph side of CPU fallback: which nodes a target takes, the cut into partitions and
// the report of what went where.
#include "runtime/graph_partition.h"

#include <gtest/gtest.h>

#include "ir/verifier.h"

namespace oqnn::rt {
namespace {

// x -> Relu -> Cast(int32) -> Cast(float32) -> Sigmoid -> y, plus a static weight on Mul.
struct CastChain {
  ir::Graph g;
  CastChain() {
    g.name = "chain";
    auto tensor = [&](const std::string& name, ir::DataType dt, ir::TensorKind kind) {
      ir::Tensor t;
      t.name = name;
      t.dtype = dt;
      t.shape = {1, 4};
      t.kind = kind;
      return g.add_tensor(std::move(t));
    };
    ir::TensorId x = tensor("x", ir::DataType::kFloat32, ir::TensorKind::kInput);
    ir::TensorId a = tensor("a", ir::DataType::kFloat32, ir::TensorKind::kIntermediate);
    ir::TensorId b = tensor("b", ir::DataType::kInt32, ir::TensorKind::kIntermediate);
    ir::TensorId c = tensor("c", ir::DataType::kFloat32, ir::TensorKind::kIntermediate);
    ir::TensorId y = tensor("y", ir::DataType::kFloat32, ir::TensorKind::kOutput);
    g.inputs = {x};
    g.outputs = {y};
    auto cast_to = [](const char* dt) {
      ir::Params p;
      p.set("to", std::string(dt));
      return p;
    };
    g.nodes.push_back({"relu", "Relu", {x}, {a}, {}});
    g.nodes.push_back({"to_int", "Cast", {a}, {b}, cast_to("int32")});
    g.nodes.push_back({"to_float", "Cast", {b}, {c}, cast_to("float32")});
    g.nodes.push_back({"sig", "Sigmoid", {c}, {y}, {}});
    g.rebuild_name_index();
  }
};

// One row per (op, dtype) pair, "Op:dtype".
std::vector<Capability> caps(std::initializer_list<const char*> rows) {
  std::vector<Capability> v;
  for (std::string r : rows) {
    size_t colon = r.find(':');
    v.push_back({r.substr(0, colon), r.substr(colon + 1), ""});
  }
  return v;
}

std::vector<std::string> names(const ir::Graph& g, const std::vector<ir::TensorId>& ids) {
  std::vector<std::string> v;
  for (ir::TensorId t : ids) v.push_back(g.tensor(t).name);
  return v;
}

TEST(GraphPartition, EachRunTimeInputNeedsARowOfItsDtype) {
  CastChain m;
  struct Case {
    const char* what;
    std::vector<Capability> rows;
    const char* backend;
    std::vector<bool> expect;
  };
  const Case cases[] = {
      {"float rows only: both casts touch int32 and go to the cpu",
       caps({"Relu:float16", "Sigmoid:float16", "Cast:float16"}),
       "gpu",
       {true, false, false, true}},
      {"an int32 row for Cast keeps both casts",
       caps({"Relu:float32", "Sigmoid:float32", "Cast:float32", "Cast:int32"}),
       "gpu",
       {true, true, true, true}},
      {"ops without rows go to the cpu",
       caps({"Sigmoid:float16"}),
       "gpu",
       {false, false, false, true}},
      {"htp: float tensors need the quantized rows",
       caps({"Relu:float32", "Sigmoid:uint8", "Cast:uint16", "Cast:int32"}),
       "htp",
       {false, true, true, true}},
  };
  for (const Case& c : cases)
    EXPECT_EQ(nodes_supported(m.g, c.rows, c.backend), c.expect) << c.what;
}

TEST(GraphPartition, Uint8IntegerTensorsNeverRunOnTheHtp) {
  CastChain m;
  m.g.tensors[2].dtype = ir::DataType::kUInt8;  // b: the Cast's integer tensor
  auto rows = caps({"Relu:uint8", "Sigmoid:uint8", "Cast:uint8"});
  EXPECT_EQ(nodes_supported(m.g, rows, "htp"), (std::vector<bool>{true, false, false, true}));
  rows = caps({"Relu:float32", "Sigmoid:float32", "Cast:float32", "Cast:uint8"});
  EXPECT_EQ(nodes_supported(m.g, rows, "gpu"), (std::vector<bool>{true, true, true, true}));
  // Except as integer codes (a Quantize's output, a Dequantize's input): a "uint8 codes" row.
  rows = caps({"Relu:uint8", "Sigmoid:uint8", "Cast:uint8", "Cast:uint8 codes"});
  EXPECT_EQ(nodes_supported(m.g, rows, "htp"), (std::vector<bool>{true, true, true, true}));
  rows = caps({"Relu:float32", "Sigmoid:float32", "Cast:float32", "Cast:uint8 codes"});
  EXPECT_EQ(nodes_supported(m.g, rows, "gpu"), (std::vector<bool>{true, false, false, true}));
}

TEST(GraphPartition, RunsBecomeSelfContainedGraphsWithTheCrossingTensors) {
  CastChain m;
  auto parts = split_graph(m.g, {true, false, false, true});
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_TRUE(parts[0].primary);
  EXPECT_FALSE(parts[1].primary);
  EXPECT_TRUE(parts[2].primary);
  EXPECT_EQ(parts[1].nodes, (std::vector<size_t>{1, 2}));
  EXPECT_EQ(names(parts[0].graph, parts[0].graph.inputs), std::vector<std::string>{"x"});
  EXPECT_EQ(names(parts[0].graph, parts[0].graph.outputs), std::vector<std::string>{"a"});
  EXPECT_EQ(names(parts[1].graph, parts[1].graph.inputs), std::vector<std::string>{"a"});
  EXPECT_EQ(names(parts[1].graph, parts[1].graph.outputs), std::vector<std::string>{"c"});
  EXPECT_EQ(names(parts[2].graph, parts[2].graph.outputs), std::vector<std::string>{"y"});
  for (const auto& p : parts) {
    Status s = ir::verify(p.graph);
    EXPECT_TRUE(s.is_ok()) << s.error().message;
  }
}

TEST(GraphPartition, OneRunWhenEverythingIsSupported) {
  CastChain m;
  auto parts = split_graph(m.g, {true, true, true, true});
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].graph.nodes.size(), 4u);
}

TEST(GraphPartition, SummaryCountsOpsAndNamesNodes) {
  CastChain m;
  std::string s = fallback_summary(m.g, {true, false, false, true});
  EXPECT_NE(s.find("2 of 4 nodes"), std::string::npos) << s;
  EXPECT_NE(s.find("Cast x2"), std::string::npos) << s;
  EXPECT_NE(s.find("'to_int'"), std::string::npos) << s;
}

}  // namespace
}  // namespace oqnn::rt
