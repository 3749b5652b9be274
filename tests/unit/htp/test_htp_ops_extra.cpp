// The HTP kernels built on the CPU reference (lookup tables from it, float inside) against
// that reference: the node's float graph runs on the CPU reference kernels over the
// dequantized input codes (float32), and each output must be the reference value quantized
// with the finalized output encoding — code for code, on uint8 and uint16, with the
// reference and the fast kernel variants and 1 or 3 threads.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "backends/cpu/kernels.h"
#include "backends/htp/capabilities.h"
#include "htp_test_util.h"
#include "quant/encoding_math.h"

namespace oqnn::htp::test {
namespace {

struct Case {
  const char* op;
  std::vector<ir::Shape> inputs;
  ir::Params params = {};
  double lo = -3.0, hi = 3.0;  // input range
  // Fixed-point kernels (not float inside) round once from the exact value, the reference in
  // float32: they may differ by one code where the value is near a rounding point.
  bool fixed_point = false;
};

// Runs `g` in float32 on the CPU reference; views over `in` (one buffer per graph input).
std::vector<std::vector<float>> run_cpu(const ir::Graph& g, std::vector<std::vector<float>>& in) {
  auto plan = rt::HostPlan::create(g, cpu::make_ref_kernel, 1);
  EXPECT_TRUE(plan.has_value()) << plan.error().message;
  if (!plan) return {};
  auto view = [](const ir::Tensor& t, std::vector<float>& v) {
    return OqnnTensorView{t.name.c_str(),
                          static_cast<int32_t>(ir::DataType::kFloat32),
                          static_cast<uint32_t>(t.shape.size()),
                          t.shape.data(),
                          v.data(),
                          v.size() * sizeof(float),
                          nullptr};
  };
  std::vector<OqnnTensorView> views, out_views;
  for (size_t i = 0; i < in.size(); ++i) views.push_back(view((*plan)->inputs()[i], in[i]));
  std::vector<std::vector<float>> out((*plan)->outputs().size());
  for (size_t j = 0; j < out.size(); ++j) {
    out[j].resize(static_cast<size_t>(ir::num_elements((*plan)->outputs()[j].shape)));
    out_views.push_back(view((*plan)->outputs()[j], out[j]));
  }
  EXPECT_TRUE((*plan)->execute(views, out_views, nullptr));
  return out;
}

// Runs `g` (float graph with encodings on every activation) both ways and compares codes.
void expect_matches_cpu_reference(const ir::Graph& g, bool widen16, uint32_t seed,
                                  bool fixed_point) {
  auto qg = finalize_graph(g, widen16);
  ASSERT_TRUE(qg.has_value()) << qg.error().message;
  auto ref_plan = make_plan(*qg, KernelVariant::kReference, 1);
  ASSERT_TRUE(ref_plan.has_value()) << ref_plan.error().message;
  const std::vector<Bytes> in = random_inputs(**ref_plan, seed);
  // The CPU reference on the dequantized codes.
  std::vector<std::vector<float>> reals;
  for (size_t i = 0; i < in.size(); ++i) {
    const ir::Tensor& t = (*ref_plan)->inputs()[i];
    std::vector<float> r;
    for (int32_t q : codes_of(t, in[i]))
      r.push_back(static_cast<float>(quant::dequantize_value(q, *t.encoding)));
    reals.push_back(std::move(r));
  }
  const std::vector<std::vector<float>> want = run_cpu(g, reals);
  ASSERT_EQ(want.size(), g.outputs.size());
  for (KernelVariant v : {KernelVariant::kReference, KernelVariant::kFast})
    for (int threads : {1, 3}) {
      auto plan = make_plan(*qg, v, threads);
      ASSERT_TRUE(plan.has_value()) << plan.error().message;
      auto got = run_plan(**plan, in);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      for (size_t j = 0; j < want.size(); ++j) {
        const ir::Tensor& t = (*plan)->outputs()[j];
        std::vector<int32_t> codes = codes_of(t, (*got)[j]);
        ASSERT_EQ(codes.size(), want[j].size());
        size_t off = 0;
        for (size_t i = 0; i < codes.size(); ++i) {
          // NaN has no code: the HTP gives the code of 0.0 (QParams::code).
          const int32_t w =
              quant::quantize_value(std::isnan(want[j][i]) ? 0.0 : want[j][i], *t.encoding);
          off += codes[i] != w;
          ASSERT_LE(std::abs(codes[i] - w), fixed_point ? 1 : 0)
              << "output " << j << " element " << i << ": reference " << want[j][i];
        }
        // Unbiased rounding is off by one rarely; truncation would be on about half.
        EXPECT_LE(static_cast<double>(off), 0.03 * static_cast<double>(codes.size()) + 1);
      }
    }
}

void check_cases(const std::vector<Case>& cases) {
  uint32_t seed = 1;
  for (const Case& c : cases)
    for (int bits : {8, 16}) {
      if (!supports_op(c.op, bits == 8 ? "uint8" : "uint16")) continue;
      SCOPED_TRACE(std::string(c.op) + " " + std::to_string(bits) + "-bit");
      GraphBuilder b;
      std::vector<ir::TensorId> ins;
      for (size_t i = 0; i < c.inputs.size(); ++i)
        ins.push_back(b.input("x" + std::to_string(i), c.inputs[i],
                              bits == 8 ? u8(c.lo, c.hi) : u16(c.lo, c.hi)));
      b.node(c.op, ins, std::nullopt, c.params);
      // Min-max calibration of the output on the CPU reference over random inputs.
      std::vector<std::vector<float>> xs;
      for (size_t i = 0; i < c.inputs.size(); ++i)
        xs.push_back(random_floats(static_cast<size_t>(ir::num_elements(c.inputs[i])),
                                   static_cast<float>(c.lo), static_cast<float>(c.hi), seed + i));
      const std::vector<float> y = run_cpu(b.g, xs).at(0);
      const auto [mn, mx] = std::minmax_element(y.begin(), y.end());
      ir::Tensor& out = b.g.tensor(b.g.outputs[0]);
      out.encoding = bits == 8 ? u8(std::min(0.0f, *mn), std::max(*mx, 1e-3f))
                               : u16(std::min(0.0f, *mn), std::max(*mx, 1e-3f));
      expect_matches_cpu_reference(b.g, false, seed++, c.fixed_point);
    }
}

TEST(HtpOpsExtra, UnaryTablesMatchCpuReference) {
  // Every op whose table comes from the CPU reference, over its domain where it has one.
  const std::map<std::string, std::pair<double, double>> domain = {
      {"ElementWiseLog", {0.01, 4.0}},  {"ElementWiseSquareRoot", {0.0, 4.0}},
      {"ElementWiseAcosh", {1.0, 4.0}}, {"ElementWiseAtanh", {-0.9, 0.9}},
      {"ElementWiseTan", {-1.2, 1.2}},  {"ElementWiseAsin", {-1.0, 1.0}},
      {"ElementWiseAcos", {-1.0, 1.0}}};
  std::vector<Case> cases;
  for (const auto& c : kCapabilities) {
    if (std::string(c.constraints) != kTableNote || std::string(c.dtype) != "uint8") continue;
    auto it = domain.find(c.op);
    if (it == domain.end())
      cases.push_back({c.op, {{2, 3, 7}}});
    else
      cases.push_back({c.op, {{5, 9}}, {}, it->second.first, it->second.second});
  }
  EXPECT_GE(cases.size(), 30u);
  ir::Params elu;
  elu.set("alpha", 0.5);
  cases.push_back({"Elu", {{4, 4}}, elu});
  ir::Params gelu;
  gelu.set("approximate", std::string("tanh"));
  cases.push_back({"Gelu", {{4, 4}}, gelu});
  check_cases(cases);
}

TEST(HtpOpsExtra, FloatInsideOpsMatchCpuReference) {
  ir::Params d2s;
  d2s.set("block_size", std::vector<int64_t>{2, 2});
  ir::Params tile;
  tile.set("multiples", std::vector<int64_t>{2, 1, 3});
  ir::Params slice;
  slice.set("ranges", std::vector<int64_t>{0, 2, 1, 1, 4, 2, 0, 5, 1});
  ir::Params rms;
  rms.set("axes", std::vector<int64_t>{2});
  rms.set("epsilon", 1e-6);
  ir::Params shuffle;
  shuffle.set("num_groups", int64_t{3});
  shuffle.set("axis", int64_t{1});
  check_cases({
      {"RmsNorm", {{2, 3, 8}, {8}}, rms},
      {"RmsNorm", {{2, 3, 8}, {8}, {8}}, rms},
      {"ChannelShuffle", {{2, 6, 4}}, shuffle},
      {"ElementWiseMaximum", {{2, 5}, {5}}},
      {"ElementWiseMinimum", {{3, 4}, {3, 4}}},
      {"ElementWisePower", {{3, 4}, {3, 4}}, {}, 0.5, 2.0},
      {"ElementWiseMod", {{3, 4}, {3, 4}}, {}, 0.5, 3.0},
      {"ElementWiseFmod", {{3, 4}, {3, 4}}, {}, 0.5, 3.0},
      {"DepthToSpace", {{1, 2, 3, 8}}, d2s},
      {"SpaceToDepth", {{1, 4, 6, 2}}, d2s},
      {"Tile", {{2, 3, 2}}, tile},
      {"StridedSlice", {{3, 5, 5}}, slice},
  });
}

// PoolAvg3d / PoolMax3d in fixed point against the CPU reference: dilation, padding,
// ceil mode, count_pad_for_edges both ways, a global window, and windows whose every tap
// falls in the padding (dilation 3 over a depth of 1: the average's code of 0.0).
TEST(HtpOpsExtra, Pools3dMatchCpuReference) {
  auto pool = [](std::vector<int64_t> k, std::vector<int64_t> stride, std::vector<int64_t> dil,
                 std::vector<int64_t> pad, int64_t ceil, int64_t count_pad) {
    ir::Params p;
    p.set("filter_size", std::move(k));
    p.set("stride", std::move(stride));
    p.set("dilation", std::move(dil));
    p.set("pad_amount", std::move(pad));
    p.set("rounding_mode", ceil);
    if (count_pad >= 0) p.set("count_pad_for_edges", count_pad);  // PoolAvg3d only
    return p;
  };
  const std::vector<int64_t> none = {0, 0, 0, 0, 0, 0}, pads = {1, 0, 1, 1, 0, 1};
  std::vector<Case> cases;
  auto add = [&cases](const char* op, ir::Shape x, ir::Params p) {
    cases.push_back({op, {std::move(x)}, std::move(p), -2.0, 3.0, true});
  };
  const std::pair<const char*, int64_t> kinds[] = {
      {"PoolAvg3d", 0}, {"PoolAvg3d", 1}, {"PoolMax3d", -1}};
  for (const auto& [op, count_pad] : kinds) {
    add(op, {1, 4, 5, 6, 3}, pool({2, 2, 2}, {1, 2, 2}, {1, 1, 1}, pads, 1, count_pad));
    add(op, {2, 5, 6, 7, 2}, pool({2, 3, 2}, {2, 1, 2}, {2, 1, 3}, pads, 0, count_pad));
    add(op, {1, 3, 4, 5, 4}, pool({3, 4, 5}, {1, 1, 1}, {1, 1, 1}, none, 0, count_pad));
  }
  add("PoolAvg3d", {1, 1, 3, 3, 2},
      pool({2, 1, 1}, {1, 1, 1}, {3, 1, 1}, {2, 1, 0, 0, 0, 0}, 0, 0));
  check_cases(cases);
}

}  // namespace
}  // namespace oqnn::htp::test
