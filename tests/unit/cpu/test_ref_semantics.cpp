// Reference kernels on cases whose answers are worked out by hand (pool ceil mode, pad
// schemes, reductions) or by an independent, index-by-index formula in the test
// (broadcasting, transpose, matmul, softmax); and the errors the factories return.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/cpu/kernels.h"
#include "ir/op_def.h"
#include "ir/verifier.h"
#include "op_test_util.h"
#include "runtime/thread_pool.h"

namespace oqnn::cpu::testing {
namespace {

std::vector<float> run_ref(const OpCase& c, std::vector<std::vector<float>> data) {
  auto og = build_op_graph(c, std::move(data));
  EXPECT_TRUE(og.has_value()) << og.error().message;
  if (!og) return {};
  auto out = run_op(make_ref_kernel, *og, 1);
  EXPECT_TRUE(out.has_value()) << out.error().message;
  return out ? (*out)[0] : std::vector<float>{};
}

std::vector<float> iota(size_t n, float start = 0.0f) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

// Row-major coordinates of `flat` in `shape`.
std::vector<int64_t> coords(int64_t flat, const ir::Shape& shape) {
  std::vector<int64_t> c(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    c[d] = flat % shape[d];
    flat /= shape[d];
  }
  return c;
}

// Flat index into `in` for output coordinates `oc` under numpy broadcasting.
int64_t broadcast_index(const std::vector<int64_t>& oc, const ir::Shape& in) {
  int64_t idx = 0;
  size_t lead = oc.size() - in.size();
  for (size_t d = 0; d < in.size(); ++d) idx = idx * in[d] + (in[d] == 1 ? 0 : oc[lead + d]);
  return idx;
}

TEST(RefBroadcast, BinaryOpsMatchIndexByIndexFormula) {
  struct Case {
    const char* op;
    ir::Shape a, b;
  };
  const Case cases[] = {
      {"ElementWiseAdd", {2, 3, 4, 5}, {4, 1}},
      {"ElementWiseMultiply", {3, 1, 5}, {2, 1, 4, 1}},
      {"ElementWiseDivide", {5}, {2, 3, 1}},
      {"ElementWiseSubtract", {2, 3}, {}},
      {"ElementWiseAdd", {1, 6, 1}, {6, 1, 7}},
      {"ElementWiseSubtract", {4, 1, 3, 1}, {4, 2, 1, 5}},
      {"ElementWiseMultiply", {2, 3, 4}, {2, 3, 4}},
      {"Prelu", {2, 3, 4, 5}, {5}},
      {"Prelu", {2, 3, 4, 5}, {1}},
      {"ElementWiseDivide", {1}, {3, 1}},
  };
  uint32_t seed = 1;
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.op) + " " + ir::shape_str(c.a) + " " + ir::shape_str(c.b));
    OpCase oc{c.op, {{c.a}, {c.b}}, {}};
    auto a = random_floats(static_cast<size_t>(ir::num_elements(c.a)), seed++);
    auto b = random_floats(static_cast<size_t>(ir::num_elements(c.b)), seed++, 0.5f, 2.0f);
    auto got = run_ref(oc, {a, b});
    ir::Shape out = *ir::broadcast_shapes(c.a, c.b);
    ASSERT_EQ(got.size(), static_cast<size_t>(ir::num_elements(out)));
    for (int64_t i = 0; i < ir::num_elements(out); ++i) {
      auto oc_i = coords(i, out);
      float x = a[broadcast_index(oc_i, c.a)], y = b[broadcast_index(oc_i, c.b)];
      std::string op = c.op;
      float want = op == "ElementWiseAdd"        ? x + y
                   : op == "ElementWiseSubtract" ? x - y
                   : op == "ElementWiseMultiply" ? x * y
                   : op == "ElementWiseDivide"   ? x / y
                                                 : (x < 0 ? x * y : x);
      ASSERT_EQ(got[i], want) << "at " << i;
    }
  }
}

OpCase pool_case(const char* op, int64_t k, int64_t s, std::vector<int64_t> pad, bool ceil_mode,
                 int64_t count_pad = -1) {
  OpCase c{op, {{{1, 5, 5, 1}}}, {}};
  c.params.set("filter_size", std::vector<int64_t>{k, k});
  c.params.set("stride", std::vector<int64_t>{s, s});
  c.params.set("pad_amount", pad);
  if (ceil_mode) c.params.set("rounding_mode", int64_t{1});
  if (count_pad >= 0) c.params.set("count_pad_for_edges", count_pad);
  return c;
}

