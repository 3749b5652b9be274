// Graph I/O dtypes at import (docs/dtypes.md): float16 inputs and outputs stay float16 at
// the boundary with the graph computing float32 inside, float16 initializers become
// float32 weights, a Cast to float16 rounds, and int64 inputs are int32 unless
// --keep_int64_inputs keeps them int64 (narrowed by a Cast inside).
#include <cstring>

#include "model_builder.h"

namespace oqnn::onnx_import::test_util {
namespace {

using Dtypes = ImporterTest;
using TP = ::onnx::TensorProto;

void declare_output_type(ModelBuilder& b, int index, int elem_type) {
  b.model.mutable_graph()
      ->mutable_output(index)
      ->mutable_type()
      ->mutable_tensor_type()
      ->set_elem_type(elem_type);
}

void init_f16(ModelBuilder& b, const std::string& name, const std::vector<float>& values) {
  TP& t = *b.model.mutable_graph()->add_initializer();
  t.set_name(name);
  t.set_data_type(TP::FLOAT16);
  t.add_dims(static_cast<int64_t>(values.size()));
  std::string raw(values.size() * 2, '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    uint16_t h = ir::float_to_half(values[i]);
    std::memcpy(raw.data() + 2 * i, &h, 2);
  }
  t.set_raw_data(raw);
}

TEST_F(Dtypes, Float16IoStaysFloat16AndTheGraphComputesFloat32) {
  ModelBuilder b;
  b.input("x", {1, 4}, TP::FLOAT16);
  init_f16(b, "w", {0.5f, -1.0f, 2.0f, 0.25f});
  b.node("Add", {"x", "w"}, {"y"}, "add");
  b.output("y");
  declare_output_type(b, 0, TP::FLOAT16);
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Cast", "ElementWiseAdd", "Cast"}));
  EXPECT_EQ(g->tensor(g->inputs[0]).dtype, ir::DataType::kFloat16);
  EXPECT_EQ(g->tensor(g->inputs[0]).name, "x");
  ASSERT_EQ(g->outputs.size(), 1u);
  EXPECT_EQ(g->tensor(g->outputs[0]).dtype, ir::DataType::kFloat16);
  EXPECT_EQ(g->tensor(g->outputs[0]).name, "y");
  const ir::Node& add = node_of(*g, "ElementWiseAdd");
  for (ir::TensorId t : add.inputs) EXPECT_EQ(g->tensor(t).dtype, ir::DataType::kFloat32);
  auto w = g->find_tensor("w");
  ASSERT_TRUE(w.has_value());
  EXPECT_EQ(g->tensor(*w).dtype, ir::DataType::kFloat32);
  EXPECT_EQ(static_floats(*g, *w), (std::vector<float>{0.5f, -1.0f, 2.0f, 0.25f}));
}

TEST_F(Dtypes, CastToFloat16InsideAGraphRoundsAndStaysFloat32) {
  ModelBuilder b;
  b.input("x", {1, 4});
  set_attr(b.node("Cast", {"x"}, {"h"}, "cast"), "to", int64_t{TP::FLOAT16});
  b.node("Relu", {"h"}, {"y"}, "relu");
  b.output("y");
  declare_output_type(b, 0, TP::FLOAT16);
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Cast", "Cast", "Relu", "Cast"}));
  EXPECT_EQ(g->nodes[0].params.get_string("to"), "float16");
  EXPECT_EQ(g->nodes[1].params.get_string("to"), "float32");
  EXPECT_EQ(g->tensor(node_of(*g, "Relu").inputs[0]).dtype, ir::DataType::kFloat32);
}

ModelBuilder int64_model() {
  ModelBuilder b;
  b.input("ids", {1, 3}, TP::INT64);
  b.init_i64("one", {}, {1});
  b.node("Add", {"ids", "one"}, {"next"}, "add");
  b.output("next");
  declare_output_type(b, 0, TP::INT64);
  return b;
}

TEST_F(Dtypes, Int64InputsAreInt32UnlessKept) {
  auto g = import(int64_model());
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(g->inputs[0]).dtype, ir::DataType::kInt32);
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"ElementWiseAdd"}));

  ImportOptions o;
  o.keep_int64_inputs = true;
  auto k = import(int64_model(), o);
  ASSERT_TRUE(k.has_value()) << k.error().message;
  EXPECT_EQ(k->tensor(k->inputs[0]).dtype, ir::DataType::kInt64);
  EXPECT_EQ(k->tensor(k->inputs[0]).name, "ids");
  EXPECT_EQ(ops_of(*k), (std::vector<std::string>{"Cast", "ElementWiseAdd"}));
  EXPECT_EQ(k->nodes[0].params.get_string("to"), "int32");
  EXPECT_EQ(k->tensor(k->outputs[0]).dtype, ir::DataType::kInt32);  // outputs narrow always
}

TEST_F(Dtypes, Float64InputsAreFloat32) {
  ModelBuilder b;
  b.input("x", {2}, TP::DOUBLE);
  b.node("Relu", {"x"}, {"y"}, "relu");
  b.output("y");
  declare_output_type(b, 0, TP::DOUBLE);
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(g->tensor(g->inputs[0]).dtype, ir::DataType::kFloat32);
  EXPECT_EQ(g->tensor(g->outputs[0]).dtype, ir::DataType::kFloat32);
  EXPECT_EQ(ops_of(*g), (std::vector<std::string>{"Relu"}));
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
