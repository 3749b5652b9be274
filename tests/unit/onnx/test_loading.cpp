// Loading: malformed and truncated files, opset range, initializer data in raw_data,
// typed fields and external data.
#include <filesystem>
#include <fstream>

#include "model_builder.h"
#include "onnx/model_loader.h"

namespace oqnn::onnx_import::test_util {
namespace {

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// x[1,4] -> MatMul(W[4,3]) -> y: small, but with a weight to check.
ModelBuilder matmul_model(bool typed = false) {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.init_f32("W", {4, 3}, iota_values(12), typed);
  b.node("MatMul", {"x", "W"}, {"y"}, "mm");
  b.output("y");
  return b;
}

using Loading = ImporterTest;

TEST_F(Loading, MalformedBytesAreBadInputNamingTheFile) {
  std::string path = dir_ + "/garbage.onnx";
  write_bytes(path, std::string("\x0a\xff\xff\xff\xff\x0f this is not a protobuf", 30));
  auto g = import_onnx({path, {}, {}, {}, {}});
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find(path), std::string::npos) << g.error().message;
}

TEST_F(Loading, EmptyAndMissingFilesAreBadInput) {
  std::string empty = dir_ + "/empty.onnx";
  write_bytes(empty, "");
  auto g = import_onnx({empty, {}, {}, {}, {}});
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  auto m = import_onnx({dir_ + "/missing.onnx", {}, {}, {}, {}});
  ASSERT_FALSE(m.has_value());
  EXPECT_EQ(m.error().code, ErrorCode::kBadInput);
  EXPECT_NE(m.error().message.find("missing.onnx"), std::string::npos);
}

TEST_F(Loading, EveryTruncationIsAnErrorNotACrash) {
  std::string full = matmul_model().model.SerializeAsString();
  for (size_t cut : {full.size() - 1, full.size() / 2, size_t{3}}) {
    std::string path = dir_ + "/cut.onnx";
    write_bytes(path, full.substr(0, cut));
    auto g = import_onnx({path, {}, {}, {}, {}});
    ASSERT_FALSE(g.has_value()) << "cut at " << cut;
    EXPECT_EQ(g.error().code, ErrorCode::kBadInput) << g.error().message;
    EXPECT_NE(g.error().message.find(path), std::string::npos);
  }
}

TEST_F(Loading, OpsetOutsideSevenToTwentyThreeIsUnsupported) {
  for (int64_t opset : {6, 24}) {
    ModelBuilder b = matmul_model();
    b.model.mutable_opset_import(0)->set_version(opset);
    auto g = import(b);
    ASSERT_FALSE(g.has_value());
    EXPECT_EQ(g.error().code, ErrorCode::kUnsupported);
    EXPECT_NE(g.error().message.find("opset " + std::to_string(opset)), std::string::npos)
        << g.error().message;
  }
  ModelBuilder ok = matmul_model();
  ok.model.mutable_opset_import(0)->set_version(7);
  EXPECT_TRUE(import(ok).has_value());
}

TEST_F(Loading, RawAndTypedWeightsGiveTheSameValues) {
  for (bool typed : {false, true}) {
    auto g = import(matmul_model(typed));
    ASSERT_TRUE(g.has_value()) << g.error().message;
    const ir::Node& fc = node_of(*g, "FullyConnected");
    // MatMul's [k, n] right side becomes FullyConnected's [n, k] weight.
    EXPECT_EQ(g->tensor(fc.inputs[1]).shape, (ir::Shape{3, 4}));
    EXPECT_EQ(g->tensor(fc.inputs[1]).name, "W");
    std::vector<float> w = static_floats(*g, fc.inputs[1]);
    for (int o = 0; o < 3; ++o)
      for (int k = 0; k < 4; ++k) EXPECT_EQ(w[o * 4 + k], static_cast<float>(k * 3 + o));
  }
}

TEST_F(Loading, WrongRawDataSizeIsBadInputNamingTheInitializer) {
  ModelBuilder b = matmul_model();
  b.model.mutable_graph()->mutable_initializer(0)->mutable_raw_data()->resize(7);
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("'W'"), std::string::npos) << g.error().message;
}

