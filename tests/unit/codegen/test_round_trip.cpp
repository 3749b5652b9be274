// graph -> emit -> qnn-model-lib-generator -> load_model_library, and the tool's exit codes.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "codegen/emit.h"
#include "ir/printer.h"
#include "runtime/model_library/model_library.h"
#include "sample_graphs.h"
#include "support/files.h"

namespace oqnn::testing {
namespace {

struct ToolRun {
  int exit_code;
  std::string output;
};

// Runs the tool with `args` (already quoted), `env` prefixed (e.g. "CXX=g++").
ToolRun run_tool(const std::string& args, const std::string& dir, const std::string& env = "") {
  std::string log = join_path(dir, "tool.log");
  std::string cmd = "env " + (env.empty() ? std::string("-u CXX") : env) + " '" +
                    OQNN_LIB_GENERATOR + "' " + args + " > '" + log + "' 2>&1";
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(log)};
}

codegen::EmittedFiles emit(const ir::Graph& g, const std::string& dir, const std::string& stem,
                           const std::string& prefix = "QnnModel") {
  codegen::EmitOptions o;
  o.model_prefix = prefix;
  o.cpp_path = join_path(dir, stem + ".cpp");
  o.command_line = "test";
  o.tool_version = "OpenQNN test";
  auto files = codegen::emit_model(g, o);
  EXPECT_TRUE(files.has_value()) << files.error().message;
  return files.has_value() ? *files : codegen::EmittedFiles{};
}

void expect_round_trip(const std::string& dir, const std::string& env) {
  ir::Graph g = sample_cnn("model");
  auto files = emit(g, dir, "model");
  std::string so = join_path(dir, "model_qnn.so");
  auto run = run_tool("-c '" + files.cpp + "' -b '" + files.bin +
                          "' -t x86_64-linux-clang -l model -o '" + so + "'",
                      dir, env);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto loaded = rt::load_model_library(so);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(ir::print_graph(loaded->graph), ir::print_graph(g));
  for (const ir::Tensor& t : g.tensors) {
    if (!t.is_static()) continue;
    const ir::Tensor& back = loaded->graph.tensor(*loaded->graph.find_tensor(t.name));
    ASSERT_EQ(back.data->size(), t.data->size()) << t.name;
    EXPECT_EQ(std::memcmp(back.data->data(), t.data->data(), t.data->size()), 0) << t.name;
    // Zero copy: the data lies inside the library's own mapping, suitably aligned.
    EXPECT_EQ(reinterpret_cast<uintptr_t>(back.data->data()) % 64, 0u) << t.name;
  }
}

TEST(ModelLibRoundTrip, ClangBuiltLibraryComposesTheSameGraph) {
  expect_round_trip(fresh_dir("rt_clang"), "");
}

TEST(ModelLibRoundTrip, GccBuiltLibraryComposesTheSameGraph) {
  expect_round_trip(fresh_dir("rt_gcc"), "CXX=g++");
}

TEST(ModelLibRoundTrip, ModelWithoutWeightsCustomPrefixAndOutputFolder) {
  ir::Graph g;
  g.name = "relu";
  auto x = g.add_tensor({"x", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kInput, {}, {}});
  auto y = g.add_tensor({"y", ir::DataType::kFloat32, {1, 4}, ir::TensorKind::kOutput, {}, {}});
  g.nodes.push_back({"relu", "Relu", {x}, {y}, {}});
  g.inputs = {x};
  g.outputs = {y};
  std::string dir = fresh_dir("rt_nobin");
  auto files = emit(g, dir, "relu", "ReluNet");
  auto run = run_tool("-c '" + files.cpp + "' -o '" + join_path(dir, "libs") + "'", dir);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::string so = join_path(dir, "libs/x86_64-linux-clang/librelu.so");
  auto loaded = rt::load_model_library(so, "ReluNet");
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  EXPECT_EQ(ir::print_graph(loaded->graph), ir::print_graph(g));
  // The default prefix is not there: an error naming the symbol, not a crash.
  auto wrong = rt::load_model_library(so);
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code, ErrorCode::kBadInput);
  EXPECT_NE(wrong.error().message.find("QnnModel_composeGraphs"), std::string::npos);
}

TEST(ModelLibGeneratorTool, TargetsQnnListsButWeCannotBuildAreUnsupported) {
  std::string dir = fresh_dir("tool_targets");
  auto files = emit(sample_cnn("model"), dir, "model");
  auto run = run_tool("-c '" + files.cpp + "' -t aarch64-android", dir);
  EXPECT_EQ(run.exit_code, 3) << run.output;
  EXPECT_NE(run.output.find("qnn-model-lib-generator: error: target 'aarch64-android' is not "
                            "supported yet"),
            std::string::npos)
      << run.output;
  EXPECT_EQ(run_tool("-c '" + files.cpp + "' -t riscv-foo", dir).exit_code, 2);
  EXPECT_EQ(run_tool("-b '" + files.bin + "'", dir).exit_code, 2);  // -c is required
  EXPECT_EQ(run_tool("-c '" + join_path(dir, "nope.cpp") + "'", dir).exit_code, 1);
}

TEST(ModelLibGeneratorTool, CompilerErrorIsBadInputAndLeavesNothingBehind) {
  std::string dir = fresh_dir("tool_broken");
  std::string cpp = join_path(dir, "broken.cpp");
  ASSERT_TRUE(write_text_atomic(cpp, "int f() { return undeclared_thing; }\n").is_ok());
  std::string out = join_path(dir, "out");
  auto run = run_tool("-c '" + cpp + "' -o '" + out + "'", dir);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("undeclared_thing"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(out));
}

TEST(ModelLibGeneratorTool, SourceAndWeightsThatDisagreeAreBadInput) {
  std::string dir = fresh_dir("tool_mismatch");
  ir::Graph g = sample_cnn("model");
  auto files = emit(g, dir, "model");
  // Weights of a different model: same member names, one tensor a different size.
  ir::Graph other = sample_cnn("model");
  auto id = *other.find_tensor("conv1_weight");
  other.tensor(id).shape = {2};
  other.tensor(id).data = make_owned_blob(std::vector<std::byte>(8));
  std::string other_dir = join_path(dir, "other");
  std::filesystem::create_directories(other_dir);
  auto other_files = emit(other, other_dir, "model");
  std::string so = join_path(dir, "model.so");
  auto run = run_tool("-c '" + files.cpp + "' -b '" + other_files.bin + "' -o '" + so + "'", dir);
  EXPECT_EQ(run.exit_code, 1) << run.output;
  EXPECT_NE(run.output.find("conv1_weight"), std::string::npos) << run.output;
  EXPECT_FALSE(std::filesystem::exists(so));
}

TEST(ModelLibLoad, RejectsFilesThatAreNotModelLibraries) {
  auto r = rt::load_model_library(OQNN_NO_ENTRY_LIBRARY);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().message.find(OQNN_NO_ENTRY_LIBRARY), std::string::npos);
  EXPECT_NE(r.error().message.find("QnnModel_composeGraphs"), std::string::npos);

  std::string dir = fresh_dir("load_bad");
  std::string text = join_path(dir, "libfake.so");
  ASSERT_TRUE(write_text_atomic(text, "not an ELF file\n").is_ok());
  r = rt::load_model_library(text);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_NE(r.error().message.find(text), std::string::npos);
  EXPECT_EQ(rt::load_model_library(join_path(dir, "missing.so")).error().code,
            ErrorCode::kBadInput);
}

}  // namespace
}  // namespace oqnn::testing
