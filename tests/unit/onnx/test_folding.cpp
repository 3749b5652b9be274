// Import-time folding: the seed model's Shape→Gather→Unsqueeze→Concat→Reshape on a
// symbolic batch, other shape arithmetic, and folder semantics checked directly.
#include <limits>

#include "ir/verifier.h"
#include "model_builder.h"
#include "onnx/const_fold.h"

namespace oqnn::onnx_import::test_util {
namespace {

::onnx::TensorProto scalar_i64(int64_t v, bool one_d) {
  ::onnx::TensorProto t;
  t.set_data_type(::onnx::TensorProto::INT64);
  if (one_d) t.add_dims(1);
  t.add_int64_data(v);
  return t;
}

void constant(ModelBuilder& b, const std::string& out, const ::onnx::TensorProto& value) {
  auto& n = b.node("Constant", {}, {out});
  auto* a = n.add_attribute();
  a->set_name("value");
  a->set_type(::onnx::AttributeProto::TENSOR);
  *a->mutable_t() = value;
}

// The seed CNN as torch 1.13 exports it: conv → relu → global pool → x.view(x.size(0), -1)
// → linear, with a symbolic batch.
ModelBuilder seed_like(int64_t opset) {
  ModelBuilder b(opset);
  b.input("input", {"batch_size", 3, 8, 8});
  b.init_f32("conv1.weight", {4, 3, 3, 3}, iota_values(108, 0.01f));
  b.init_f32("conv1.bias", {4}, {0, 1, 2, 3});
  b.init_f32("fc.weight", {2, 4}, iota_values(8));
  b.init_f32("fc.bias", {2}, {5, 6});
  auto& conv =
      b.node("Conv", {"input", "conv1.weight", "conv1.bias"}, {"conv1_out"}, "/conv1/Conv");
  set_attr(conv, "pads", std::vector<int64_t>{1, 1, 1, 1});
  set_attr(conv, "kernel_shape", std::vector<int64_t>{3, 3});
  b.node("Relu", {"conv1_out"}, {"relu_out"}, "/relu/Relu");
  b.node("GlobalAveragePool", {"relu_out"}, {"pooled"}, "/pool/GlobalAveragePool");
  b.node("Shape", {"pooled"}, {"shape"}, "/Shape");
  constant(b, "zero", scalar_i64(0, false));
  set_attr(b.node("Gather", {"shape", "zero"}, {"n"}, "/Gather"), "axis", int64_t{0});
  if (opset < 13) {
    set_attr(b.node("Unsqueeze", {"n"}, {"n1"}, "/Unsqueeze"), "axes", std::vector<int64_t>{0});
  } else {
    constant(b, "axes0", scalar_i64(0, true));
    b.node("Unsqueeze", {"n", "axes0"}, {"n1"}, "/Unsqueeze");
  }
  constant(b, "minus1", scalar_i64(-1, true));
  set_attr(b.node("Concat", {"n1", "minus1"}, {"target"}, "/Concat"), "axis", int64_t{0});
  b.node("Reshape", {"pooled", "target"}, {"flat"}, "/Reshape");
  auto& gemm = b.node("Gemm", {"flat", "fc.weight", "fc.bias"}, {"output"}, "/fc/Gemm");
  set_attr(gemm, "transB", int64_t{1});
  b.output("output");
  return b;
}

using Folding = ImporterTest;

TEST_F(Folding, SeedShapeChainFoldsIntoAStaticReshape) {
  for (int64_t opset : {11, 13}) {
    ImportOptions o;
    o.batch = 2;
    auto g = import(seed_like(opset), o);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    EXPECT_EQ(ops_of(*g),
              (std::vector<std::string>{"Transpose", "Conv2d", "Transpose", "Relu", "Transpose",
                                        "PoolAvg2d", "Transpose", "Reshape", "FullyConnected"}));
    const ir::Node& r = node_of(*g, "Reshape");
    EXPECT_EQ(r.name, "/Reshape");
    EXPECT_EQ(r.params.get_ints("shape"), (std::vector<int64_t>{2, 4}));
    EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{2, 2}));
    EXPECT_EQ(g->tensor(g->outputs[0]).name, "output");
    EXPECT_TRUE(ir::verify(*g).is_ok());
    // No folded value is left behind as a tensor.
    for (const char* gone : {"shape", "n", "n1", "target", "zero", "minus1"})
      EXPECT_FALSE(g->find_tensor(gone).has_value()) << gone;
  }
}

