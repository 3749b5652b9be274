// quantize_graph on Conv -> Relu -> Reshape -> FullyConnected: sources and precedence of
// encodings, per-channel weights, propagation, float fallback and override errors.
#include <gtest/gtest.h>

#include <algorithm>

#include "quant/encoding_math.h"
#include "quant/name_match.h"
#include "quant/quantize.h"
#include "quant_test_util.h"

namespace oqnn::quant {
namespace {

using testing::conv_relu_fc_graph;

const ir::Tensor& tensor(const ir::Graph& g, const std::string& name) {
  return g.tensor(*g.find_tensor(name));
}

ActivationRanges ranges_for(const ir::Graph& g) {
  ActivationRanges r;
  r["x"] = {-1.0, 1.0};
  r["conv_out"] = {-2.5, 3.0};
  r["relu_out"] = {0.0, 3.0};
  r["flat"] = {0.0, 2.0};  // overridden by propagation from relu_out
  r["logits"] = {-4.0, 5.5};
  return r;
}

// Range of a weight tensor's data, or of channel c along `axis`, computed here directly.
std::pair<double, double> data_range(const ir::Tensor& t, int axis = -1, int64_t c = 0) {
  auto v = t.values<float>();
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(axis) + 1; axis >= 0 && d < t.shape.size(); ++d)
    inner *= t.shape[d];
  double lo = 1e30, hi = -1e30;
  for (size_t i = 0; i < v.size(); ++i) {
    if (axis >= 0 && (static_cast<int64_t>(i) / inner) % t.shape[static_cast<size_t>(axis)] != c)
      continue;
    lo = std::min(lo, static_cast<double>(v[i]));
    hi = std::max(hi, static_cast<double>(v[i]));
  }
  return {lo, hi};
}

TEST(QuantizeGraph, ActivationsFromRangesWeightsFromData) {
  ir::Graph g = conv_relu_fc_graph();
  auto ranges = ranges_for(g);
  std::vector<std::string> warnings;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, nullptr, &ranges, &warnings).is_ok());
  EXPECT_TRUE(warnings.empty());
  for (const char* name : {"x", "conv_out", "relu_out", "logits"}) {
    const auto& r = ranges.at(name);
    EXPECT_EQ(tensor(g, name).encoding, tf_encoding(r.min, r.max, 8)) << name;
  }
  EXPECT_EQ(tensor(g, "flat").encoding, tensor(g, "relu_out").encoding);
  for (const char* name : {"conv1.weight", "fc.weight"}) {
    auto [lo, hi] = data_range(tensor(g, name));
    EXPECT_EQ(tensor(g, name).encoding, symmetric_encoding(lo, hi, 8)) << name;
  }
  EXPECT_FALSE(tensor(g, "conv1.bias").encoding.has_value());
  EXPECT_FALSE(tensor(g, "fc.bias").encoding.has_value());
}

TEST(QuantizeGraph, PerChannelAndTfWeights) {
  ir::Graph g = conv_relu_fc_graph();
  QuantizeOptions o;
  o.per_channel = true;
  o.weight_bitwidth = 4;
  ASSERT_TRUE(quantize_graph(g, o, nullptr, nullptr, nullptr).is_ok());
  for (auto [name, axis] : {std::pair{"conv1.weight", 3}, std::pair{"fc.weight", 0}}) {
    const ir::Tensor& t = tensor(g, name);
    ASSERT_TRUE(t.encoding.has_value());
    EXPECT_EQ(t.encoding->axis, axis);
    ASSERT_EQ(static_cast<int64_t>(t.encoding->scale.size()), t.shape[static_cast<size_t>(axis)]);
    for (int64_t c = 0; c < t.shape[static_cast<size_t>(axis)]; ++c) {
      auto [lo, hi] = data_range(t, axis, c);
      EXPECT_EQ(t.encoding->scale[static_cast<size_t>(c)], symmetric_encoding(lo, hi, 4).scale[0]);
    }
    EXPECT_TRUE(t.encoding->is_signed);
  }
  ir::Graph h = conv_relu_fc_graph();
  QuantizeOptions tf;
  tf.param_quantizer = "tf";
  ASSERT_TRUE(quantize_graph(h, tf, nullptr, nullptr, nullptr).is_ok());
  auto [lo, hi] = data_range(tensor(h, "fc.weight"));
  EXPECT_EQ(tensor(h, "fc.weight").encoding, tf_encoding(lo, hi, 8));
}