// Moves initializer W into `file` at `offset` as ONNX external data.
void make_external(ModelBuilder& b, const std::string& dir, const std::string& file,
                   size_t offset) {
  auto* t = b.model.mutable_graph()->mutable_initializer(0);
  std::string data = std::string(offset, '\0') + t->raw_data();
  write_bytes(dir + "/" + file, data);
  t->clear_raw_data();
  t->set_data_location(::onnx::TensorProto::EXTERNAL);
  auto add = [&](const char* k, const std::string& v) {
    auto* e = t->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", file);
  add("offset", std::to_string(offset));
  add("length", std::to_string(data.size() - offset));
}

TEST_F(Loading, ExternalDataIsReadRelativeToTheModel) {
  for (size_t offset : {size_t{0}, size_t{4096}, size_t{6}}) {  // 6: unaligned
    ModelBuilder b = matmul_model();
    make_external(b, dir_, "weights.bin", offset);
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    std::vector<float> w = static_floats(*g, node_of(*g, "FullyConnected").inputs[1]);
    EXPECT_EQ(w[1], 3.0f);  // W[1][0] after the transpose: element (k=1, n=0) of [4,3]
    EXPECT_EQ(w[4], 1.0f);
  }
}

TEST_F(Loading, ExternalDataErrorsNameTheTensor) {
  ModelBuilder b = matmul_model();
  make_external(b, dir_, "weights.bin", 0);
  auto* e = b.model.mutable_graph()->mutable_initializer(0)->mutable_external_data(2);
  e->set_value("4096");  // length past the end of the file
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("'W'"), std::string::npos) << g.error().message;

  ModelBuilder esc = matmul_model();
  make_external(esc, dir_, "weights.bin", 0);
  esc.model.mutable_graph()->mutable_initializer(0)->mutable_external_data(0)->set_value(
      "../weights.bin");
  auto g2 = import(esc);
  ASSERT_FALSE(g2.has_value());
  EXPECT_EQ(g2.error().code, ErrorCode::kBadInput);

  ModelBuilder missing = matmul_model();
  make_external(missing, dir_, "weights.bin", 0);
  std::filesystem::remove(dir_ + "/weights.bin");
  auto g3 = import(missing);
  ASSERT_FALSE(g3.has_value());
  EXPECT_NE(g3.error().message.find("weights.bin"), std::string::npos) << g3.error().message;
}

TEST_F(Loading, LargeInitializersAreReadFromTheMappingAtAnyAlignment) {
  // Payloads from 64 KiB on are not parsed but viewed in the file (copied when their
  // offset is not aligned for the type); the producer name shifts them through every
  // alignment.
  for (const char* producer : {"", "a", "ab", "abc"}) {
    ModelBuilder b;
    b.model.set_producer_name(producer);
    b.input("x", {1, 256});
    b.init_f32("W", {256, 128}, iota_values(256 * 128, 0.5f));
    b.init_f32("bias", {128}, iota_values(128));
    b.init_f32("k", {1, 128}, iota_values(128, -1.0f));
    b.node("MatMul", {"x", "W"}, {"h"}, "mm");
    b.node("Add", {"h", "bias"}, {"h2"}, "add");
    b.node("Mul", {"h2", "k"}, {"y"}, "mul");
    b.output("y");
    auto g = import(b);
    ASSERT_TRUE(g.has_value()) << g.error().message;
    std::vector<float> w = static_floats(*g, node_of(*g, "FullyConnected").inputs[1]);
    ASSERT_EQ(w.size(), 256u * 128u);
    EXPECT_EQ(w[5 * 256 + 7], 0.5f * (7 * 128 + 5));  // W[k=7][n=5]
    EXPECT_EQ(w.back(), 0.5f * (256 * 128 - 1));
    EXPECT_EQ(static_floats(*g, node_of(*g, "ElementWiseAdd").inputs[1]), iota_values(128));
    EXPECT_EQ(static_floats(*g, node_of(*g, "ElementWiseMultiply").inputs[1]),
              iota_values(128, -1.0f));
    EXPECT_EQ(g->tensor(node_of(*g, "FullyConnected").inputs[1]).name, "W");
    // The loader left W in the file and parsed the small ones.
    auto m = load_model(dir_ + "/model.onnx");
    ASSERT_TRUE(m.has_value()) << m.error().message;
    const auto& inits = m->proto->graph().initializer();
    ASSERT_EQ(inits.size(), 3);
    int viewed = 0;
    for (const auto& t : inits) {
      bool external = t.data_location() == ::onnx::TensorProto::EXTERNAL;
      EXPECT_EQ(external, t.name() == "W") << t.name();
      viewed += external;
    }
    EXPECT_EQ(viewed, 1);
    EXPECT_EQ(m->proto->graph().node_size(), 3);
    EXPECT_EQ(m->proto->producer_name(), producer);
  }
}

TEST_F(Loading, UnknownNodeInputIsBadInput) {
  ModelBuilder b;
  b.input("x", {1, 4});
  b.node("Relu", {"nowhere"}, {"y"}, "r");
  b.output("y");
  auto g = import(b);
  ASSERT_FALSE(g.has_value());
  EXPECT_EQ(g.error().code, ErrorCode::kBadInput);
  EXPECT_NE(g.error().message.find("'nowhere'"), std::string::npos);
}

}  // namespace
}  // namespace oqnn::onnx_import::test_util