TEST_F(Folding, SeedModelBindsTheBatchThroughInputDimToo) {
  ImportOptions o;
  o.input_dims = {{"input", {3, 3, 8, 8}}};
  auto g = import(seed_like(11), o);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(node_of(*g, "Reshape").params.get_ints("shape"), (std::vector<int64_t>{3, 4}));
}

TEST_F(Folding, SliceCastDivConcatFoldIntoReshape) {
  ModelBuilder b;
  b.input("x", {1, 3, 8, 8});
  b.init_i64("starts", {1}, {2});
  b.init_i64("ends", {1}, {4});
  b.init_i64("head", {2}, {1, 12});
  b.init_f32("two", {}, {2.0f});
  b.node("Shape", {"x"}, {"s"});
  b.node("Slice", {"s", "starts", "ends"}, {"hw"});
  set_attr(b.node("Cast", {"hw"}, {"hwf"}), "to", int64_t{::onnx::TensorProto::FLOAT});
  b.node("Div", {"hwf", "two"}, {"half"});
  set_attr(b.node("Cast", {"half"}, {"halfi"}), "to", int64_t{::onnx::TensorProto::INT64});
  set_attr(b.node("Concat", {"head", "halfi"}, {"target"}), "axis", int64_t{-1});
  b.node("Reshape", {"x", "target"}, {"y"});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), std::vector<std::string>{"Reshape"});
  EXPECT_EQ(g->nodes[0].name, "Reshape_6");  // unnamed nodes are <OpType>_<index>
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 12, 4, 4}));
}

TEST_F(Folding, ConstantOfShapeBecomesAStaticOperand) {
  ModelBuilder b;
  b.input("x", {1, 2, 3});
  b.node("Shape", {"x"}, {"s"});
  auto& cos = b.node("ConstantOfShape", {"s"}, {"twos"});
  auto* a = cos.add_attribute();
  a->set_name("value");
  a->set_type(::onnx::AttributeProto::TENSOR);
  a->mutable_t()->set_data_type(::onnx::TensorProto::FLOAT);
  a->mutable_t()->add_dims(1);
  a->mutable_t()->add_float_data(2.0f);
  b.node("Mul", {"x", "twos"}, {"y"});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  const ir::Node& mul = node_of(*g, "ElementWiseMultiply");
  EXPECT_EQ(g->tensor(mul.inputs[1]).shape, (ir::Shape{1, 2, 3}));
  EXPECT_EQ(static_floats(*g, mul.inputs[1]), std::vector<float>(6, 2.0f));
}

TEST_F(Folding, ATransposedConstantWeightFeedsFullyConnected) {
  ModelBuilder b;
  b.input("x", {1, 2});
  b.init_f32("Wt", {3, 2}, iota_values(6));  // stored [n, k], transposed at run time
  set_attr(b.node("Transpose", {"Wt"}, {"W"}), "perm", std::vector<int64_t>{1, 0});
  b.node("MatMul", {"x", "W"}, {"y"});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  ASSERT_EQ(ops_of(*g), std::vector<std::string>{"FullyConnected"});
  EXPECT_EQ(static_floats(*g, g->nodes[0].inputs[1]), iota_values(6));
}

TEST_F(Folding, DoubleConstantsFoldLikeTorchsClampBound) {
  // torch's clamp(max=0.5) at opset 11: a DOUBLE Constant cast to float feeds Clip.
  ModelBuilder b(11);
  b.input("x", {1, 3});
  ::onnx::TensorProto d;
  d.set_data_type(::onnx::TensorProto::DOUBLE);
  d.add_double_data(0.5);
  constant(b, "max_d", d);
  set_attr(b.node("Cast", {"max_d"}, {"max_f"}), "to", int64_t{::onnx::TensorProto::FLOAT});
  b.node("Clip", {"x", "", "max_f"}, {"c"}, "clip");
  // Shape arithmetic through double: 3 * 1.5 = 4.5 → 4 as int64.
  b.node("Shape", {"x"}, {"s"});
  set_attr(b.node("Cast", {"s"}, {"sd"}), "to", int64_t{::onnx::TensorProto::DOUBLE});
  ::onnx::TensorProto k;
  k.set_data_type(::onnx::TensorProto::DOUBLE);
  k.add_dims(1);
  k.add_double_data(1.5);
  constant(b, "k", k);
  b.node("Mul", {"sd", "k"}, {"scaled"});
  set_attr(b.node("Cast", {"scaled"}, {"si"}), "to", int64_t{::onnx::TensorProto::INT64});
  b.node("ConstantOfShape", {"si"}, {"pad"});  // [1, 4] of float zeros (default value)
  set_attr(b.node("Concat", {"c", "pad"}, {"y"}), "axis", int64_t{-1});
  b.output("y");
  auto g = import(b);
  ASSERT_TRUE(g.has_value()) << g.error().message;
  EXPECT_EQ(node_of(*g, "ReluMinMax").params.get_float("max_value"), 0.5);
  EXPECT_EQ(g->tensor(g->outputs[0]).shape, (ir::Shape{1, 7}));
}