// A static Concat input (a ViT class token next to the patch embeddings) shares the
// activations' dtype: per tensor, asymmetric, at the activation bitwidth (16 here), never a
// symmetric int8 weight encoding.
TEST(QuantizeGraph, ConcatStaticsTakeActivationEncodings) {
  ir::Graph g;
  ir::TensorId x =
      g.add_tensor({"x", ir::DataType::kFloat32, {1, 4, 8}, ir::TensorKind::kInput, {}, {}});
  ir::TensorId tok = testing::add_static(g, "cls_token", {1, 1, 8}, 0.3f, 0.5f);
  ir::TensorId y =
      g.add_tensor({"y", ir::DataType::kFloat32, {1, 5, 8}, ir::TensorKind::kOutput, {}, {}});
  ir::Node cat{"cat", "Concat", {tok, x}, {y}, {}};
  cat.params.set("axis", int64_t{1});
  g.nodes.push_back(cat);
  g.inputs = {x};
  g.outputs = {y};
  ActivationRanges r;
  r["x"] = {-1.0, 1.0};
  r["y"] = {-1.0, 1.0};
  QuantizeOptions o;
  o.act_bitwidth = 16;
  o.per_channel = true;
  ASSERT_TRUE(quantize_graph(g, o, nullptr, &r, nullptr).is_ok());
  auto [lo, hi] = data_range(tensor(g, "cls_token"));
  EXPECT_EQ(tensor(g, "cls_token").encoding, tf_encoding(lo, hi, 16));
}

TEST(QuantizeGraph, MissingRangesAreCountedNotInvented) {
  ir::Graph g = conv_relu_fc_graph();
  ActivationRanges only_x;
  only_x["x"] = {-1.0, 1.0};
  std::vector<std::string> warnings;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, nullptr, &only_x, &warnings).is_ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("4 activation"), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find("conv_out"), std::string::npos);
  EXPECT_FALSE(tensor(g, "relu_out").encoding.has_value());
  EXPECT_TRUE(tensor(g, "x").encoding.has_value());
}

TEST(QuantizeGraph, OverridesWinAndStopPropagation) {
  ir::Graph g = conv_relu_fc_graph();
  auto ranges = ranges_for(g);
  auto ov = parse_overrides(R"({"activation_encodings": {
      "flat": {"bitwidth": 16, "min": -1.0, "max": 4.0},
      "conv_out": {"bitwidth": 8, "scale": 0.05, "offset": -50}},
    "param_encodings": {"conv1.bias": {"bitwidth": 32, "scale": 0.001, "offset": 0,
                                       "is_symmetric": true}}})",
                            "ov.json");
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, &*ov, &ranges, nullptr).is_ok());
  EXPECT_EQ(tensor(g, "flat").encoding, tf_encoding(-1.0, 4.0, 16));
  EXPECT_EQ(tensor(g, "conv_out").encoding, encoding_from_scale_offset(0.05, -50, 8, false));
  const auto& bias = tensor(g, "conv1.bias").encoding;
  ASSERT_TRUE(bias.has_value());
  EXPECT_TRUE(bias->is_signed);
  EXPECT_EQ(bias->bitwidth, 32);
  EXPECT_FALSE(tensor(g, "fc.bias").encoding.has_value());
}

TEST(QuantizeGraph, ExistingEncodingsAreKeptUnlessNamed) {
  ir::Graph g = conv_relu_fc_graph();
  ir::Encoding mine = encoding_from_scale_offset(0.125, -3, 8, false);
  g.tensor(*g.find_tensor("relu_out")).encoding = mine;
  g.tensor(*g.find_tensor("x")).encoding = mine;
  auto ranges = ranges_for(g);
  auto ov = parse_overrides(R"({"activation_encodings": {"x": {"min": -2, "max": 2}}})", "x.json");
  ASSERT_TRUE(ov.has_value());
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, &*ov, &ranges, nullptr).is_ok());
  EXPECT_EQ(tensor(g, "relu_out").encoding, mine);
  EXPECT_EQ(tensor(g, "flat").encoding, mine);  // propagated from the kept encoding
  EXPECT_EQ(tensor(g, "x").encoding, tf_encoding(-2, 2, 8));
}

TEST(QuantizeGraph, FloatFallbackCoversTheWholeLayer) {
  ir::Graph g = conv_relu_fc_graph();
  auto ranges = ranges_for(g);
  auto ov = parse_overrides(
      R"({"param_encodings": {"conv1.weight": [{"bitwidth": 16, "dtype": "float"}]}})", "f.json");
  ASSERT_TRUE(ov.has_value());
  std::vector<std::string> warnings;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, &*ov, &ranges, &warnings).is_ok());
  EXPECT_TRUE(warnings.empty()) << warnings[0];
  for (const char* name : {"conv1.weight", "conv1.bias", "conv_out"}) {
    EXPECT_FALSE(tensor(g, name).encoding.has_value()) << name;
    EXPECT_EQ(g.attributes.at(std::string(kFloatFallbackAttr) + name), "16");
  }
  EXPECT_TRUE(tensor(g, "x").encoding.has_value());
  EXPECT_TRUE(tensor(g, "relu_out").encoding.has_value());
  EXPECT_TRUE(tensor(g, "fc.weight").encoding.has_value());
}

