// Reading --quantization_overrides files in the three forms, and rejecting bad ones.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "quant/encoding_math.h"
#include "quant/overrides.h"
#include "quant_test_util.h"

namespace oqnn::quant {
namespace {

using testing::write_temp;

// The seed's quantization_config.json, verbatim (seed-examples.md).
constexpr const char* kSeedJson = R"({
  "activation_encodings": {
    "conv1/Relu:0": {
      "bitwidth": 8,
      "max": 6.0,
      "min": 0.0,
      "scale": 0.023529,
      "offset": 0
    }
  },
  "param_encodings": {
    "conv1.weight": {
      "bitwidth": 8,
      "max": 2.5,
      "min": -2.5,
      "scale": 0.019608,
      "offset": 127
    }
  },
  "activation_bitwidth": 8,
  "param_bitwidth": 8,
  "bias_bitwidth": 32
})";

// Routes the default logger into a string for the duration of a test.
class LogCapture {
 public:
  LogCapture() : saved_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(saved_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> saved_;
};

TEST(Overrides, SeedDictFormWithPositiveZeroPoint) {
  std::string path = write_temp("seed.json", kSeedJson);
  LogCapture log;
  auto ov = load_overrides(path);
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  EXPECT_EQ(ov->source_path, path);
  EXPECT_EQ(ov->activation_bitwidth, 8);
  EXPECT_EQ(ov->param_bitwidth, 8);
  EXPECT_EQ(ov->bias_bitwidth, 32);
  ASSERT_EQ(ov->activations.count("conv1/Relu:0"), 1u);
  const OverrideEntry& a = ov->activations.at("conv1/Relu:0");
  EXPECT_EQ(a.bitwidth, 8);
  EXPECT_EQ(a.scale, std::vector<double>{0.023529});
  EXPECT_EQ(a.offset, std::vector<int32_t>{0});
  EXPECT_EQ(a.min, 0.0);
  EXPECT_EQ(a.max, 6.0);
  const OverrideEntry& w = ov->params.at("conv1.weight");
  // min -2.5 ~ -(scale * 127): 127 is a zero point, so the QNN offset is -127.
  EXPECT_EQ(w.offset, std::vector<int32_t>{-127});
  EXPECT_EQ(w.scale, std::vector<double>{0.019608});
  ir::Encoding e = override_to_encoding(w, -1);
  EXPECT_FALSE(e.is_signed);
  EXPECT_NEAR(e.min(), -2.5, 0.02);
  EXPECT_NEAR(e.max(), 2.5, 0.02);
  EXPECT_NE(log.text().find("zero point"), std::string::npos) << log.text();
  EXPECT_NE(log.text().find("conv1.weight"), std::string::npos) << log.text();
}

TEST(Overrides, OffsetSignFollowsMin) {
  auto ov = parse_overrides(R"({"param_encodings": {
      "neg": {"bitwidth": 8, "min": -1.0, "max": 1.0, "scale": 0.0078431, "offset": -128},
      "above_zero": {"bitwidth": 8, "min": 1.0, "max": 3.55, "scale": 0.01, "offset": 100},
      "no_min": {"bitwidth": 8, "scale": 0.01, "offset": 30}}})",
                            "mem.json");
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  EXPECT_EQ(ov->params.at("neg").offset[0], -128);
  // min = scale * offset already holds, so this positive offset is QNN's own.
  EXPECT_EQ(ov->params.at("above_zero").offset[0], 100);
  EXPECT_EQ(ov->params.at("no_min").offset[0], -30);
}