// Input 5x5, x[i][j] = 5i + j. Kernel 2, stride 2, ceil mode: 3x3 windows, the last row
// and column of windows hang one past the input and are clipped to it.
TEST(RefPool, CeilModeClipsWindowsToTheInput) {
  auto mx = run_ref(pool_case("PoolMax2d", 2, 2, {0, 0, 0, 0}, true), {iota(25)});
  EXPECT_EQ(mx, (std::vector<float>{6, 8, 9, 16, 18, 19, 21, 23, 24}));
  auto avg = run_ref(pool_case("PoolAvg2d", 2, 2, {0, 0, 0, 0}, true, 0), {iota(25)});
  EXPECT_EQ(avg, (std::vector<float>{3, 5, 6.5f, 13, 15, 16.5f, 20.5f, 22.5f, 24}));
  auto floor_mode = run_ref(pool_case("PoolMax2d", 2, 2, {0, 0, 0, 0}, false), {iota(25)});
  EXPECT_EQ(floor_mode, (std::vector<float>{6, 8, 16, 18}));
}

// Kernel 3, stride 2, pad top/left 1, ceil mode: windows start at -1, 1, 3; the last
// ones hang past the input with no padding there. count_pad_for_edges divides by the
// full 3x3 filter regardless (as onnxruntime does): window (0,0) sums 0+1+5+6 = 12,
// window (0,2) sums 3+4+8+9 = 24, window (2,2) sums 18+19+23+24 = 84. Without it the
// divisor is the number of input values in the window.
TEST(RefPool, CeilModeAverageDivisors) {
  auto with_pad = run_ref(pool_case("PoolAvg2d", 3, 2, {1, 0, 1, 0}, true, 1), {iota(25)});
  ASSERT_EQ(with_pad.size(), 9u);
  EXPECT_FLOAT_EQ(with_pad[0], 12.0f / 9.0f);
  EXPECT_FLOAT_EQ(with_pad[2], 24.0f / 9.0f);
  EXPECT_FLOAT_EQ(with_pad[8], 84.0f / 9.0f);
  auto no_pad = run_ref(pool_case("PoolAvg2d", 3, 2, {1, 0, 1, 0}, true, 0), {iota(25)});
  ASSERT_EQ(no_pad.size(), 9u);
  EXPECT_FLOAT_EQ(no_pad[0], 3.0f);
  EXPECT_FLOAT_EQ(no_pad[2], 6.0f);
  EXPECT_FLOAT_EQ(no_pad[8], 21.0f);
  auto mx = run_ref(pool_case("PoolMax2d", 3, 2, {1, 0, 1, 0}, true), {iota(25)});
  EXPECT_EQ(mx, (std::vector<float>{6, 8, 9, 16, 18, 19, 21, 23, 24}));
}

// 3-D pools over a 1x1x7 row x[i] = i with dilation 3, kernel 2, stride 3, pad 1 before,
// ceil mode: (7 + 1 - 4) / 3 rounds up to 3 windows, taps (-1, 2), (2, 5), (5, 8): the
// first's tap -1 is padding, the last's tap 8 overhangs. count_pad_for_edges divides by
// the full 2-tap filter either way.
TEST(RefPool, ThreeDDilatedWindowsSkipPaddingAndOverhang) {
  auto pool = [](const char* op, int64_t count_pad) {
    OpCase c{op, {{{1, 1, 1, 7, 1}}}, {}};
    c.params.set("filter_size", std::vector<int64_t>{1, 1, 2});
    c.params.set("stride", std::vector<int64_t>{1, 1, 3});
    c.params.set("dilation", std::vector<int64_t>{1, 1, 3});
    c.params.set("pad_amount", std::vector<int64_t>{0, 0, 0, 0, 1, 0});
    c.params.set("rounding_mode", int64_t{1});
    if (count_pad >= 0) c.params.set("count_pad_for_edges", count_pad);
    return run_ref(c, {iota(7)});
  };
  EXPECT_EQ(pool("PoolMax3d", -1), (std::vector<float>{2, 5, 5}));
  EXPECT_EQ(pool("PoolAvg3d", 0), (std::vector<float>{2, 3.5f, 5}));
  EXPECT_EQ(pool("PoolAvg3d", 1), (std::vector<float>{1, 3.5f, 2.5f}));
}