TEST(QuantizeGraph, UnknownNameWarnsWithClosestNamesOrFailsWhenStrict) {
  auto ov = parse_overrides(
      R"({"activation_encodings": {"conv1/Relu:0": {"bitwidth": 8, "min": 0, "max": 6}},
          "param_encodings": {"conv1.weights": {"bitwidth": 8, "min": -1, "max": 1}}})",
      "seedlike.json");
  ASSERT_TRUE(ov.has_value());
  ir::Graph g = conv_relu_fc_graph();
  std::vector<std::string> warnings;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, &*ov, nullptr, &warnings).is_ok());
  auto w = std::find_if(warnings.begin(), warnings.end(), [](const std::string& s) {
    return s.find("'conv1.weights'") != std::string::npos;
  });
  ASSERT_NE(w, warnings.end());
  EXPECT_NE(w->find("seedlike.json"), std::string::npos);
  EXPECT_NE(w->find("closest: conv1.weight, conv1.bias"), std::string::npos) << *w;
  EXPECT_TRUE(std::any_of(warnings.begin(), warnings.end(), [](const std::string& s) {
    return s.find("'conv1/Relu:0'") != std::string::npos;
  }));
  ir::Graph h = conv_relu_fc_graph();
  QuantizeOptions strict;
  strict.strict = true;
  Status s = quantize_graph(h, strict, &*ov, nullptr, nullptr);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  EXPECT_NE(s.error().message.find("conv1"), std::string::npos) << s.error().message;
}

TEST(QuantizeGraph, OverridesThatContradictTheGraphAreErrors) {
  struct Case {
    const char* json;
    const char* tensor;
  };
  const Case cases[] = {
      {R"({"activation_encodings": {"relu_out": {"bitwidth": 4, "min": 0, "max": 1}}})",
       "relu_out"},
      {R"({"activation_encodings": {"x": {"bitwidth": 32, "scale": 1, "offset": 0}}})", "x"},
      {R"({"param_encodings": {"fc.weight": {"bitwidth": 32, "scale": 1, "offset": 0}}})",
       "fc.weight"},
      {R"({"param_encodings": {"fc.bias": {"bitwidth": 16, "scale": 1, "offset": 0}}})", "fc.bias"},
      // conv1.weight has 3 output channels.
      {R"({"version": "1.0.0", "param_encodings": [{"name": "conv1.weight", "enc_type":
          "PER_CHANNEL", "bw": 8, "is_sym": true, "scale": [1, 1], "offset": [-128, -128]}]})",
       "conv1.weight"},
      {R"({"version": "1.0.0", "activation_encodings": [{"name": "conv_out", "enc_type":
          "PER_CHANNEL", "bw": 8, "scale": [1, 1, 1], "offset": [0, 0, 0]}]})",
       "conv_out"},
  };
  for (const Case& c : cases) {
    auto ov = parse_overrides(c.json, "contra.json");
    ASSERT_TRUE(ov.has_value()) << ov.error().message;
    ir::Graph g = conv_relu_fc_graph();
    Status s = quantize_graph(g, QuantizeOptions{}, &*ov, nullptr, nullptr);
    ASSERT_FALSE(s.is_ok()) << c.json;
    EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
    EXPECT_NE(s.error().message.find("contra.json"), std::string::npos) << s.error().message;
    EXPECT_NE(s.error().message.find(std::string("'") + c.tensor + "'"), std::string::npos)
        << s.error().message;
  }
}

TEST(QuantizeGraph, PerChannelOverrideWithMatchingChannelsIsAccepted) {
  auto ov = parse_overrides(R"({"version": "1.0.0", "param_encodings": [{"name": "fc.weight",
      "enc_type": "PER_CHANNEL", "bw": 8, "is_sym": true, "scale": [0.1, 0.2, 0.3, 0.4, 0.5],
      "offset": [-128, -128, -128, -128, -128]}]})",
                            "pc.json");
  ASSERT_TRUE(ov.has_value());
  ir::Graph g = conv_relu_fc_graph();
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, &*ov, nullptr, nullptr).is_ok());
  const auto& e = tensor(g, "fc.weight").encoding;
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->axis, 0);
  EXPECT_EQ(e->scale.size(), 5u);
}

TEST(QuantizeGraph, BadOptionsAreUsageErrors) {
  ir::Graph g = conv_relu_fc_graph();
  QuantizeOptions o;
  o.act_bitwidth = 4;
  EXPECT_EQ(quantize_graph(g, o, nullptr, nullptr, nullptr).error().code, ErrorCode::kUsage);
  o = QuantizeOptions{};
  o.param_quantizer = "enhanced";
  EXPECT_EQ(quantize_graph(g, o, nullptr, nullptr, nullptr).error().code, ErrorCode::kUsage);
}

