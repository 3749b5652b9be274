// The element-wise fast kernels (fast/eltwise.h) against the reference kernels: one table
// of ops, shapes and broadcasts run on every EltwiseIsa table this CPU has, with 1 and 3
// threads (byte-identical), the tables bit-identical to each other; exact ops equal to the
// reference, the transcendental ones within 1e-5 relative; and the worst error of each
// unary op over a sweep of float32 bit patterns (subnormals, infinities and NaN included).
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <random>

#include "backends/cpu/fast/fast_kernels.h"
#include "backends/cpu/kernels.h"
#include "op_test_util.h"

namespace oqnn::cpu::testing {
namespace {

using FastMaker = Expected<KernelPtr> (*)(const ir::Graph&, const ir::Node&,
                                          const fast::EltwiseIsa&);

// The transpose is a byte mover without ISA tables.
Expected<KernelPtr> transpose_on(const ir::Graph& g, const ir::Node& n, const fast::EltwiseIsa&) {
  return fast::make_transpose(g, n);
}

struct EltCase {
  OpCase c;
  FastMaker make;
  bool exact;  // the same float operations as the reference: equal bits
  // Inputs and output int32 (random values over the whole range) or, for the byte movers,
  // int8 / int16 (random bytes).
  ir::DataType dtype = ir::DataType::kFloat32;
  float lo = -6.0f, hi = 6.0f;
};

std::string describe(const OpCase& c) {
  std::string s = c.op;
  for (const OpInput& in : c.inputs) s += " " + ir::shape_str(in.shape);
  return s;
}

OpCase unary_case(const std::string& op, ir::Shape shape) {
  OpCase c{op, {{std::move(shape), false}}, {}};
  if (op == "ReluMinMax") {
    c.params.set("min_value", -0.5);
    c.params.set("max_value", 3.0);
  }
  if (op == "ElementWiseNeuron") {
    c.params.set("operation", std::string("hard_sigmoid"));
    c.params.set("alpha", 0.3);
    c.params.set("beta", 0.4);
  }
  return c;
}

bool is_exact_unary(const std::string& op) {
  return op != "Sigmoid" && op != "Tanh" && op != "ElementWiseExp";
}

const std::vector<std::string> kUnaryOps = {
    "Relu", "ReluMinMax", "Sigmoid", "Tanh", "ElementWiseExp", "HardSwish", "ElementWiseNeuron"};

// Broadcast pairs: same shape, scalars on either side, squeeze-excite, bias, a broadcast
// inner dimension, leading broadcasts, and odd sizes around the vector width and the
// kernels' work block (4096).
const std::vector<std::pair<ir::Shape, ir::Shape>> kBinaryShapes = {
    {{17}, {17}},
    {{4099}, {4099}},
    {{2, 9, 7, 33}, {2, 9, 7, 33}},
    {{1, 13, 11, 40}, {1}},
    {{1}, {3, 5, 37}},
    {{2, 7, 5, 48}, {2, 1, 1, 48}},
    {{1, 1, 1, 24}, {1, 12, 12, 24}},
    {{3, 10, 19}, {19}},
    {{2, 5, 6, 1}, {2, 5, 6, 20}},
    {{4, 1, 70}, {1, 3, 70}},
    {{1, 64, 65}, {1, 1, 65}},
    {{2, 3, 4}, {2, 3, 4}},  // inner 24 after merging
    {{5, 3}, {5, 1}},        // too short for the fast path: the reference runs
    {{3, 130, 130}, {130}},  // these two split among threads
    {{100003}, {1}},
};

std::vector<EltCase> eltwise_table() {
  std::vector<EltCase> t;
  for (const std::string& op : kUnaryOps)
    for (ir::Shape s : {ir::Shape{1}, ir::Shape{15}, ir::Shape{16}, ir::Shape{33},
                        ir::Shape{1, 5, 7, 19}, ir::Shape{2, 23, 29, 24}, ir::Shape{9000},
                        ir::Shape{70001}})  // the last one large enough to split among threads
      t.push_back({unary_case(op, s), fast::make_unary, is_exact_unary(op)});
  for (const char* op : {"ElementWiseAdd", "ElementWiseSubtract", "ElementWiseMultiply",
                         "ElementWiseDivide", "ElementWiseMaximum", "ElementWiseMinimum"})
    for (const auto& [a, b] : kBinaryShapes) {
      OpCase c{op, {{a, false}, {b, false}}, {}};
      t.push_back({c, fast::make_binary, true});
      if (std::string(op) != "ElementWiseDivide")
        t.push_back({c, fast::make_binary, true, ir::DataType::kInt32});
    }
  // Prelu: the slope broadcast to the input (per channel or one value).
  for (ir::Shape slope : {ir::Shape{32}, ir::Shape{1}, ir::Shape{1, 6, 1, 32}})
    t.push_back({{"Prelu", {{{2, 6, 5, 32}, false}, {slope, true}}, {}}, fast::make_binary, true});
  // Softmax over the last axis (other axes run the reference), LayerNorm / RmsNorm over
  // trailing axes with and without gamma / beta.
  for (ir::Shape s : {ir::Shape{1, 1}, ir::Shape{3, 15}, ir::Shape{2, 4, 197}, ir::Shape{7, 4096},
                      ir::Shape{5, 33, 1}, ir::Shape{64, 1000}}) {
    OpCase c{"Softmax", {{s, false}}, {}};
    t.push_back({c, fast::make_softmax, false, ir::DataType::kFloat32, -20.0f, 20.0f});
    c.params.set("beta", 0.7);
    t.push_back({c, fast::make_softmax, false});
    c.params.set("axis", int64_t{0});
    t.push_back({c, fast::make_softmax, true});  // the reference itself
  }
  for (const char* op : {"LayerNorm", "RmsNorm"})
    for (ir::Shape s : {ir::Shape{2, 9, 31}, ir::Shape{1, 197, 768}, ir::Shape{4, 1, 7},
                        ir::Shape{3, 5, 6, 10}}) {
      const auto rank = static_cast<int64_t>(s.size());
      OpCase c{op, {{s, false}}, {}};
      c.params.set("axes", std::vector<int64_t>{rank - 1});
      c.params.set("epsilon", 1e-5);
      t.push_back({c, fast::make_layer_norm, false});
      c.inputs.push_back({{s.back()}, true});
      c.inputs.push_back({{s.back()}, true});
      t.push_back({c, fast::make_layer_norm, false});
      if (rank >= 3) {  // the last two axes, gamma and beta over both
        c.params.set("axes", std::vector<int64_t>{rank - 2, rank - 1});
        c.inputs[1].shape = c.inputs[2].shape = {s[s.size() - 2], s.back()};
        t.push_back({c, fast::make_layer_norm, false});
      }
    }
  // PoolMax2d / PoolAvg2d: global, strided with padding, ceil mode, count_pad_for_edges.
  struct PoolSpec {
    ir::Shape x;
    int64_t k, s, pad, rounding, count_pad;
  };
  for (const PoolSpec& ps : std::vector<PoolSpec>{{{1, 7, 7, 1280}, 7, 1, 0, 0, 0},
                                                  {{2, 14, 13, 40}, 3, 2, 1, 0, 0},
                                                  {{1, 9, 10, 17}, 3, 2, 1, 1, 1},
                                                  {{1, 112, 112, 64}, 3, 2, 1, 0, 0},
                                                  {{3, 5, 5, 3}, 2, 1, 0, 1, 0}})
    for (const char* op : {"PoolMax2d", "PoolAvg2d"}) {
      OpCase c{op, {{ps.x, false}}, {}};
      c.params.set("filter_size", std::vector<int64_t>{ps.k, ps.k});
      c.params.set("stride", std::vector<int64_t>{ps.s, ps.s});
      c.params.set("pad_amount", std::vector<int64_t>{ps.pad, ps.pad, ps.pad, ps.pad});
      c.params.set("rounding_mode", ps.rounding);
      if (std::string(op) == "PoolAvg2d") c.params.set("count_pad_for_edges", ps.count_pad);
      t.push_back({c,
                   std::string(op) == "PoolMax2d" ? FastMaker{fast::make_pool_max2d}
                                                  : FastMaker{fast::make_pool_avg2d},
                   true});
    }
  // Transpose: the 4-D layout perms, higher ranks, size-1 dims, odd sizes.
  for (auto [shape, perm] :
       std::vector<std::pair<ir::Shape, std::vector<int64_t>>>{{{1, 3, 17, 19}, {0, 2, 3, 1}},
                                                               {{2, 13, 11, 40}, {0, 3, 1, 2}},
                                                               {{1, 197, 12, 64}, {0, 2, 1, 3}},
                                                               {{1, 12, 197, 64}, {0, 1, 3, 2}},
                                                               {{33, 17}, {1, 0}},
                                                               {{2, 3, 1, 5, 7}, {4, 2, 0, 3, 1}},
                                                               {{1, 1, 1}, {2, 0, 1}},
                                                               {{4, 1, 6}, {2, 1, 0}},
                                                               {{3, 4, 5}, {0, 1, 2}}}) {
    OpCase c{"Transpose", {{shape, false}}, {}};
    c.params.set("perm", perm);
    for (ir::DataType dt : {ir::DataType::kFloat32, ir::DataType::kInt8, ir::DataType::kInt16})
      t.push_back({c, transpose_on, true, dt});
  }
  return t;
}

// Random data in [lo, hi] (float; exact ops also get NaN, infinities and signed zeros), over the
// whole int32 range with some small values, or random bytes (the narrower types read the first
// bytes of the float data).
Expected<OpGraph> build_case(const EltCase& e, uint32_t seed) {
  std::vector<std::vector<float>> data;
  std::mt19937 rng(seed);
  for (const OpInput& in : e.c.inputs) {
    const size_t count = static_cast<size_t>(ir::num_elements(in.shape));
    std::vector<float> v = random_floats(count, rng(), e.lo, e.hi);
    if (e.dtype == ir::DataType::kInt32)
      for (float& x : v) {
        int32_t i = static_cast<int32_t>(rng());
        if (rng() % 2) i %= 100;
        std::memcpy(&x, &i, sizeof i);
      }
    if (e.exact && e.dtype == ir::DataType::kFloat32) {  // NaN, infinities, signed zeros
      const float specials[] = {NAN, INFINITY, -INFINITY, -0.0f, 0.0f};
      for (size_t k = 0; k < count; k += 97) v[k] = specials[(k / 97) % 5];
    }
    data.push_back(std::move(v));
  }
  auto og = build_op_graph(e.c, std::move(data));
  if (og)
    for (ir::Tensor& t : og->graph.tensors) t.dtype = e.dtype;
  return og;
}

// Equal bits, or both NaN.
::testing::AssertionResult same_values(const std::vector<float>& got,
                                       const std::vector<float>& want) {
  if (got.size() != want.size()) return ::testing::AssertionFailure() << "sizes differ";
  for (size_t i = 0; i < got.size(); ++i) {
    if (std::isnan(got[i]) && std::isnan(want[i])) continue;
    if (std::memcmp(&got[i], &want[i], sizeof(float)) != 0)
      return ::testing::AssertionFailure()
             << "at [" << i << "]: got " << got[i] << ", want " << want[i];
  }
  return ::testing::AssertionSuccess();
}

TEST(FastEltwise, EveryKernelEveryIsaMatchesReference) {
  uint32_t seed = 7000;
  for (const EltCase& e : eltwise_table()) {
    SCOPED_TRACE(describe(e.c) + " " + std::string(ir::dtype_name(e.dtype)));
    auto og = build_case(e, seed++);
    ASSERT_TRUE(og.has_value()) << og.error().message;
    auto want = run_op(make_ref_kernel, *og, 1);
    ASSERT_TRUE(want.has_value()) << want.error().message;
    std::vector<float> first;
    for (const fast::EltwiseIsa& isa : fast::eltwise_isas()) {
      SCOPED_TRACE(isa.name);
      auto k = e.make(og->graph, og->graph.nodes[0], isa);
      ASSERT_TRUE(k.has_value()) << k.error().message;
      auto one = run_kernel(**k, *og, 1);
      auto three = run_kernel(**k, *og, 3);
      ASSERT_TRUE(one.has_value() && three.has_value());
      const std::vector<float>& got = (*one)[0];
      EXPECT_EQ(std::memcmp(got.data(), (*three)[0].data(), got.size() * sizeof(float)), 0)
          << "1 vs 3 threads";
      if (e.exact)
        EXPECT_TRUE(same_values(got, (*want)[0]));
      else
        EXPECT_TRUE(all_close(got, (*want)[0], 1e-5));
      if (first.empty())
        first = got;
      else
        EXPECT_EQ(std::memcmp(got.data(), first.data(), got.size() * sizeof(float)), 0)
            << "differs from " << fast::eltwise_isas().front().name;
    }
  }
}

// Every 4093rd bit pattern (both signs, subnormals, infinities, NaNs), the specials, and
// [-110, 110] in steps of 1/256.
std::vector<float> float_sweep() {
  std::vector<float> v = {0.0f,          -0.0f,     INFINITY, -INFINITY, NAN,
                          FLT_MAX,       -FLT_MAX,  FLT_MIN,  -FLT_MIN,  FLT_TRUE_MIN,
                          -FLT_TRUE_MIN, 88.72283f, 88.7229f, -87.3f,    -103.9f,
                          -104.0f,       0.625f,    -0.625f,  9.0f,      -9.0f};
  for (uint64_t bits = 0; bits < (uint64_t{1} << 32); bits += 4093) {
    float x;
    const auto b = static_cast<uint32_t>(bits);
    std::memcpy(&x, &b, sizeof x);
    v.push_back(x);
  }
  for (int i = -110 * 256; i <= 110 * 256; ++i) v.push_back(static_cast<float>(i) / 256.0f);
  return v;
}

// The worst relative error where the reference is a normal float, and the worst absolute
// error (in units of the smallest subnormal) where it is subnormal or zero.
struct SweepError {
  double rel = 0.0, subnormal_ulps = 0.0;
  size_t mismatched_specials = 0;  // NaN / infinity / exactness disagreements
};

SweepError sweep_error(const std::vector<float>& got, const std::vector<float>& want) {
  SweepError e;
  for (size_t i = 0; i < got.size(); ++i) {
    const float g = got[i], w = want[i];
    if (std::isnan(w) || std::isnan(g) || std::isinf(w) || std::isinf(g)) {
      if (!(g == w || (std::isnan(g) && std::isnan(w)))) ++e.mismatched_specials;
      continue;
    }
    const double err = std::fabs(static_cast<double>(g) - w);
    if (std::fabs(w) >= FLT_MIN)
      e.rel = std::max(e.rel, err / std::fabs(w));
    else
      e.subnormal_ulps = std::max(e.subnormal_ulps, err / FLT_TRUE_MIN);
  }
  return e;
}

TEST(FastEltwise, UnaryWorstErrorOverFloatSweep) {
  const std::vector<float> xs = float_sweep();
  const ir::Shape shape{static_cast<int64_t>(xs.size())};
  for (const std::string& op : kUnaryOps) {
    SCOPED_TRACE(op);
    auto og = build_op_graph(unary_case(op, shape), {xs});
    ASSERT_TRUE(og.has_value()) << og.error().message;
    auto want = run_op(make_ref_kernel, *og, 1);
    ASSERT_TRUE(want.has_value());
    for (const fast::EltwiseIsa& isa : fast::eltwise_isas()) {
      SCOPED_TRACE(isa.name);
      auto k = fast::make_unary(og->graph, og->graph.nodes[0], isa);
      ASSERT_TRUE(k.has_value());
      auto got = run_kernel(**k, *og, 2);
      ASSERT_TRUE(got.has_value());
      if (is_exact_unary(op)) {
        EXPECT_TRUE(same_values((*got)[0], (*want)[0]));
        continue;
      }
      const SweepError e = sweep_error((*got)[0], (*want)[0]);
      RecordProperty(op + "_" + isa.name + "_max_rel", std::to_string(e.rel));
      std::printf("%-16s %-22s max rel %.3g, subnormal %.0f ulp\n", op.c_str(), isa.name, e.rel,
                  e.subnormal_ulps);
      EXPECT_EQ(e.mismatched_specials, 0u);
      EXPECT_LE(e.rel, 1e-5);
      EXPECT_LE(e.subnormal_ulps, 1.0);
    }
  }
}

// A malformed attribute is the reference's error, naming the node.
TEST(FastEltwise, MalformedAttributeIsTheReferenceError) {
  OpCase c = unary_case("ReluMinMax", {4, 4});
  c.params.set("min_value", 2.0);
  c.params.set("max_value", 1.0);
  auto og = build_op_graph(c, {std::vector<float>(16, 0.0f)});
  ASSERT_TRUE(og.has_value());
  auto k = fast::make_unary(og->graph, og->graph.nodes[0]);
  ASSERT_FALSE(k.has_value());
  EXPECT_NE(k.error().message.find("node"), std::string::npos) << k.error().message;
}

}  // namespace
}  // namespace oqnn::cpu::testing