// RoiAlign on the 2x2 image [[0, 1], [2, 3]] (NHWC, one channel) with one box and int32
// batch indices (the shared helpers feed float32 only, so the graph is built here).
Expected<std::vector<float>> run_roi_align(const std::string& mode, int64_t aligned,
                                           std::vector<float> box, int32_t batch) {
  ir::Graph g;
  ir::TensorId x =
      g.add_tensor({"x", ir::DataType::kFloat32, {1, 2, 2, 1}, ir::TensorKind::kInput, {}, {}});
  ir::TensorId r =
      g.add_tensor({"rois", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kInput, {}, {}});
  ir::TensorId b =
      g.add_tensor({"batch", ir::DataType::kInt32, {1}, ir::TensorKind::kInput, {}, {}});
  ir::TensorId y = g.add_tensor({"y", ir::DataType::kFloat32, {}, ir::TensorKind::kOutput, {}, {}});
  ir::Params p;
  p.set("output_height", int64_t{1});
  p.set("output_width", int64_t{1});
  p.set("sampling_ratio", int64_t{1});
  p.set("aligned", aligned);
  p.set("mode", mode);
  g.nodes.push_back(ir::Node{"node", "RoiAlign", {x, r, b}, {y}, std::move(p)});
  OQNN_RETURN_IF_ERROR(ir::infer_shapes(g));
  OQNN_ASSIGN_OR_RETURN(auto k, make_ref_kernel(g, g.nodes[0]));
  std::vector<float> xd{0, 1, 2, 3}, yd(1, NAN);
  auto bytes = [](auto& v) { return reinterpret_cast<std::byte*>(v.data()); };
  std::vector<rt::HostTensor> in{{&g.tensor(x), bytes(xd), 16},
                                 {&g.tensor(r), bytes(box), 16},
                                 {&g.tensor(b), reinterpret_cast<std::byte*>(&batch), 4}};
  std::vector<rt::HostTensor> out{{&g.tensor(y), bytes(yd), 4}};
  rt::ThreadPool pool(1);
  rt::KernelContext ctx{&pool};
  OQNN_RETURN_IF_ERROR(k->run(in, out, ctx));
  return yd;
}

// Box (0, 0)-(1, 1), one sample per bin at its centre. Not aligned: the centre (0.5, 0.5)
// reads all four pixels at weight 1/4: avg 1.5; max the largest weighted pixel, 3/4.
// Aligned: the box moves to (-0.5, -0.5)-(0.5, 0.5), the centre is pixel (0, 0). A box of
// width 0 is widened to 1 when not aligned. A batch index past N is bad input.
TEST(RefRoiAlign, SamplesBilinearlyAtBinCentres) {
  auto v = [](const std::string& mode, int64_t aligned, std::vector<float> box) {
    auto y = run_roi_align(mode, aligned, std::move(box), 0);
    EXPECT_TRUE(y.has_value()) << y.error().message;
    return y ? (*y)[0] : NAN;
  };
  EXPECT_FLOAT_EQ(v("avg", 0, {0, 0, 1, 1}), 1.5f);
  EXPECT_FLOAT_EQ(v("max", 0, {0, 0, 1, 1}), 0.75f);
  EXPECT_FLOAT_EQ(v("avg", 1, {0, 0, 1, 1}), 0.0f);
  EXPECT_FLOAT_EQ(v("avg", 0, {0, 0, 0, 1}), 1.5f);
  auto bad = run_roi_align("avg", 0, {0, 0, 1, 1}, 1);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, ErrorCode::kBadInput);
  EXPECT_NE(bad.error().message.find("'node'"), std::string::npos) << bad.error().message;
}

// [[1,2,3],[4,5,6]] padded by 1 row before and 2 columns before, 1 after.
TEST(RefPad, ConstantReflectEdge) {
  auto pad = [](const std::string& scheme) {
    OpCase c{"Pad", {{{2, 3}}}, {}};
    c.params.set("pad_amount", std::vector<int64_t>{1, 0, 2, 1});
    c.params.set("scheme", scheme);
    if (scheme == "constant") c.params.set("pad_constant_value", 9.0);
    return run_ref(c, {{1, 2, 3, 4, 5, 6}});
  };
  EXPECT_EQ(pad("constant"),
            (std::vector<float>{9, 9, 9, 9, 9, 9, 9, 9, 1, 2, 3, 9, 9, 9, 4, 5, 6, 9}));
  EXPECT_EQ(pad("reflect"),
            (std::vector<float>{6, 5, 4, 5, 6, 5, 3, 2, 1, 2, 3, 2, 6, 5, 4, 5, 6, 5}));
  EXPECT_EQ(pad("edge"),
            (std::vector<float>{1, 1, 1, 2, 3, 3, 1, 1, 1, 2, 3, 3, 4, 4, 4, 5, 6, 6}));
}

