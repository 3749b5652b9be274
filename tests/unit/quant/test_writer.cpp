// encodings_to_json -> load_overrides -> quantize_graph reproduces the same encodings.
#include <gtest/gtest.h>

#include "quant/encodings_writer.h"
#include "quant/quantize.h"
#include "quant_test_util.h"

namespace oqnn::quant {
namespace {

using testing::conv_relu_fc_graph;
using testing::write_temp;

ActivationRanges some_ranges(const ir::Graph& g) {
  ActivationRanges r;
  double k = 0.0;
  for (const ir::Tensor& t : g.tensors) {
    if (t.is_static()) continue;
    k += 1.0;
    r[t.name].min = -0.37 * k;
    r[t.name].max = 1.9 / k + 0.123456789;
  }
  return r;
}

void expect_same_encodings(const ir::Graph& a, const ir::Graph& b) {
  ASSERT_EQ(a.tensors.size(), b.tensors.size());
  for (size_t i = 0; i < a.tensors.size(); ++i)
    EXPECT_EQ(a.tensors[i].encoding, b.tensors[i].encoding) << a.tensors[i].name;
}

TEST(EncodingsWriter, RoundTripThroughOverridesIsExact) {
  for (bool per_channel : {false, true}) {
    for (const char* pq : {"symmetric", "tf"}) {
      ir::Graph g = conv_relu_fc_graph();
      auto ranges = some_ranges(g);
      QuantizeOptions o;
      o.per_channel = per_channel;
      o.param_quantizer = pq;
      o.act_bitwidth = 16;
      std::vector<std::string> warnings;
      ASSERT_TRUE(quantize_graph(g, o, nullptr, &ranges, &warnings).is_ok());
      std::string json = encodings_to_json(g);
      auto ov = load_overrides(write_temp("roundtrip.json", json));
      ASSERT_TRUE(ov.has_value()) << ov.error().message << "\n" << json;
      ir::Graph back = conv_relu_fc_graph();
      QuantizeOptions defaults;  // everything must come from the file
      ASSERT_TRUE(quantize_graph(back, defaults, &*ov, nullptr, &warnings).is_ok());
      expect_same_encodings(g, back);
      EXPECT_EQ(encodings_to_json(back), json);
      EXPECT_TRUE(warnings.empty()) << warnings[0];
    }
  }
}

TEST(EncodingsWriter, SortedDeterministicAndCarriesFloatFallback) {
  ir::Graph g = conv_relu_fc_graph();
  auto ranges = some_ranges(g);
  auto ov = parse_overrides(
      R"({"activation_encodings": {"logits": {"bitwidth": 16, "dtype": "float"}}})", "float.json");
  ASSERT_TRUE(ov.has_value());
  std::vector<std::string> warnings;
  ASSERT_TRUE(quantize_graph(g, QuantizeOptions{}, &*ov, &ranges, &warnings).is_ok());
  std::string json = encodings_to_json(g);
  EXPECT_EQ(json, encodings_to_json(g));
  // Activations sorted by name: conv_out < flat < logits (float) < relu_out < x.
  size_t prev = 0;
  for (const char* name : {"\"conv_out\"", "\"flat\"", "\"logits\"", "\"relu_out\"", "\"x\""}) {
    size_t at = json.find(name);
    ASSERT_NE(at, std::string::npos) << name << "\n" << json;
    EXPECT_GT(at, prev) << name;
    prev = at;
  }
  EXPECT_NE(json.find("\"dtype\": \"FLOAT\", \"bw\": 16"), std::string::npos) << json;
  // Signed symmetric weights are written as AIMET does: offset -2^(bw-1) over the
  // unsigned range.
  size_t w = json.find("{\"name\": \"conv1.weight\"");
  ASSERT_NE(w, std::string::npos) << json;
  std::string line = json.substr(w, json.find('\n', w) - w);
  EXPECT_NE(line.find("\"is_sym\": true"), std::string::npos) << line;
  EXPECT_NE(line.find("\"offset\": [-128]"), std::string::npos) << line;
  auto back_ov = parse_overrides(json, "dump.json");
  ASSERT_TRUE(back_ov.has_value()) << back_ov.error().message;
  ir::Graph back = conv_relu_fc_graph();
  ASSERT_TRUE(quantize_graph(back, QuantizeOptions{}, &*back_ov, nullptr, &warnings).is_ok());
  expect_same_encodings(g, back);
  EXPECT_EQ(back.attributes, g.attributes);
}

}  // namespace
}  // namespace oqnn::quant