TEST_F(Folding, AbsurdSizesAreBadInputNotACrash) {
  ModelBuilder b;
  b.input("x", {1, 3});
  b.init_i64("huge", {3}, {int64_t{1} << 40, int64_t{1} << 40, 4});
  b.node("ConstantOfShape", {"huge"}, {"z"}, "cos");
  b.node("Add", {"x", "z"}, {"y"});
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("node 'cos'"), std::string::npos) << g.error().message;

  ModelBuilder r;
  r.input("x", {1, 3});
  r.init_i64("shape", {3}, {int64_t{1} << 40, int64_t{1} << 40, 4});
  r.node("Reshape", {"x", "shape"}, {"y"}, "reshape");
  r.output("y");
  auto rg = import(r);
  ASSERT_FALSE(rg.has_value());
  EXPECT_EQ(rg.error().code, ErrorCode::kBadInput);
}

// Runs one folder on constant inputs.
std::vector<int64_t> fold_ints(const std::string& op, std::vector<ConstTensor> in,
                               std::vector<std::pair<std::string, int64_t>> attrs = {}) {
  ::onnx::NodeProto proto;
  proto.set_op_type(op);
  for (auto& [k, v] : attrs) set_attr(proto, k, v);
  OnnxNode n(proto, "t", 13);
  std::vector<const ConstTensor*> ptrs;
  for (auto& c : in) ptrs.push_back(&c);
  auto out = find_folder(op)->fn(n, ptrs);
  EXPECT_TRUE(out.has_value()) << out.error().message;
  return out.has_value() ? to_ints((*out)[0]) : std::vector<int64_t>{};
}

ConstTensor ints(std::vector<int64_t> v) {
  return make_const_ints(ir::DataType::kInt64, {static_cast<int64_t>(v.size())}, v);
}

TEST(Folders, SliceClampsAndStepsBackwards) {
  ConstTensor data = ints({0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  EXPECT_EQ(fold_ints("Slice", {data, ints({2}), ints({hi})}),
            (std::vector<int64_t>{2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(fold_ints("Slice", {data, ints({-1}), ints({lo}), ints({0}), ints({-3})}),
            (std::vector<int64_t>{9, 6, 3, 0}));
  EXPECT_EQ(fold_ints("Slice", {data, ints({-3}), ints({-1})}), (std::vector<int64_t>{7, 8}));
  EXPECT_TRUE(fold_ints("Slice", {data, ints({5}), ints({2})}).empty());
}

TEST(Folders, GatherTakesNegativeIndicesAndIntegerDivTruncates) {
  EXPECT_EQ(fold_ints("Gather", {ints({10, 20, 30}), ints({-1, 0})}),
            (std::vector<int64_t>{30, 10}));
  EXPECT_EQ(fold_ints("Div", {ints({7, -7}), ints({2, 2})}), (std::vector<int64_t>{3, -3}));
  EXPECT_EQ(fold_ints("Shape", {ints({1, 2, 3})}), (std::vector<int64_t>{3}));
}

TEST(Folders, IntegerDivisionByZeroIsAnError) {
  ::onnx::NodeProto proto;
  proto.set_op_type("Div");
  OnnxNode n(proto, "div", 13);
  ConstTensor a = ints({1}), b = ints({0});
  std::vector<const ConstTensor*> in{&a, &b};
  auto out = find_folder("Div")->fn(n, in);
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().code, ErrorCode::kBadInput);
  EXPECT_NE(out.error().message.find("node 'div'"), std::string::npos);
}

TEST(Folders, HalfConversionRoundsToNearestEven) {
  EXPECT_EQ(float_to_half(1.0f), 0x3c00);
  EXPECT_EQ(float_to_half(65504.0f), 0x7bff);
  EXPECT_EQ(float_to_half(1e6f), 0x7c00);
  EXPECT_EQ(float_to_half(1.0f + 1.0f / 2048), 0x3c00);      // tie → even
  EXPECT_EQ(float_to_half(5.960464477539063e-08f), 0x0001);  // smallest subnormal
  for (uint16_t h : {0x0001, 0x03ff, 0x0400, 0x3555, 0xc000, 0x7bff})
    EXPECT_EQ(float_to_half(half_to_float(h)), h);
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
