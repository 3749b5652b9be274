// Quantize / Dequantize: the shape rules and their parameter checks (a shape error naming
// the node, never a crash), and the affine arithmetic of ir/affine_quant.h every layer
// shares (round half to even, saturation, per-axis and blocked parameter indices).
#include <gtest/gtest.h>

#include <cmath>

#include "ir/affine_quant.h"
#include "ir/op_def.h"

namespace oqnn::ir {
namespace {

struct QuantOp {
  Graph g;
  Node n;
  QuantOp(const std::string& op, Shape x, DataType dt) {
    n.name = "qdq_node";
    n.op = op;
    n.inputs.push_back(g.add_tensor({"x", dt, std::move(x), TensorKind::kInput, {}, {}}));
    n.params.set("scale", std::vector<double>{0.5});
    n.params.set("zero_point", std::vector<int64_t>{3});
    if (op == "Quantize") n.params.set("dtype", std::string("uint8"));
  }
  Expected<std::vector<OutputInfo>> infer() const { return find_op(n.op)->infer(g, n); }
};

void expect_error(const QuantOp& o, const std::string& fragment) {
  auto r = o.infer();
  ASSERT_FALSE(r.has_value()) << o.n.op << ": expected an error about " << fragment;
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().message.find("qdq_node"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(fragment), std::string::npos) << r.error().message;
}

TEST(QuantizeOps, OutputTypesFollowTheCodes) {
  for (const char* dt : {"uint8", "int8", "uint16", "int16"}) {
    QuantOp q("Quantize", {2, 3}, DataType::kFloat32);
    q.n.params.set("dtype", std::string(dt));
    q.n.params.set("zero_point", std::vector<int64_t>{0});
    auto r = q.infer();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ(dtype_name((*r)[0].dtype), dt);
    EXPECT_EQ((*r)[0].shape, (Shape{2, 3}));
  }
  for (DataType dt :
       {DataType::kUInt8, DataType::kInt8, DataType::kUInt16, DataType::kInt16, DataType::kInt32}) {
    QuantOp d("Dequantize", {4}, dt);
    auto r = d.infer();
    ASSERT_TRUE(r.has_value()) << r.error().message;
    EXPECT_EQ((*r)[0].dtype, DataType::kFloat32);
  }
}

TEST(QuantizeOps, BadParametersNameTheNode) {
  for (const char* op : {"Quantize", "Dequantize"}) {
    DataType in = std::string(op) == "Quantize" ? DataType::kFloat32 : DataType::kUInt8;
    QuantOp o(op, {2, 3, 4}, in);
    for (double s : {0.0, -1.0, double(INFINITY), double(NAN)}) {
      o.n.params.set("scale", std::vector<double>{s});
      expect_error(o, "positive finite");
    }
    o.n.params.set("scale", std::vector<double>{0.5});
    o.n.params.set("zero_point", std::vector<int64_t>{256});
    expect_error(o, "outside the range of uint8");
    o.n.params.set("zero_point", std::vector<int64_t>{-1});
    expect_error(o, "outside the range of uint8");
    o.n.params.set("zero_point", std::vector<int64_t>{1, 2});
    expect_error(o, "zero point has 2 values");
    // Per axis: one parameter per index of the axis.
    o.n.params.set("axis", int64_t{1});
    o.n.params.set("scale", std::vector<double>{0.5, 0.25});
    o.n.params.set("zero_point", std::vector<int64_t>{1, 2});
    expect_error(o, "needs 3");
    o.n.params.set("scale", std::vector<double>{0.5, 0.25, 1.0});
    o.n.params.set("zero_point", std::vector<int64_t>{1, 2, 3});
    EXPECT_TRUE(o.infer().has_value());
    o.n.params.set("axis", int64_t{3});
    expect_error(o, "out of range");
    // Blocked along axis 2 in blocks of 3: [2, 3, ceil(4 / 3) = 2] parameters.
    o.n.params.set("axis", int64_t{2});
    o.n.params.set("block_size", int64_t{3});
    o.n.params.set("scale", std::vector<double>(12, 1.0));
    o.n.params.set("zero_point", std::vector<int64_t>(12, 0));
    EXPECT_TRUE(o.infer().has_value());
    o.n.params.set("block_size", int64_t{2});
    o.n.params.set("scale", std::vector<double>(11, 1.0));
    o.n.params.set("zero_point", std::vector<int64_t>(11, 0));
    expect_error(o, "in blocks of 2 needs 12");
  }
  QuantOp q("Quantize", {2}, DataType::kFloat32);
  q.n.params.set("dtype", std::string("int32"));
  expect_error(q, "cannot quantize to 'int32'");
  QuantOp qi("Quantize", {2}, DataType::kInt32);
  expect_error(qi, "not float32");
  QuantOp d("Dequantize", {2}, DataType::kFloat32);
  expect_error(d, "not int8");
  QuantOp zi("Dequantize", {2}, DataType::kInt8);
  zi.n.params.set("zero_point", std::vector<int64_t>{128});
  expect_error(zi, "outside the range of int8");
}

TEST(AffineQuant, RoundsHalfToEvenAndSaturates) {
  // x / scale lands on .5 exactly: ties go to the even code.
  EXPECT_EQ(quantize_affine(0.5f, 1.0f, 0, 0, 255), 0);
  EXPECT_EQ(quantize_affine(1.5f, 1.0f, 0, 0, 255), 2);
  EXPECT_EQ(quantize_affine(2.5f, 1.0f, 0, 0, 255), 2);
  EXPECT_EQ(quantize_affine(-2.5f, 1.0f, 0, -128, 127), -2);
  EXPECT_EQ(quantize_affine(-3.5f, 1.0f, 0, -128, 127), -4);
  // The zero point is added after rounding.
  EXPECT_EQ(quantize_affine(2.5f, 1.0f, 1, 0, 255), 3);
  EXPECT_EQ(quantize_affine(1000.0f, 0.5f, 10, 0, 255), 255);
  EXPECT_EQ(quantize_affine(-1000.0f, 0.5f, 10, 0, 255), 0);
  EXPECT_EQ(quantize_affine(INFINITY, 0.5f, 0, -32768, 32767), 32767);
  EXPECT_EQ(quantize_affine(-INFINITY, 0.5f, 0, -32768, 32767), -32768);
  EXPECT_EQ(quantize_affine(NAN, 0.5f, 7, -128, 127), -128);
  // A float32 division, not a multiplication by a rounded reciprocal: 0.3 / 0.1 is
  // 2.9999998 in float32 (3 after rounding either way), but 0.35 / 0.1 = 3.4999998 -> 3.
  EXPECT_EQ(quantize_affine(0.35f, 0.1f, 0, 0, 255),
            static_cast<int64_t>(std::nearbyint(0.35f / 0.1f)));
  EXPECT_EQ(dequantize_affine(200, 0.5f, 128), 36.0f);
  EXPECT_EQ(dequantize_affine(-128, 0.25f, 0), -32.0f);
  EXPECT_EQ(dequantize_affine(2147483647, 1.0f, 0), 2147483648.0f);
}

TEST(AffineQuant, ParameterIndexPerTensorAxisAndBlock) {
  Shape x{2, 3, 4};
  AffineQuant per_tensor{{1.0f}, {0}};
  AffineIndex t(per_tensor, x);
  for (int64_t i = 0; i < 24; ++i) EXPECT_EQ(t(i), 0u);
  AffineQuant per_axis{{1.0f, 2.0f, 3.0f}, {0, 0, 0}, 1};
  AffineIndex a(per_axis, x);
  for (int64_t i = 0; i < 24; ++i) EXPECT_EQ(a(i), static_cast<size_t>((i / 4) % 3)) << i;
  // Blocks of 3 along axis 2 (4 -> 2 blocks): the parameters are shaped [2, 3, 2].
  AffineQuant blocked{std::vector<float>(12, 1.0f), std::vector<int64_t>(12, 0), 2, 3};
  AffineIndex b(blocked, x);
  for (int64_t i = 0; i < 24; ++i) {
    int64_t o = i / 12, c = (i / 4) % 3, k = i % 4;
    EXPECT_EQ(b(i), static_cast<size_t>((o * 3 + c) * 2 + k / 3)) << i;
  }
  // Blocks along axis 0 (the outermost): [ceil(2 / 2) = 1, 3, 4].
  AffineQuant outer{std::vector<float>(12, 1.0f), std::vector<int64_t>(12, 0), 0, 2};
  AffineIndex bo(outer, x);
  for (int64_t i = 0; i < 24; ++i) EXPECT_EQ(bo(i), static_cast<size_t>(i % 12)) << i;
}

}  // namespace
}  // namespace oqnn::ir