TEST(RefNorm, SoftmaxAlongEachAxisWithBeta) {
  const ir::Shape shape{3, 4, 5};
  auto x = random_floats(60, 11, -4.0f, 4.0f);
  for (int64_t axis = 0; axis < 3; ++axis)
    for (double beta : {1.0, 0.5}) {
      SCOPED_TRACE("axis " + std::to_string(axis) + " beta " + std::to_string(beta));
      OpCase c{"Softmax", {{shape}}, {}};
      c.params.set("axis", axis);
      c.params.set("beta", beta);
      auto got = run_ref(c, {x});
      for (int64_t i = 0; i < 60; ++i) {
        auto ci = coords(i, shape);
        double denom = 0.0;
        for (int64_t a = 0; a < shape[axis]; ++a) {
          auto cj = ci;
          cj[axis] = a;
          denom += std::exp(beta * x[(cj[0] * 4 + cj[1]) * 5 + cj[2]]);
        }
        EXPECT_NEAR(got[i], std::exp(beta * x[i]) / denom, 1e-6);
      }
    }
  // Large logits: the maximum is subtracted first, so nothing overflows.
  OpCase big{"Softmax", {{{1, 2}}}, {}};
  auto y = run_ref(big, {{1000.0f, 1001.0f}});
  EXPECT_NEAR(y[0], 1.0 / (1.0 + std::exp(1.0)), 1e-6);
  EXPECT_NEAR(y[1], 1.0 / (1.0 + std::exp(-1.0)), 1e-6);
}

TEST(RefNorm, ReduceMeanAndBatchnorm) {
  auto mean = [](std::vector<int64_t> axes, int64_t keep) {
    OpCase c{"ReduceMean", {{{2, 3}}}, {}};
    c.params.set("axes", axes);
    c.params.set("keep_dims", keep);
    return run_ref(c, {{1, 2, 3, 4, 5, 6}});
  };
  EXPECT_EQ(mean({1}, 0), (std::vector<float>{2, 5}));
  EXPECT_EQ(mean({0}, 1), (std::vector<float>{2.5f, 3.5f, 4.5f}));
  EXPECT_EQ(mean({0, 1}, 1), (std::vector<float>{3.5f}));
  OpCase bn{"Batchnorm", {{{2, 2}}, {{2}, true}, {{2}, true}}, {}};
  EXPECT_EQ(run_ref(bn, {{1, 2, 3, 4}, {2, -1}, {0.5f, 10}}),
            (std::vector<float>{2.5f, 8, 6.5f, 6}));
}

TEST(RefLayout, TransposeAndConcat) {
  const ir::Shape in{2, 3, 4};
  OpCase t{"Transpose", {{in}}, {}};
  t.params.set("perm", std::vector<int64_t>{2, 0, 1});
  auto got = run_ref(t, {iota(24)});
  const ir::Shape out{4, 2, 3};
  for (int64_t i = 0; i < 24; ++i) {
    auto c = coords(i, out);  // out[c0, c1, c2] = in[c1, c2, c0]
    EXPECT_EQ(got[i], static_cast<float>((c[1] * 3 + c[2]) * 4 + c[0]));
  }
  OpCase cat{"Concat", {{{2, 1, 2}}, {{2, 2, 2}}}, {}};
  cat.params.set("axis", int64_t{1});
  EXPECT_EQ(run_ref(cat, {{1, 2, 3, 4}, iota(8, 10)}),
            (std::vector<float>{1, 2, 10, 11, 12, 13, 3, 4, 14, 15, 16, 17}));
  OpCase reshape{"Reshape", {{{2, 3}}}, {}};
  reshape.params.set("shape", std::vector<int64_t>{3, 2});
  EXPECT_EQ(run_ref(reshape, {iota(6)}), iota(6));
}

TEST(RefLinear, MatMulTransposesAndBroadcastBatch) {
  for (int ta = 0; ta < 2; ++ta)
    for (int tb = 0; tb < 2; ++tb) {
      SCOPED_TRACE("transpose_in0 " + std::to_string(ta) + " transpose_in1 " + std::to_string(tb));
      const int64_t m = 3, k = 4, n = 5;
      ir::Shape a{2, 1, ta ? k : m, ta ? m : k}, b{3, tb ? n : k, tb ? k : n};
      OpCase c{"MatMul", {{a}, {b}}, {}};
      c.params.set("transpose_in0", int64_t{ta});
      c.params.set("transpose_in1", int64_t{tb});
      auto av = random_floats(24, 21), bv = random_floats(60, 22);
      auto got = run_ref(c, {av, bv});
      ASSERT_EQ(got.size(), static_cast<size_t>(2 * 3 * m * n));
      for (int64_t i0 = 0; i0 < 2; ++i0)
        for (int64_t i1 = 0; i1 < 3; ++i1)
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
              double want = 0.0;
              for (int64_t p = 0; p < k; ++p) {
                float x = av[i0 * m * k + (ta ? p * m + i : i * k + p)];
                float y = bv[i1 * k * n + (tb ? j * k + p : p * n + j)];
                want += static_cast<double>(x) * y;
              }
              EXPECT_NEAR(got[((i0 * 3 + i1) * m + i) * n + j], want, 1e-5);
            }
    }
}