TEST(Overrides, LegacyListFormPerChannelAndFloat) {
  auto ov = parse_overrides(R"({"version": "0.6.1",
    "activation_encodings": {
      "relu_out": [{"bitwidth": 16, "min": -0.7, "max": 3.1, "is_symmetric": "False", "dtype": "int"}],
      "logits": [{"bitwidth": 16, "dtype": "float"}]},
    "param_encodings": {
      "conv1.weight": [
        {"bitwidth": 8, "min": -1.27, "max": 1.27, "scale": 0.01, "offset": -128, "is_symmetric": "True"},
        {"bitwidth": 8, "min": -2.54, "max": 2.54, "scale": 0.02, "offset": -128, "is_symmetric": "True"},
        {"bitwidth": 8, "min": -0.7, "max": 0.9, "is_symmetric": true}]},
    "quantizer_args": {"activation_bitwidth": 16}})",
                            "legacy.json");
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  const OverrideEntry& r = ov->activations.at("relu_out");
  ir::Encoding want = tf_encoding(-0.7, 3.1, 16);  // scale/offset missing: tf rule
  EXPECT_EQ(r.bitwidth, 16);
  EXPECT_EQ(r.scale, want.scale);
  EXPECT_EQ(r.offset, want.offset);
  EXPECT_FALSE(r.is_float);
  const OverrideEntry& f = ov->activations.at("logits");
  EXPECT_TRUE(f.is_float);
  EXPECT_EQ(f.bitwidth, 16);
  const OverrideEntry& w = ov->params.at("conv1.weight");
  ASSERT_EQ(w.scale.size(), 3u);
  EXPECT_TRUE(w.per_channel());
  EXPECT_TRUE(w.is_symmetric);
  EXPECT_EQ(w.scale[0], 0.01);
  EXPECT_EQ(w.scale[1], 0.02);
  EXPECT_EQ(w.scale[2], symmetric_encoding(-0.7, 0.9, 8).scale[0]);
  EXPECT_EQ(w.offset, (std::vector<int32_t>{-128, -128, -128}));
  ir::Encoding e = override_to_encoding(w, 3);
  EXPECT_TRUE(e.is_signed);
  EXPECT_TRUE(e.symmetric);
  EXPECT_EQ(e.axis, 3);
  EXPECT_EQ(e.offset, (std::vector<int32_t>{0, 0, 0}));
}

TEST(Overrides, Aimet100Form) {
  auto ov = parse_overrides(R"({"version": "1.0.0",
    "activation_encodings": [
      {"name": "x", "enc_type": "PER_TENSOR", "dtype": "INT", "bw": 8, "is_sym": false,
       "scale": [0.1], "offset": [-3]},
      {"name": "y", "dtype": "FLOAT", "bw": 16}],
    "param_encodings": [
      {"name": "w", "enc_type": "PER_CHANNEL", "dtype": "INT", "bw": 4, "is_sym": true,
       "scale": [0.5, 0.25], "offset": [-8, -8]}],
    "excluded_layers": [], "quantizer_args": {}})",
                            "v1.json");
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  const OverrideEntry& x = ov->activations.at("x");
  EXPECT_EQ(x.scale, std::vector<double>{0.1});
  EXPECT_EQ(x.offset, std::vector<int32_t>{-3});
  EXPECT_FALSE(override_to_encoding(x, -1).is_signed);
  EXPECT_TRUE(ov->activations.at("y").is_float);
  const OverrideEntry& w = ov->params.at("w");
  EXPECT_EQ(w.bitwidth, 4);
  ir::Encoding e = override_to_encoding(w, 0);
  EXPECT_TRUE(e.is_signed);
  EXPECT_EQ(e.qmin(), -8);
  EXPECT_EQ(e.scale, (std::vector<double>{0.5, 0.25}));
}

TEST(Overrides, BlockwiseIsUnsupported) {
  auto ov = parse_overrides(R"({"version": "1.0.0", "param_encodings": [
      {"name": "w", "enc_type": "PER_BLOCK", "bw": 4, "scale": [1], "offset": [0], "block_size": 32}]})",
                            "pb.json");
  ASSERT_FALSE(ov.has_value());
  EXPECT_EQ(ov.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(ov.error().message.find("'w'"), std::string::npos);
}

struct BadCase {
  const char* json;
  const char* mentions;  // the tensor (or section) the message must name
};