TEST(NameMatch, EditDistanceAndClosest) {
  EXPECT_EQ(edit_distance("kitten", "sitting", 100), 3u);
  EXPECT_EQ(edit_distance("", "abc", 100), 3u);
  EXPECT_EQ(edit_distance("same", "same", 0), 0u);
  EXPECT_GT(edit_distance("abcdef", "uvwxyz", 2), 2u);
  std::vector<std::string> names = {"conv1.bias", "conv1.weight", "fc.weight", "x"};
  EXPECT_EQ(closest_names("conv1.weights", names, 2),
            (std::vector<std::string>{"conv1.weight", "conv1.bias"}));
  EXPECT_EQ(closest_names("y", names, 1), std::vector<std::string>{"x"});
  EXPECT_TRUE(closest_names("y", names, 0).empty());
}

}  // namespace
}  // namespace oqnn::quant

namespace oqnn::quant {
namespace {

// x -> Quantize(int8, s 0.05, zp -3) -> Dequantize -> Reshape -> y: the Dequantize's output
// keeps its codes' grid over any calibrated range, Reshape takes it on, and x (read only by
// the Quantize) takes the grid it is quantized to; an override wins.
ir::Graph qdq_graph() {
  ir::Graph g;
  g.name = "qdq";
  auto add = [&](const char* name, ir::DataType dt, ir::TensorKind kind) {
    return g.add_tensor({name, dt, {2, 3}, kind, nullptr, std::nullopt});
  };
  ir::TensorId x = add("x", ir::DataType::kFloat32, ir::TensorKind::kInput);
  ir::TensorId q = add("q", ir::DataType::kInt8, ir::TensorKind::kIntermediate);
  ir::TensorId d = add("d", ir::DataType::kFloat32, ir::TensorKind::kIntermediate);
  ir::TensorId y = add("y", ir::DataType::kFloat32, ir::TensorKind::kOutput);
  g.inputs = {x};
  g.outputs = {y};
  ir::Params p;
  p.set("scale", std::vector<double>{0.05});
  p.set("zero_point", std::vector<int64_t>{-3});
  ir::Params pq = p;
  pq.set("dtype", std::string("int8"));
  ir::Params shape;
  shape.set("shape", std::vector<int64_t>{3, 2});
  g.nodes.push_back({"quant", "Quantize", {x}, {q}, pq});
  g.nodes.push_back({"dequant", "Dequantize", {q}, {d}, p});
  g.tensor(y).shape = {3, 2};
  g.nodes.push_back({"reshape", "Reshape", {d}, {y}, shape});
  g.rebuild_name_index();
  return g;
}

TEST(QuantizeGraph, DequantizeOutputsKeepTheirCodesEncoding) {
  ir::Graph g = qdq_graph();
  ActivationRanges ranges{{"x", {-1.0, 1.0}}, {"d", {-0.9, 0.8}}, {"y", {-0.9, 0.8}}};
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, nullptr, &ranges, nullptr).is_ok());
  const ir::Encoding want = encoding_from_scale_offset(static_cast<float>(0.05), 3, 8, true);
  EXPECT_EQ(tensor(g, "d").encoding, want);
  EXPECT_EQ(tensor(g, "y").encoding, want);
  EXPECT_EQ(tensor(g, "x").encoding, want);
  EXPECT_FALSE(tensor(g, "q").encoding.has_value());  // integer codes: plain values

  ir::Graph o = qdq_graph();
  auto ov = parse_overrides(R"({"activation_encodings": {"d": {"bitwidth": 8, "min": -1.0,
      "max": 1.0}}})",
                            "ov.json");
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  ASSERT_TRUE(quantize_graph(o, QuantizeOptions{}, &*ov, &ranges, nullptr).is_ok());
  EXPECT_EQ(tensor(o, "d").encoding, tf_encoding(-1.0, 1.0, 8));

  // x read by something else too: its calibrated range.
  ir::Graph r = qdq_graph();
  const ir::TensorId relu = r.add_intermediate("relu_out", ir::DataType::kFloat32, {2, 3});
  r.tensor(relu).kind = ir::TensorKind::kOutput;
  r.outputs.push_back(relu);
  r.nodes.push_back({"relu", "Relu", {r.inputs[0]}, {relu}, {}});
  ASSERT_TRUE(quantize_graph(r, QuantizeOptions{}, nullptr, &ranges, nullptr).is_ok());
  EXPECT_EQ(tensor(r, "x").encoding, tf_encoding(-1.0, 1.0, 8));
}

}  // namespace
}  // namespace oqnn::quant