TEST(RefActivation, PointValues) {
  auto unary = [](const std::string& op, std::vector<float> x, ir::Params p = {}) {
    OpCase c{op, {{{static_cast<int64_t>(x.size())}}}, p};
    return run_ref(c, {x});
  };
  EXPECT_EQ(unary("Relu", {-2, 0, 3}), (std::vector<float>{0, 0, 3}));
  ir::Params clip;
  clip.set("min_value", -1.0);
  clip.set("max_value", 6.0);
  EXPECT_EQ(unary("ReluMinMax", {-2, 0.5f, 7}, clip), (std::vector<float>{-1, 0.5f, 6}));
  auto sig = unary("Sigmoid", {0, 2});
  EXPECT_FLOAT_EQ(sig[0], 0.5f);
  EXPECT_FLOAT_EQ(sig[1], static_cast<float>(1.0 / (1.0 + std::exp(-2.0))));
  auto hs = unary("HardSwish", {-3, 1, 3});
  EXPECT_FLOAT_EQ(hs[0], 0.0f);
  EXPECT_FLOAT_EQ(hs[1], 1.0f * (1.0f / 6.0f + 0.5f));
  EXPECT_FLOAT_EQ(hs[2], 3.0f);
  ir::Params hsig;
  hsig.set("operation", std::string("hard_sigmoid"));
  auto hsd = unary("ElementWiseNeuron", {-5, 1, 5}, hsig);
  EXPECT_FLOAT_EQ(hsd[0], 0.0f);
  EXPECT_FLOAT_EQ(hsd[1], 0.7f);
  EXPECT_FLOAT_EQ(hsd[2], 1.0f);
}

TEST(KernelFactory, EveryOpOfTheOpTableHasAKernel) {
  for (const ir::OpDef& def : ir::all_ops()) {
    ir::Graph g;
    ir::Node n{"probe", def.name, {}, {}, {}};
    // No inputs: the node is rejected by the checks, not for want of a kernel.
    auto k = make_ref_kernel(g, n);
    ASSERT_FALSE(k.has_value());
    EXPECT_EQ(k.error().message.find("no cpu kernel"), std::string::npos) << def.name;
    auto f = make_kernel(g, n);
    ASSERT_FALSE(f.has_value());
    EXPECT_EQ(f.error().message.find("no cpu kernel"), std::string::npos) << def.name;
  }
  ir::Graph g;
  auto k = make_kernel(g, ir::Node{"mystery", "NoSuchOp", {}, {}, {}});
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, ErrorCode::kUnsupported);
}

TEST(KernelFactory, ErrorsNameTheNode) {
  OpCase conv{"Conv2d", {{{1, 4, 4, 2}}, {{3, 3, 2, 2}, true}}, {}};
  conv.params.set("fused_activation", std::string("tanh"));
  auto og = build_random_op_graph(conv, 1);
  ASSERT_TRUE(og.has_value());
  for (auto factory : {make_kernel, make_ref_kernel}) {
    auto k = factory(og->graph, og->graph.nodes[0]);
    ASSERT_FALSE(k.has_value());
    EXPECT_EQ(k.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(k.error().message.find("'node'"), std::string::npos) << k.error().message;
    EXPECT_NE(k.error().message.find("tanh"), std::string::npos);
  }
  // A non-float32 static tensor is unsupported and named.
  og->graph.nodes[0].params.erase("fused_activation");
  og->graph.tensor(og->graph.nodes[0].inputs[1]).dtype = ir::DataType::kInt32;
  auto k = make_kernel(og->graph, og->graph.nodes[0]);
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(k.error().message.find("in1"), std::string::npos) << k.error().message;
  // A declared output shape that contradicts the shape rule is bad input, not a crash.
  og->graph.tensor(og->graph.nodes[0].inputs[1]).dtype = ir::DataType::kFloat32;
  og->graph.tensor(og->graph.nodes[0].outputs[0]).shape = {1, 9, 9, 2};
  k = make_kernel(og->graph, og->graph.nodes[0]);
  ASSERT_FALSE(k.has_value());
  EXPECT_EQ(k.error().code, ErrorCode::kBadInput);
}

}  // namespace
}  // namespace oqnn::cpu::testing
