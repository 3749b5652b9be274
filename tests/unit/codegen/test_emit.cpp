#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "codegen/emit.h"
#include "runtime/model_library/model_library.h"
#include "sample_graphs.h"
#include "support/files.h"

namespace oqnn::testing {
namespace {

codegen::EmitOptions options(const std::string& cpp) {
  codegen::EmitOptions o;
  o.cpp_path = cpp;
  o.command_line = "qnn-onnx-converter --input_network m.onnx --output_path " + cpp;
  o.flags = {{"output_path", cpp}, {"input_network", "m.onnx"}};
  o.tool_version = "OpenQNN 0.1.0";
  o.copyright = "Copyright (c) test */ evil\nline two\n";
  return o;
}

std::string shell_output(const std::string& cmd, const std::string& dir) {
  std::string out = join_path(dir, "shell.txt");
  int rc = std::system((cmd + " > '" + out + "' 2>&1").c_str());
  EXPECT_EQ(rc, 0) << cmd << "\n" << read_file(out);
  return read_file(out);
}

TEST(CodegenEmit, SameGraphTwiceGivesIdenticalBytes) {
  std::string dir = fresh_dir("twice");
  std::string cpp = join_path(dir, "model.cpp");
  ir::Graph g = sample_cnn("model");
  auto first = codegen::emit_model(g, options(cpp));
  ASSERT_TRUE(first.has_value()) << first.error().message;
  std::string cpp1 = read_file(first->cpp), bin1 = read_file(first->bin),
              json1 = read_file(first->net_json);
  auto second = codegen::emit_model(sample_cnn("model"), options(cpp));
  ASSERT_TRUE(second.has_value()) << second.error().message;
  EXPECT_EQ(first->bin, join_path(dir, "model.bin"));
  EXPECT_EQ(first->net_json, join_path(dir, "model_net.json"));
  EXPECT_EQ(read_file(second->cpp), cpp1);
  EXPECT_EQ(read_file(second->bin), bin1);
  EXPECT_EQ(read_file(second->net_json), json1);
  // No temp files are left beside the outputs.
  size_t files = 0;
  for (auto& e : std::filesystem::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 3u);
}

TEST(CodegenEmit, SourceHasHeaderAndNoWeightArrays) {
  std::string dir = fresh_dir("source");
  auto files = codegen::emit_model(sample_cnn("model"), options(join_path(dir, "model.cpp")));
  ASSERT_TRUE(files.has_value()) << files.error().message;
  std::string src = read_file(files->cpp);
  EXPECT_NE(src.find("OpenQNN 0.1.0"), std::string::npos);
  EXPECT_NE(src.find("--input_network m.onnx"), std::string::npos);
  // Flags are sorted: input_network before output_path.
  EXPECT_LT(src.find(" *   input_network=m.onnx"), src.find(" *   output_path="));
  EXPECT_NE(src.find("Copyright (c) test *\\/ evil"), std::string::npos);
  EXPECT_NE(src.find("extern \"C\" __attribute__((visibility(\"default\"))) int "
                     "QnnModel_composeGraphs(const OqnnModelApi* api)"),
            std::string::npos);
  EXPECT_NE(src.find("QnnModel_freeGraphsInfo(void) { return 0; }"), std::string::npos);
  EXPECT_NE(src.find("#include \"oqnn/model_api.h\""), std::string::npos);
  EXPECT_EQ(src.find("#include <"), std::string::npos);
  EXPECT_NE(src.find("\"we\\\"ird\\\\name\\?\\?/\\n\""), std::string::npos);
  EXPECT_NE(src.find(".data_member = \"conv1_weight.raw\""), std::string::npos);
  EXPECT_NE(src.find(".data_member = \"conv1_weight_1.raw\""), std::string::npos);
  // The weights live in X.bin: no float of the conv weight appears in the source.
  EXPECT_EQ(src.find("static const float"), std::string::npos);
}

TEST(CodegenEmit, TarListsEveryMemberIncludingALongPaxName) {
  std::string dir = fresh_dir("tar");
  auto files = codegen::emit_model(sample_cnn("model"), options(join_path(dir, "model.cpp")));
  ASSERT_TRUE(files.has_value()) << files.error().message;
  std::string long_member = std::string(150, 'w') + "_fc_weight.raw";
  std::string listing = shell_output("/usr/bin/tar tvf '" + files->bin + "'", dir);
  for (const std::string& m : {std::string("conv1_weight.raw"), std::string("conv1_weight_1.raw"),
                               std::string("onnx__Conv_192.raw"), long_member})
    EXPECT_NE(listing.find(m), std::string::npos) << m << " missing from:\n" << listing;
  EXPECT_NE(listing.find("-rw-r--r-- 0/0"), std::string::npos) << listing;
  EXPECT_NE(listing.find("1970-01-01"), std::string::npos) << listing;
  EXPECT_EQ(listing.find("PaxHeaders"), std::string::npos) << listing;

  // tar extracts exactly the bytes the graph holds, and our own index agrees.
  ir::Graph g = sample_cnn("model");
  const ir::Tensor& fc_w = g.tensor(*g.find_tensor(std::string(150, 'w') + ".fc/weight"));
  std::string expected(reinterpret_cast<const char*>(fc_w.data->data()), fc_w.data->size());
  EXPECT_EQ(shell_output("/usr/bin/tar xOf '" + files->bin + "' " + long_member, dir), expected);
  auto blob = map_file(files->bin);
  ASSERT_TRUE(blob.has_value());
  auto index = rt::index_ustar((*blob)->span(), files->bin);
  ASSERT_TRUE(index.has_value()) << index.error().message;
  EXPECT_EQ(index->size(), 4u);
  auto [offset, size] = index->at(long_member);
  EXPECT_EQ(offset % 512, 0u);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>((*blob)->data() + offset), size), expected);
}