TEST(Overrides, MalformedFilesAreBadInputNamingFileAndTensor) {
  const BadCase cases[] = {
      {R"({"param_encodings": {"w1": {"bitwidth": 7, "min": -1, "max": 1}}})", "w1"},
      {R"({"param_encodings": {"w2": {"bitwidth": "8", "min": -1, "max": 1}}})", "w2"},
      {R"({"param_encodings": {"w3": {"bitwidth": 8, "scale": "0.1", "offset": 0}}})", "w3"},
      {R"({"param_encodings": {"w4": {"bitwidth": 8, "scale": -0.1, "offset": 0}}})", "w4"},
      {R"({"param_encodings": {"w5": {"bitwidth": 8, "min": 2, "max": 1}}})", "w5"},
      {R"({"param_encodings": {"w6": {"bitwidth": 8}}})", "w6"},
      {R"({"param_encodings": {"w7": {"min": -1, "max": 1, "is_symmetric": "maybe"}}})", "w7"},
      {R"({"param_encodings": {"w8": [1, 2]}})", "w8"},
      {R"({"param_encodings": {"w9": []}})", "w9"},
      {R"({"param_encodings": {"w10": {"scale": 0.1, "offset": 1e12}}})", "w10"},
      {R"({"param_encodings": {"w11": {"scale": 0.1, "offset": 2.5}}})", "w11"},
      {R"({"param_encodings": {"w12": {"bitwidth": 8, "dtype": "double"}}})", "w12"},
      {R"({"param_encodings": {"w13": {"bitwidth": 8, "dtype": "float"}}})", "w13"},
      {R"({"param_encodings": {"w14": [{"bitwidth": 8, "min": -1, "max": 1},
                                      {"bitwidth": 16, "min": -1, "max": 1}]}})",
       "w14"},
      {R"({"param_encodings": {"w15": {"scale": 0.1}}})", "w15"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "v1", "bw": 8, "scale": [0.1, 0.2],
          "offset": [0]}]})",
       "v1"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "v2", "bw": 8, "offset": [0]}]})",
       "v2"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "v3", "enc_type": "PER_TENSOR",
          "bw": 8, "scale": [0.1, 0.2], "offset": [0, 0]}]})",
       "v3"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "v4", "bw": 8, "scale": ["a"]}]})",
       "v4"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "v5", "bw": 8, "scale": [0.1],
          "offset": [0.5]}]})",
       "v5"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "v6", "enc_type": "ODD", "bw": 8,
          "scale": [0.1], "offset": [0]}]})",
       "v6"},
      {R"({"version": "1.0.0", "param_encodings": [{"name": "d", "bw": 8, "scale": [0.1],
          "offset": [0]}, {"name": "d", "bw": 8, "scale": [0.1], "offset": [0]}]})",
       "'d'"},
      {R"({"version": "1.0.0", "param_encodings": [{"bw": 8, "scale": [0.1]}]})", "#0"},
      {R"({"version": "1.0.0", "param_encodings": [7]})", "#0"},
      {R"({"version": "1.0.0", "param_encodings": {"x": {}}})", "param_encodings"},
      {R"({"activation_encodings": 3})", "activation_encodings"},
      {R"({"activation_bitwidth": 12, "activation_encodings": {}})", "activation_bitwidth"},
      {R"({"version": 1, "activation_encodings": {}})", "version"},
      {R"({"nothing": {}})", "activation_encodings"},
      {R"([1, 2, 3])", "top level"},
      {R"({"activation_encodings": {"a": {"bitwidth": 8, "min": -1, "max": 1,)", "JSON"},
      {"", "JSON"},
  };
  int i = 0;
  for (const BadCase& c : cases) {
    std::string path = write_temp("bad" + std::to_string(i++) + ".json", c.json);
    auto ov = load_overrides(path);
    ASSERT_FALSE(ov.has_value()) << c.json;
    EXPECT_EQ(ov.error().code, ErrorCode::kBadInput) << c.json << "\n" << ov.error().message;
    EXPECT_NE(ov.error().message.find(path), std::string::npos) << ov.error().message;
    EXPECT_NE(ov.error().message.find(c.mentions), std::string::npos) << c.json << "\n"
                                                                      << ov.error().message;
  }
}

TEST(Overrides, DeeplyNestedValuesAreRejectedWithoutRecursion) {
  const size_t depth = 200000;
  std::string deep = std::string(depth, '[') + std::string(depth, ']');
  for (const std::string& text :
       {R"({"param_encodings": {"w": {"bitwidth": 8, "is_symmetric": )" + deep + "}}}",
        R"({"version": "1.0.0", "param_encodings": [{"name": "v", "scale": )" + deep + "}]}",
        R"({"param_encodings": {"w": )" + deep + "}}"}) {
    auto ov = parse_overrides(text, "deep.json");
    ASSERT_FALSE(ov.has_value());
    EXPECT_EQ(ov.error().code, ErrorCode::kBadInput);
    EXPECT_LT(ov.error().message.size(), 200u) << ov.error().message.substr(0, 200);
  }
}

TEST(Overrides, MissingFileNamesIt) {
  auto ov = load_overrides("/nonexistent/dir/enc.json");
  ASSERT_FALSE(ov.has_value());
  EXPECT_NE(ov.error().message.find("/nonexistent/dir/enc.json"), std::string::npos);
}

TEST(Overrides, GlobalBitwidthsAreEntryDefaults) {
  auto ov = parse_overrides(R"({"activation_bitwidth": 16, "param_bitwidth": 4,
      "activation_encodings": {"a": {"min": -1, "max": 1}},
      "param_encodings": {"p": {"min": -1, "max": 1, "is_symmetric": true}}})",
                            "defaults.json");
  ASSERT_TRUE(ov.has_value()) << ov.error().message;
  EXPECT_EQ(ov->activations.at("a").bitwidth, 16);
  EXPECT_EQ(ov->params.at("p").bitwidth, 4);
  EXPECT_EQ(ov->params.at("p").offset[0], -8);
}

}  // namespace
}  // namespace oqnn::quant
