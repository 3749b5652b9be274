// Shape rules of the indexing ops (indexing*.cpp): output shapes and dtypes, and the bad
// parameters and operands each refuses with an error naming the node.
#include <gtest/gtest.h>

#include "ir/op_def.h"
#include "ir/ops/indexing.h"

namespace oqnn::ir {
namespace {

// One node of `op` over run-time inputs of the given shapes and dtypes.
struct Probe {
  Graph g;
  Node n;
  Probe(const std::string& op, std::vector<std::pair<Shape, DataType>> ins, Params p = {}) {
    n.name = "probe";
    n.op = op;
    n.params = std::move(p);
    for (size_t i = 0; i < ins.size(); ++i)
      n.inputs.push_back(g.add_tensor(
          {"in" + std::to_string(i), ins[i].second, ins[i].first, TensorKind::kInput, {}, {}}));
  }
  Expected<std::vector<OutputInfo>> infer() const { return find_op(n.op)->infer(g, n); }
};

constexpr DataType f32 = DataType::kFloat32, i32 = DataType::kInt32, b8 = DataType::kBool;

Params ints(std::initializer_list<std::pair<const char*, int64_t>> kv) {
  Params p;
  for (auto& [k, v] : kv) p.set(k, v);
  return p;
}

void expect_shape(const Probe& p, const Shape& want, DataType dt, size_t out = 0) {
  auto r = p.infer();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ((*r)[out].shape, want) << p.n.op;
  EXPECT_EQ((*r)[out].dtype, dt) << p.n.op;
}

void expect_refused(const Probe& p, const std::string& what) {
  auto r = p.infer();
  ASSERT_FALSE(r.has_value()) << p.n.op << ": " << what;
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().message.find("node 'probe'"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(what), std::string::npos) << r.error().message;
}

TEST(IndexingRules, GatherFamily) {
  expect_shape(Probe("Gather", {{{4, 5, 6}, b8}, {{2, 3}, i32}}, ints({{"axis", 1}})), {4, 2, 3, 6},
               b8);
  expect_refused(Probe("Gather", {{{4}, f32}, {{2}, f32}}), "indices must be int32");
  expect_refused(Probe("Gather", {{{4}, f32}, {{2}, i32}}, ints({{"axis", 1}})), "out of range");
  expect_shape(Probe("GatherElements", {{{3, 3}, f32}, {{5, 2}, i32}}, ints({{"axis", 0}})), {5, 2},
               f32);
  expect_refused(Probe("GatherElements", {{{3, 3}, f32}, {{2, 4}, i32}}), "exceed");
  expect_shape(Probe("GatherNd", {{{2, 3, 4}, i32}, {{2, 1}, i32}}, ints({{"batch_dims", 1}})),
               {2, 4}, i32);
  expect_refused(Probe("GatherNd", {{{2, 3}, f32}, {{2, 3}, i32}}), "last indices dim");
  expect_refused(Probe("GatherNd", {{{2, 3}, f32}, {{3, 1}, i32}}, ints({{"batch_dims", 1}})),
                 "batch dims");
}

TEST(IndexingRules, ScatterFamily) {
  Params none;
  none.set("reduction", std::string("none"));
  expect_shape(Probe("ScatterNd", {{{4, 4}, f32}, {{2, 1}, i32}, {{2, 4}, f32}}, none), {4, 4},
               f32);
  expect_refused(Probe("ScatterNd", {{{4, 4}, f32}, {{2, 1}, i32}, {{2, 3}, f32}}), "updates");
  // Quantized data and updates (an HTP graph: a uint16 activation, an int8 static) hold
  // the same kind of values, each through its own encoding; a plain integer mismatch does not.
  Probe q("ScatterNd", {{{4, 4}, DataType::kUInt16}, {{2, 1}, i32}, {{2, 4}, DataType::kInt8}},
          none);
  expect_refused(q, "data's dtype");
  q.g.tensor(0).encoding = Encoding{};
  q.g.tensor(2).encoding = Encoding{};
  expect_shape(q, {4, 4}, DataType::kUInt16);
  // float32 data, float16 updates (a static of an fp16 GPU plan)
  expect_shape(
      Probe("ScatterNd", {{{4, 4}, f32}, {{2, 1}, i32}, {{2, 4}, DataType::kFloat16}}, none),
      {4, 4}, f32);
  Params bad;
  bad.set("reduction", std::string("mean"));
  expect_refused(Probe("ScatterNd", {{{4}, f32}, {{1, 1}, i32}, {{1}, f32}}, bad),
                 "unknown reduction");
  expect_shape(Probe("ScatterElements", {{{3, 3}, i32}, {{1, 2}, i32}, {{1, 2}, i32}}), {3, 3},
               i32);
  expect_refused(Probe("ScatterElements", {{{3, 3}, i32}, {{1, 2}, i32}, {{1, 2}, f32}}),
                 "updates");
}

TEST(IndexingRules, OneHotIsFloat32WithDepthAtAxis) {
  expect_shape(Probe("OneHot", {{{2, 3}, i32}}, ints({{"depth", 5}, {"axis", 1}})), {2, 5, 3}, f32);
  expect_refused(Probe("OneHot", {{{2}, i32}}, ints({{"depth", 0}})), "depth");
  expect_refused(Probe("OneHot", {{{2}, i32}}, ints({{"depth", 2}, {"axis", 2}})), "out of range");
}

TEST(IndexingRules, StridedSliceResolvesRangesAndMasks) {
  Params p;
  p.set("ranges", std::vector<int64_t>{-1, 0, -2, 1, 100, 2});  // dim0 backwards, dim1 forward
  p.set("end_mask", int64_t{1});
  expect_shape(Probe("StridedSlice", {{{5, 6}, f32}}, p), {3, 3}, f32);
  Node n{"probe", "StridedSlice", {}, {}, p};
  auto dims = resolve_strided_slice(n, {5, 6});
  ASSERT_TRUE(dims.has_value());
  EXPECT_EQ((*dims)[0].begin, 4);
  EXPECT_EQ((*dims)[1].begin, 1);
  p.set("shrink_axes", int64_t{1});
  expect_refused(Probe("StridedSlice", {{{5, 6}, f32}}, p), "shrunk axis");
  p.set("ranges", std::vector<int64_t>{0, 1, 0, 0, 1, 1});
  expect_refused(Probe("StridedSlice", {{{5, 6}, f32}}, p), "stride");
  p.set("ranges", std::vector<int64_t>{0, 1, 1});
  expect_refused(Probe("StridedSlice", {{{5, 6}, f32}}, p), "3 values per dim");
}

TEST(IndexingRules, TileSplitAndDepthSpace) {
  Params t;
  t.set("multiples", std::vector<int64_t>{2, 1});
  expect_shape(Probe("Tile", {{{2, 3}, b8}}, t), {4, 3}, b8);
  t.set("multiples", std::vector<int64_t>{-1, 1});
  expect_refused(Probe("Tile", {{{2, 3}, b8}}, t), "multiples");
  Params s;
  s.set("axis", int64_t{1});
  s.set("split_index", std::vector<int64_t>{2, 2});
  auto r = Probe("Split", {{{2, 5}, f32}}, s).infer();
  ASSERT_TRUE(r.has_value()) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[1].shape, (Shape{2, 0}));
  EXPECT_EQ((*r)[2].shape, (Shape{2, 3}));
  s.set("split_index", std::vector<int64_t>{3, 2});
  expect_refused(Probe("Split", {{{2, 5}, f32}}, s), "non-decreasing");
  Params d;
  d.set("block_size", std::vector<int64_t>{2, 2});
  expect_shape(Probe("DepthToSpace", {{{1, 2, 3, 8}, f32}}, d), {1, 4, 6, 2}, f32);
  expect_shape(Probe("SpaceToDepth", {{{1, 2, 4, 3}, f32}}, d), {1, 1, 2, 12}, f32);
  expect_refused(Probe("DepthToSpace", {{{1, 2, 3, 6}, f32}}, d), "block area");
  d.set("mode", std::string("XYZ"));
  expect_refused(Probe("SpaceToDepth", {{{1, 2, 4, 3}, f32}}, d), "mode");
}

TEST(IndexingRules, SelectionOps) {
  expect_shape(Probe("Argmax", {{{2, 3, 4}, f32}}, ints({{"axis", 1}, {"keep_dims", 0}})), {2, 4},
               i32);
  expect_shape(Probe("Argmin", {{{2, 3, 4}, i32}}, ints({{"axis", 2}})), {2, 3, 1}, i32);
  expect_refused(Probe("Argmax", {{{2}, b8}}), "float32, int32 or quantized");
  // uint8/uint16 with an encoding are quantized float activations (the HTP's); without one,
  // plain integers that Argmax, TopK and CumulativeSum do not take.
  Probe quantized("Argmax", {{{2, 3}, DataType::kUInt8}}, ints({{"axis", 1}}));
  quantized.g.tensor(0).encoding = Encoding{};
  expect_shape(quantized, {2, 1}, i32);
  Probe cumsum("CumulativeSum", {{{2, 3}, DataType::kUInt16}}, ints({{"axis", 0}}));
  expect_refused(cumsum, "float32, int32 or quantized");
  cumsum.g.tensor(0).encoding = Encoding{};
  expect_shape(cumsum, {2, 3}, DataType::kUInt16);
  expect_refused(Probe("Argmax", {{{0, 2}, f32}}), "empty");
  Probe topk("TopK", {{{3, 5}, f32}}, ints({{"k", 2}}));
  expect_shape(topk, {3, 2}, f32, 0);
  expect_shape(topk, {3, 2}, i32, 1);
  expect_refused(Probe("TopK", {{{3, 5}, f32}}, ints({{"k", 6}})), "k must be");
  expect_shape(Probe("CumulativeSum", {{{3, 5}, i32}}, ints({{"axis", 1}})), {3, 5}, i32);
  expect_refused(Probe("CumulativeSum", {{{3}, f32}}, ints({{"axis", 1}})), "out of range");
  expect_shape(Probe("Trilu", {{{2, 3, 4}, b8}}, ints({{"k", -1}})), {2, 3, 4}, b8);
  expect_refused(Probe("Trilu", {{{4}, f32}}), "two dims");
}

TEST(IndexingRules, ConcatRefusesMixedDtypes) {
  expect_refused(Probe("Concat", {{{2}, f32}, {{2}, i32}}, ints({{"axis", 0}})), "dtype");
  expect_shape(Probe("Concat", {{{2}, i32}, {{3}, i32}}, ints({{"axis", 0}})), {5}, i32);
}

}  // namespace
}  // namespace oqnn::ir