TEST(CodegenEmit, NetJsonDescribesGraph) {
  std::string dir = fresh_dir("json");
  auto files = codegen::emit_model(sample_cnn("model"), options(join_path(dir, "model.cpp")));
  ASSERT_TRUE(files.has_value()) << files.error().message;
  auto j = nlohmann::json::parse(read_file(files->net_json));
  EXPECT_EQ(j["model.cpp"], files->cpp);
  EXPECT_EQ(j["model.bin"], files->bin);
  EXPECT_EQ(j["copyright_str"], "Copyright (c) test */ evil\nline two\n");
  EXPECT_EQ(j["op_types"], nlohmann::json({"Conv2d", "DepthWiseConv2d", "FullyConnected",
                                           "PoolAvg2d", "Reshape", "Softmax"}));
  EXPECT_EQ(j["Total parameters"], 108 + 4 + 36 + 20);
  // conv: 8*8*4 outputs x 3*3*3; depthwise: 4*4*4 x 3*3; FC: 5 x 4.
  uint64_t conv = 256 * 27, dw = 64 * 9, fc = 20;
  EXPECT_EQ(j["Total MACs per inference"], conv + dw + fc);
  EXPECT_EQ(j["graph"]["nodes"]["conv1"]["macs_per_inference"], conv);
  EXPECT_EQ(j["graph"]["nodes"]["conv1"]["tensor_params"]["stride"], nlohmann::json({1, 1}));
  EXPECT_EQ(j["graph"]["nodes"]["conv1"]["scalar_params"]["fused_activation"], "clip");
  EXPECT_EQ(j["graph"]["nodes"]["fc"]["input_names"][2], "");
  auto& w = j["graph"]["tensors"]["conv1.weight"];
  EXPECT_EQ(w["dims"], nlohmann::json({3, 3, 3, 4}));
  EXPECT_EQ(w["quant_params"]["axis_scale_offset"]["axis"], 3);
  EXPECT_EQ(w["quant_params"]["axis_scale_offset"]["num_scale_offsets"], 4);
  EXPECT_EQ(j["graph"]["tensors"]["input"]["quant_params"]["scale_offset"]["offset"], -128);
  EXPECT_EQ(j["io"]["inputs"][0]["layout"], "NHWC");
  EXPECT_EQ(j["io"]["outputs"][0]["name"], "prob");
  EXPECT_EQ(j["io"]["outputs"][0]["layout"], "NF");
  EXPECT_EQ(j["io"]["outputs"][1]["layout"], "as given");
}

TEST(CodegenEmit, NoStaticTensorsGiveAnEmptyArchive) {
  // Scripts pass `-b X.bin` to qnn-model-lib-generator for every model: X.bin exists, an
  // empty ustar archive (two zero blocks).
  ir::Graph g;
  auto x = g.add_tensor({"x", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kInput, {}, {}});
  auto y = g.add_tensor({"y", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kOutput, {}, {}});
  g.nodes.push_back({"relu", "Relu", {x}, {y}, {}});
  g.inputs = {x};
  g.outputs = {y};
  std::string dir = fresh_dir("nobin");
  auto files = codegen::emit_model(g, options(join_path(dir, "relu.cpp")));
  ASSERT_TRUE(files.has_value()) << files.error().message;
  EXPECT_EQ(files->bin, join_path(dir, "relu.bin"));
  std::ifstream bin(files->bin, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(bin)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, std::string(1024, '\0'));
  EXPECT_TRUE(file_exists(join_path(dir, "relu_net.json")));
}

TEST(CodegenEmit, ExcludeNamedTensorsKeepsIoNames) {
  std::string dir = fresh_dir("exclude");
  auto o = options(join_path(dir, "model.cpp"));
  o.exclude_named_tensors = true;
  auto files = codegen::emit_model(sample_cnn("model"), o);
  ASSERT_TRUE(files.has_value()) << files.error().message;
  std::string src = read_file(files->cpp);
  EXPECT_EQ(src.find("conv1.weight"), std::string::npos);
  EXPECT_NE(src.find("\"input\""), std::string::npos);
  EXPECT_NE(src.find("\"prob\""), std::string::npos);
  EXPECT_NE(src.find("t.name = \"_0\";"), std::string::npos);
}

TEST(CodegenEmit, RejectsBadInputWithoutWritingAnything) {
  std::string dir = fresh_dir("bad");
  ir::Graph g = sample_cnn("model");
  auto o = options(join_path(dir, "model.cpp"));
  o.model_prefix = "not an identifier";
  auto r = codegen::emit_model(g, o);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUsage);

  g.tensor(*g.find_tensor("conv1.weight")).data = make_owned_blob(std::vector<std::byte>(7));
  r = codegen::emit_model(g, options(join_path(dir, "model.cpp")));
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("conv1.weight"), std::string::npos) << r.error().message;
  EXPECT_TRUE(std::filesystem::is_empty(dir));

  r = codegen::emit_model(sample_cnn("model"), options(join_path(dir, "missing/model.cpp")));
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(std::filesystem::is_empty(dir));
}

}  // namespace
}  // namespace oqnn::testing
