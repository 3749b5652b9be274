// The fast kernels of everything that is not a GEMM (element-wise arithmetic, lookup
// tables, pools, data movement) against the reference kernels, byte for byte: a table of
// small graphs with random shapes, broadcasts and encodings, 8- and 16-bit, each run at
// every ISA level the machine has (OQNN_HTP_ISA) and several thread counts.
#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <functional>
#include <optional>

#include "backends/htp/fast/isa.h"
#include "htp_test_util.h"

namespace oqnn::htp::test {
namespace {

ir::Encoding enc(int bits, double lo, double hi) {
  return bits == 8 ? u8(lo, hi) : u16(lo, hi);
}

struct MiscCase {
  const char* name;
  std::function<ir::Graph()> build;
};

// a (op) b -> y, with the given encodings of a, b and y.
MiscCase binary(const char* name, const char* op, ir::Shape a, ir::Shape b, int bits,
                std::array<double, 6> ranges) {
  return {name, [=] {
            GraphBuilder g;
            ir::TensorId x = g.input("a", a, enc(bits, ranges[0], ranges[1]));
            ir::TensorId w = g.input("b", b, enc(bits, ranges[2], ranges[3]));
            g.node(op, {x, w}, enc(bits, ranges[4], ranges[5]));
            return g.g;
          }};
}

// MatMul a x b (b static when `weight`), encodings calibrated like the converter.
MiscCase matmul(const char* name, ir::Shape a, ir::Shape b, int bits, bool ta, bool tb,
                bool weight = false) {
  return {name, [=] {
            GraphBuilder g;
            ir::TensorId x = g.input("a", a, enc(bits, -1, 1));
            ir::TensorId w =
                weight ? g.constant("b", b,
                                    random_floats(static_cast<size_t>(ir::num_elements(b)), -0.5f,
                                                  0.5f, 17),
                                    std::nullopt)
                       : g.input("b", b, enc(bits, -2, 1));
            ir::Params p;
            p.set("transpose_in0", int64_t{ta});
            p.set("transpose_in1", int64_t{tb});
            g.node("MatMul", {x, w}, std::nullopt, p);
            calibrate(g.g, bits, 7, 1);
            return g.g;
          }};
}

// op(x) -> y with the given parameters; y_range empty: calibrated like the converter.
MiscCase unary(const char* name, const char* op, ir::Shape x, int bits, std::array<double, 2> xr,
               std::optional<std::array<double, 2>> yr, ir::Params p = {}) {
  return {name, [=] {
            GraphBuilder g;
            ir::TensorId t = g.input("x", x, enc(bits, xr[0], xr[1]));
            std::optional<ir::Encoding> ye;
            if (yr) ye = enc(bits, (*yr)[0], (*yr)[1]);
            g.node(op, {t}, ye, p);
            if (!yr) calibrate(g.g, bits, 5, 1);
            return g.g;
          }};
}

// count_pad < 0: a max pool (no count_pad_for_edges).
ir::Params pool(std::vector<int64_t> k, std::vector<int64_t> stride, std::vector<int64_t> pad,
                int64_t count_pad = -1, std::vector<int64_t> dil = {}) {
  ir::Params p;
  p.set("filter_size", k);
  p.set("stride", stride);
  p.set("pad_amount", pad);
  if (count_pad >= 0) p.set("count_pad_for_edges", count_pad);
  if (!dil.empty()) p.set("dilation", dil);
  return p;
}

ir::Params ints(const char* key, std::vector<int64_t> v) {
  ir::Params p;
  p.set(key, v);
  return p;
}

ir::Params one(const char* key, int64_t v, const char* key2 = nullptr, int64_t v2 = 0) {
  ir::Params p;
  p.set(key, v);
  if (key2) p.set(key2, v2);
  return p;
}

MiscCase concat(const char* name, std::vector<ir::Shape> xs, int64_t axis, int bits, bool same) {
  return {name, [=] {
            GraphBuilder g;
            std::vector<ir::TensorId> in;
            for (size_t k = 0; k < xs.size(); ++k)
              in.push_back(g.input("x" + std::to_string(k), xs[k],
                                   same ? enc(bits, -1, 1) : enc(bits, -1.0 - k, 1.0 + 0.5 * k)));
            g.node("Concat", in, enc(bits, -1.5, 2), one("axis", axis));
            return g.g;
          }};
}

MiscCase scalar_rhs(const char* name, const char* op, ir::Shape x, int bits, float v) {
  return {name, [=] {
            GraphBuilder g;
            ir::TensorId t = g.input("x", x, enc(bits, -2, 3));
            g.node(op, {t, g.constant("s", {1}, {v})}, std::nullopt);
            calibrate(g.g, bits, 6, 1);
            return g.g;
          }};
}

std::vector<MiscCase> cases() {
  ir::Params relu6;
  relu6.set("min_value", 0.0);
  relu6.set("max_value", 6.0);
  return {
      unary("relu_8", "Relu", {2, 7, 9, 13}, 8, {-3, 5}, std::array<double, 2>{0, 5}),
      unary("relu_8_large", "Relu", {1, 56, 56, 67}, 8, {-3, 5}, std::array<double, 2>{0, 5}),
      unary("relu_16", "Relu", {3, 1001}, 16, {-3, 5}, std::array<double, 2>{0, 5}),
      unary("relu_min_max", "ReluMinMax", {5, 77}, 8, {-8, 8}, std::nullopt, relu6),
      unary("sigmoid_8", "Sigmoid", {1, 14, 14, 111}, 8, {-8, 8}, std::nullopt),
      unary("sigmoid_16", "Sigmoid", {4, 333}, 16, {-8, 8}, std::nullopt),
      unary("hardswish_8", "HardSwish", {3, 65}, 8, {-5, 5}, std::nullopt),
      unary("tanh_8", "Tanh", {129}, 8, {-3, 3}, std::nullopt),
      unary("exp_16", "ElementWiseExp", {7, 9}, 16, {-3, 1}, std::array<double, 2>{0, 3}),
      scalar_rhs("prelu_scalar", "Prelu", {2, 5, 5, 7}, 8, 0.25f),
      scalar_rhs("divide_scalar", "ElementWiseDivide", {2, 5, 5, 7}, 8, 3.0f),
      unary("maxpool_3x3_s2", "PoolMax2d", {1, 17, 15, 24}, 8, {-1, 3},
            std::array<double, 2>{-1, 3}, pool({3, 3}, {2, 2}, {1, 1, 1, 1})),
      unary("maxpool_requant", "PoolMax2d", {2, 9, 9, 5}, 8, {-1, 3}, std::array<double, 2>{0, 2},
            pool({2, 3}, {1, 2}, {0, 1, 1, 0})),
      unary("maxpool_16", "PoolMax2d", {1, 8, 7, 9}, 16, {-1, 3}, std::array<double, 2>{-2, 3},
            pool({3, 3}, {2, 2}, {1, 1, 1, 1})),
      unary("avgpool_3x3", "PoolAvg2d", {2, 11, 10, 19}, 8, {-1, 3}, std::array<double, 2>{-1, 2},
            pool({3, 3}, {1, 1}, {1, 1, 1, 1}, 0)),
      unary("avgpool_count_pad", "PoolAvg2d", {1, 10, 9, 6}, 8, {-1, 3},
            std::array<double, 2>{-1, 2}, pool({3, 2}, {2, 2}, {1, 1, 0, 1}, 1)),
      unary("avgpool_global", "PoolAvg2d", {1, 7, 7, 200}, 8, {-1, 3}, std::array<double, 2>{0, 1},
            pool({7, 7}, {1, 1}, {0, 0, 0, 0}, 0)),
      unary("avgpool_global_16", "PoolAvg2d", {2, 5, 6, 33}, 16, {-1, 3},
            std::array<double, 2>{-1, 1}, pool({5, 6}, {1, 1}, {0, 0, 0, 0}, 0)),
      unary("avgpool_3d_dilated", "PoolAvg3d", {1, 5, 6, 7, 3}, 8, {-1, 3},
            std::array<double, 2>{-1, 2},
            pool({2, 2, 3}, {1, 2, 1}, {1, 0, 0, 1, 1, 1}, 0, {2, 1, 2})),
      unary("maxpool_3d", "PoolMax3d", {1, 4, 5, 6, 3}, 8, {-1, 3}, std::array<double, 2>{-1, 3},
            pool({2, 2, 2}, {2, 1, 2}, {0, 1, 1, 0, 0, 1})),
      unary("transpose_nchw_nhwc", "Transpose", {2, 13, 9, 11}, 8, {-1, 1},
            std::array<double, 2>{-1, 1}, ints("perm", {0, 2, 3, 1})),
      unary("transpose_nhwc_nchw", "Transpose", {1, 40, 37, 70}, 8, {-1, 1},
            std::array<double, 2>{-1, 1}, ints("perm", {0, 3, 1, 2})),
      unary("transpose_blocks_odd", "Transpose", {2, 35, 6, 7}, 8, {-1, 1},
            std::array<double, 2>{-1, 1}, ints("perm", {0, 2, 3, 1})),
      unary("transpose_blocks_large", "Transpose", {1, 64, 48, 48}, 8, {-1, 1},
            std::array<double, 2>{-1, 1}, ints("perm", {0, 2, 3, 1})),
      unary("transpose_rows", "Transpose", {3, 4, 5, 6}, 8, {-1, 1}, std::array<double, 2>{-1, 1},
            ints("perm", {1, 0, 2, 3})),
      unary("transpose_requant_16", "Transpose", {3, 4, 5, 6}, 16, {-1, 1},
            std::array<double, 2>{-2, 1}, ints("perm", {2, 0, 3, 1})),
      unary("transpose_identity", "Transpose", {3, 1, 5}, 8, {-1, 1}, std::array<double, 2>{-1, 1},
            ints("perm", {1, 0, 2})),
      unary("reshape_copy", "Reshape", {2, 3, 35}, 8, {-1, 1}, std::array<double, 2>{-1, 1},
            ints("shape", {6, 35})),
      unary("reshape_requant", "Reshape", {2, 3, 35}, 16, {-1, 1}, std::array<double, 2>{-3, 1},
            ints("shape", {6, 35})),
      unary("channel_shuffle", "ChannelShuffle", {1, 5, 6, 12}, 8, {-1, 1},
            std::array<double, 2>{-1, 1}, one("num_groups", 3, "axis", 3)),
      concat("concat_channels", {{1, 5, 6, 7}, {1, 5, 6, 9}, {1, 5, 6, 1}}, 3, 8, true),
      concat("concat_requant", {{2, 3, 4}, {2, 5, 4}}, 1, 8, false),
      concat("concat_16", {{3, 4}, {2, 4}}, 0, 16, false),

      binary("add_same", "ElementWiseAdd", {2, 5, 7, 19}, {2, 5, 7, 19}, 8, {-1, 1, -3, 2, -4, 3}),
      binary("add_nhwc_bcast", "ElementWiseAdd", {2, 5, 7, 19}, {2, 1, 1, 19}, 8,
             {-1, 1, -0.2, 0.1, -1, 1}),
      binary("add_bcast_first", "ElementWiseAdd", {1, 1, 1, 13}, {3, 4, 6, 13}, 8,
             {0, 5, -2, 2, -2, 7}),
      binary("add_scalar", "ElementWiseAdd", {3, 17}, {1}, 8, {-1, 1, 0.5, 2, 0, 3}),
      binary("add_middle_bcast", "ElementWiseAdd", {3, 1, 5}, {1, 4, 1}, 8, {-1, 1, -1, 1, -2, 2}),
      binary("add_16bit", "ElementWiseAdd", {4, 9, 11}, {4, 9, 11}, 16, {-1, 1, -5, 4, -6, 5}),
      binary("add_16bit_bcast", "ElementWiseAdd", {2, 3, 3, 21}, {2, 1, 1, 21}, 16,
             {-1, 1, -5, 4, -6, 5}),
      binary("add_relu_range", "ElementWiseAdd", {1, 28, 28, 64}, {1, 28, 28, 64}, 8,
             {-2, 6, -3, 3, 0, 8}),
      binary("sub_same", "ElementWiseSubtract", {6, 31}, {6, 31}, 8, {-1, 1, -3, 2, -4, 3}),
      binary("sub_scalar_first", "ElementWiseSubtract", {1}, {5, 23}, 8, {0, 1, -3, 2, -4, 3}),
      binary("sub_16bit", "ElementWiseSubtract", {2, 3, 3, 21}, {1, 3, 1, 21}, 16,
             {-1, 1, -5, 4, -6, 5}),
      binary("mul_same", "ElementWiseMultiply", {2, 5, 7, 19}, {2, 5, 7, 19}, 8,
             {-1, 1, -3, 2, -3, 2}),
      binary("mul_se_bcast", "ElementWiseMultiply", {1, 14, 14, 40}, {1, 1, 1, 40}, 8,
             {-0.3, 6, 0, 1, -0.3, 6}),
      binary("mul_scalar_first", "ElementWiseMultiply", {1}, {7, 9}, 8, {-2, 3, -1, 1, -4, 4}),
      binary("mul_16bit", "ElementWiseMultiply", {3, 33}, {3, 33}, 16, {-1, 1, -2, 2, -2, 2}),
      binary("mul_16bit_bcast", "ElementWiseMultiply", {2, 4, 4, 9}, {2, 1, 1, 9}, 16,
             {-1, 1, -2, 2, -2, 2}),
      // A zero point at the bottom of the 16-bit range: the product leaves int32 and the
      // reference kernel takes the node.
      binary("mul_16bit_wide", "ElementWiseMultiply", {3, 33}, {3, 33}, 16, {0, 1, 0, 2, 0, 2}),
      matmul("matmul_plain", {5, 7}, {7, 9}, 8, false, false),
      matmul("matmul_attention_qk", {2, 3, 17, 8}, {2, 3, 17, 8}, 8, false, true),
      matmul("matmul_attention_pv", {2, 3, 17, 17}, {2, 3, 17, 8}, 8, false, false),
      matmul("matmul_bcast_batch", {2, 3, 4, 5}, {1, 3, 5, 6}, 8, false, false),
      matmul("matmul_bcast_rank", {3, 5}, {4, 5, 65}, 8, false, false),
      matmul("matmul_ta", {2, 6, 3}, {2, 6, 11}, 8, true, false),
      matmul("matmul_ta_tb", {6, 1}, {33, 6}, 8, true, true),
      matmul("matmul_weight", {1, 49, 96}, {96, 37}, 8, false, false, true),
      matmul("matmul_weight_tb", {4, 65}, {3, 65}, 8, false, true, true),
      // 16-bit codes: sums that may leave int32 stay on the reference kernel.
      matmul("matmul_16bit", {2, 9, 5}, {2, 5, 4}, 16, false, false),
      matmul("matmul_16bit_weight", {7, 3}, {3, 5}, 16, false, false, true),
      binary("mul_large", "ElementWiseMultiply", {1, 56, 56, 48}, {1, 56, 56, 48}, 8,
             {-1, 5, 0, 1, -1, 5}),
      // Float inside (fast::make_float_inside): table dequantization, hoisted quantization.
      unary("log_softmax_8", "LogSoftmax", {3, 5, 17}, 8, {-4, 4}, std::nullopt),
      unary("log_softmax_16", "LogSoftmax", {2, 33}, 16, {-4, 4}, std::nullopt),
      unary("l2norm_8", "L2Norm", {2, 3, 19}, 8, {-2, 3}, std::nullopt),
      unary("reduce_max_8", "ReduceMax", {2, 7, 9, 5}, 8, {-2, 3}, std::nullopt,
            ints("axes", {1, 2})),
      unary("reduce_sum_16", "ReduceSum", {3, 11, 4}, 16, {-2, 3}, std::nullopt, ints("axes", {1})),
      unary("tile_8", "Tile", {2, 3, 5}, 8, {-1, 2}, std::array<double, 2>{-1, 2},
            ints("multiples", {2, 1, 3})),
      unary("tile_16", "Tile", {3, 7}, 16, {-1, 2}, std::array<double, 2>{-1, 2},
            ints("multiples", {1, 2})),
      binary("maximum_8", "ElementWiseMaximum", {2, 5, 7}, {2, 1, 7}, 8, {-1, 1, -3, 2, -3, 2}),
      binary("minimum_16", "ElementWiseMinimum", {4, 9}, {4, 9}, 16, {-1, 1, -3, 2, -3, 2}),
      binary("power_8", "ElementWisePower", {3, 13}, {3, 13}, 8, {0.1, 2, 0, 2, 0, 4}),
  };
}

// Every ISA level the machine runs, each through OQNN_HTP_ISA.
class IsaScope {
 public:
  explicit IsaScope(fast::SimdLevel isa) { setenv("OQNN_HTP_ISA", fast::level_name(isa), 1); }
  ~IsaScope() { unsetenv("OQNN_HTP_ISA"); }
};

class FastMiscVsRef : public ::testing::TestWithParam<MiscCase> {};

TEST_P(FastMiscVsRef, BitIdenticalAtEveryIsaAndThreadCount) {
  auto qg = finalize_graph(GetParam().build());
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  auto ref = make_plan(*qg, KernelVariant::kReference, 1);
  ASSERT_TRUE(ref.has_value()) << ref.error().message;
  const std::vector<Bytes> inputs = random_inputs(**ref, 91);
  auto want = run_plan(**ref, inputs);
  ASSERT_TRUE(want.has_value());
  for (fast::SimdLevel isa : fast::supported_levels()) {
    IsaScope scope(isa);
    for (int threads : {1, 2, 3}) {
      auto fast = make_plan(*qg, KernelVariant::kFast, threads);
      ASSERT_TRUE(fast.has_value()) << fast.error().message;
      auto got = run_plan(**fast, inputs);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      size_t first = 0;
      if (!got->empty() && !want->empty() && (*got)[0].size() == (*want)[0].size())
        while (first < (*got)[0].size() && (*got)[0][first] == (*want)[0][first]) ++first;
      EXPECT_TRUE(*got == *want) << fast::level_name(isa) << ", " << threads
                                 << " threads, first differing byte " << first;
    }
  }
}

void PrintTo(const MiscCase& c, std::ostream* os) {
  *os << c.name;
}

INSTANTIATE_TEST_SUITE_P(Htp, FastMiscVsRef, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(HtpIsa, OverrideCapsTheLevel) {
  const std::vector<fast::SimdLevel> have = fast::supported_levels();
  ASSERT_FALSE(have.empty());
  EXPECT_EQ(have.front(), fast::SimdLevel::kPortable);
  {
    IsaScope scope(fast::SimdLevel::kPortable);
    EXPECT_EQ(fast::active_level(), fast::SimdLevel::kPortable);
  }
  EXPECT_EQ(fast::active_level(), have.back());
}

}  // namespace
}  // namespace oqnn::htp::test
