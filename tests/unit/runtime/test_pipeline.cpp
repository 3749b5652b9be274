// The commands' library calls end to end, in-process: a hand-written model library
// (out = Relu(a + b)) on the fake float backend.
#include <gtest/gtest.h>

#include <filesystem>

#include "runtime/context_binary.h"
#include "runtime/context_generator.h"
#include "runtime/net_runner.h"
#include "runtime/quant_completion.h"
#include "test_util.h"

namespace oqnn::rt {
namespace {

namespace fs = std::filesystem;
using test::contains;

const std::string kFixtures = OQNN_TEST_FIXTURE_DIR;
const std::string kFake = kFixtures + "/liboqnn_test_fake_backend.so";
const std::string kModel = kFixtures + "/liboqnn_test_tiny_model.so";

std::vector<float> ramp(float start) {
  std::vector<float> v(12);
  for (int i = 0; i < 12; ++i) v[i] = start + static_cast<float>(i);
  return v;
}

// Two samples: line 1 positional, line 2 by (original) name in the other order.
struct Inputs {
  test::TempDir dir;
  std::string list;
  Inputs() {
    test::write_floats(dir.file("a0.raw"), ramp(-6));
    test::write_floats(dir.file("b0.raw"), ramp(0));
    test::write_floats(dir.file("a1.raw"), ramp(-20));
    test::write_floats(dir.file("b1.raw"), ramp(1));
    list = dir.file("list.txt");
    test::write_text(list, dir.file("a0.raw") + " " + dir.file("b0.raw") + "\n\n" + "in/b:=" +
                               dir.file("b1.raw") + " in:a:=" + dir.file("a1.raw") + "\n");
  }
};

std::vector<float> expected(float a0, float b0) {
  auto a = ramp(a0), b = ramp(b0);
  std::vector<float> y(12);
  for (int i = 0; i < 12; ++i) y[i] = std::max(a[i] + b[i], 0.0f);
  return y;
}

NetRunOptions run_options(const Inputs& in, const std::string& out_dir) {
  NetRunOptions o;
  o.model_path = kModel;
  o.backend = kFake;
  o.input_list = in.list;
  o.output_dir = out_dir;
  return o;
}

TEST(NetRun, WritesOneResultFolderPerLineUnderSanitizedNames) {
  Inputs in;
  test::TempDir out;
  OutputGuard guard;
  auto r = run_network(run_options(in, out.path()), guard);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  guard.keep();
  EXPECT_EQ(r->inferences, 2);
  EXPECT_EQ(test::read_floats(out.file("Result_0/out_0.raw")), expected(-6, 0));
  EXPECT_EQ(test::read_floats(out.file("Result_1/out_0.raw")), expected(-20, 1));
  EXPECT_FALSE(fs::exists(out.file("Result_0/sum.raw")));
  EXPECT_FALSE(fs::exists(out.file(kProfilingLogName)));
}

// --output_data_type: float_only (the default), native_only, float_and_native.
TEST(NetRun, OutputDataTypeChoosesTheFilesWritten) {
  Inputs in;
  struct Case {
    bool float_out, native_out;
  };
  for (const Case& c : {Case{false, true}, Case{true, true}}) {
    test::TempDir out;
    NetRunOptions o = run_options(in, out.path());
    o.float_outputs = c.float_out;
    o.native_outputs = c.native_out;
    OutputGuard guard;
    auto r = run_network(o, guard);
    ASSERT_TRUE(r.has_value()) << r.error().message;
    guard.keep();
    EXPECT_EQ(fs::exists(out.file("Result_0/out_0.raw")), c.float_out);
    EXPECT_TRUE(fs::exists(out.file("Result_0/out_0_native.raw")));
    EXPECT_EQ(test::read_floats(out.file("Result_0/out_0_native.raw")), expected(-6, 0));
  }
}

TEST(NetRun, DebugDumpsIntermediatesAndProfilingRecordsNodes) {
  Inputs in;
  test::TempDir out;
  NetRunOptions o = run_options(in, out.path());
  o.debug = true;
  o.profiling = ProfilingLevel::kDetailed;
  OutputGuard guard;
  auto r = run_network(o, guard);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  guard.keep();
  auto sum = test::read_floats(out.file("Result_1/sum.raw"));
  ASSERT_EQ(sum.size(), 12u);
  EXPECT_FLOAT_EQ(sum[0], -20.0f + 1.0f);
  auto log = read_profile_log(out.file(kProfilingLogName));
  ASSERT_TRUE(log.has_value()) << log.error().message;
  EXPECT_EQ(log->backend, "fake");
  EXPECT_EQ(log->graph, "tiny");
  ASSERT_EQ(log->inferences.size(), 2u);
  ASSERT_EQ(log->inferences[0].nodes.size(), 2u);
  EXPECT_EQ(log->inferences[0].nodes[1].op, "Relu");
  std::vector<std::string> stages;
  for (const auto& s : log->stages) stages.push_back(s.name);
  EXPECT_EQ(stages, (std::vector<std::string>{"init", "compose", "finalize", "de-init"}));
}

TEST(NetRun, NumInferencesRepeatsTheListAndKeepLimitsOutputs) {
  Inputs in;
  test::TempDir out;
  NetRunOptions o = run_options(in, out.path());
  o.num_inferences = 5;
  o.keep_num_outputs = 3;
  o.profiling = ProfilingLevel::kBasic;
  size_t progress_calls = 0;
  o.progress = [&](size_t done, size_t total) {
    ++progress_calls;
    EXPECT_EQ(total, 5u);
    EXPECT_EQ(done, progress_calls);
  };
  OutputGuard guard;
  auto r = run_network(o, guard);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  guard.keep();
  EXPECT_EQ(progress_calls, 5u);
  EXPECT_EQ(test::read_floats(out.file("Result_2/out_0.raw")), expected(-6, 0));
  EXPECT_FALSE(fs::exists(out.file("Result_3")));
  auto log = read_profile_log(out.file(kProfilingLogName));
  ASSERT_TRUE(log.has_value());
  EXPECT_EQ(log->inferences.size(), 5u);
  EXPECT_TRUE(log->inferences[0].nodes.empty());
}

TEST(NetRun, FailureLeavesNoOutputBehind) {
  Inputs in;
  test::write_floats(in.dir.file("b1.raw"), std::vector<float>(11));  // wrong size on line 3
  test::TempDir parent;
  std::string out = parent.file("fresh/output");
  {
    OutputGuard guard;
    auto r = run_network(run_options(in, out), guard);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
    EXPECT_TRUE(contains(r.error().message, "b1.raw")) << r.error().message;
    EXPECT_TRUE(contains(r.error().message, "'in/b'")) << r.error().message;
    EXPECT_TRUE(fs::exists(out + "/Result_0/out_0.raw"));  // written before the failure
  }
  EXPECT_FALSE(fs::exists(parent.file("fresh")));  // the guard removed what it made
}

TEST(NetRun, UnknownNativeInputNameIsAUsageError) {
  Inputs in;
  test::TempDir out;
  NetRunOptions o = run_options(in, out.path());
  o.native_input_names = {"in_c"};
  OutputGuard guard;
  auto r = run_network(o, guard);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kUsage);
  EXPECT_TRUE(contains(r.error().message, "'in_c'"));
  // Native float32 inputs of a float plan read the same bytes.
  o.native_input_names = {"in_a", "in/b"};
  auto ok = run_network(o, guard);
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
}

TEST(ContextBinary, GeneratedThenRetrievedGivesTheSameOutputs) {
  Inputs in;
  test::TempDir out;
  ContextGenOptions g;
  g.model_path = kModel;
  g.backend = kFake;
  g.output_dir = out.file("ctx");
  g.optimization_level = "high";
  OutputGuard guard;
  auto gen = generate_context_binary(g, guard);
  ASSERT_TRUE(gen.has_value()) << gen.error().message;
  EXPECT_EQ(gen->binary_path, out.file("ctx/fake_context.bin"));

  auto ctx = read_context_binary(gen->binary_path);
  ASSERT_TRUE(ctx.has_value()) << ctx.error().message;
  EXPECT_EQ(ctx->info.backend_name, "fake");
  EXPECT_EQ(ctx->info.graph_name, "tiny");
  ASSERT_EQ(ctx->info.inputs.size(), 2u);
  EXPECT_EQ(ctx->info.inputs[0].name, "in:a");
  EXPECT_EQ(ctx->info.inputs[0].layout, "NHWC");
  EXPECT_EQ(ctx->info.attributes.at("generator.optimization_level"), "high");
  EXPECT_EQ(ctx->info.attributes.at("generator.model_library"), "liboqnn_test_tiny_model.so");

  NetRunOptions o = run_options(in, out.file("from_ctx"));
  o.model_path.clear();
  o.context_path = gen->binary_path;
  o.profiling = ProfilingLevel::kBasic;
  auto r = run_network(o, guard);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  guard.keep();
  EXPECT_EQ(test::read_floats(out.file("from_ctx/Result_1/out_0.raw")), expected(-20, 1));
  auto log = read_profile_log(out.file("from_ctx/" + std::string(kProfilingLogName)));
  ASSERT_TRUE(log.has_value());
  ASSERT_GE(log->stages.size(), 3u);
  EXPECT_EQ(log->stages[1].name, "load");
  EXPECT_EQ(log->stages[2].name, "deserialize");

  // Same command, same bytes.
  g.binary_file = "again";
  auto gen2 = generate_context_binary(g, guard);
  ASSERT_TRUE(gen2.has_value());
  auto a = map_file(gen->binary_path), b = map_file(gen2->binary_path);
  ASSERT_EQ((*a)->size(), (*b)->size());
  EXPECT_EQ(std::memcmp((*a)->data(), (*b)->data(), (*a)->size()), 0);
}

TEST(ContextBinary, BackendMismatchNamesBoth) {
  Inputs in;
  test::TempDir out;
  ContextInfo info;
  info.backend_id = 3;
  info.backend_name = "htp";
  info.graph_name = "tiny";
  std::vector<std::byte> plan(16);
  ASSERT_TRUE(write_context_binary(out.file("htp_context.bin"), info, plan).is_ok());
  NetRunOptions o = run_options(in, out.file("o"));
  o.model_path.clear();
  o.context_path = out.file("htp_context.bin");
  OutputGuard guard;
  auto r = run_network(o, guard);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(r.error().message, "htp")) << r.error().message;
  EXPECT_TRUE(contains(r.error().message, "fake")) << r.error().message;
}

TEST(ContextGenerator, MissingModelIsBadInputNamingIt) {
  test::TempDir out;
  ContextGenOptions g;
  g.model_path = out.file("libnope.so");
  g.backend = kFake;
  g.output_dir = out.file("o");
  OutputGuard guard;
  auto r = generate_context_binary(g, guard);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(r.error().message, "libnope.so"));
}

// add(a, b) -> relu: `a` carries an encoding, `sum` is deliberately float.
ir::Graph partly_quantized() {
  ir::Graph g;
  g.name = "pq";
  ir::Shape s{1, 12};
  auto a = g.add_tensor({"a",
                         ir::DataType::kFloat32,
                         s,
                         ir::TensorKind::kInput,
                         {},
                         ir::Encoding{8, false, false, -1, {0.1}, {-100}}});
  auto b = g.add_tensor({"b", ir::DataType::kFloat32, s, ir::TensorKind::kInput, {}, {}});
  auto sum =
      g.add_tensor({"sum", ir::DataType::kFloat32, s, ir::TensorKind::kIntermediate, {}, {}});
  auto out = g.add_tensor({"out", ir::DataType::kFloat32, s, ir::TensorKind::kOutput, {}, {}});
  g.nodes.push_back({"add", "ElementWiseAdd", {a, b}, {sum}, {}});
  g.nodes.push_back({"relu", "Relu", {sum}, {out}, {}});
  g.inputs = {a, b};
  g.outputs = {out};
  g.attributes["float_fallback.sum"] = "32";
  return g;
}

TEST(QuantCompletion, FillsOnlyMissingEncodingsFromTheInputList) {
  Inputs in;
  test::write_text(in.dir.file("pq.txt"),
                   "a:=" + in.dir.file("a0.raw") + " b:=" + in.dir.file("b0.raw") + "\n" +
                       in.dir.file("a1.raw") + " " + in.dir.file("b1.raw") + "\n");
  ir::Graph g = partly_quantized();
  EXPECT_EQ(tensors_missing_encodings(g), (std::vector<std::string>{"b", "out"}));
  auto list = read_input_list(in.dir.file("pq.txt"));
  ASSERT_TRUE(list.has_value());
  Status s = complete_quantization(g, *list);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  EXPECT_TRUE(tensors_missing_encodings(g).empty());
  EXPECT_EQ(g.tensor(0).encoding->offset[0], -100);  // kept as it was
  EXPECT_FALSE(g.tensor(2).encoding.has_value());    // float fallback stays float
  const ir::Encoding& b = *g.tensor(1).encoding;     // b ranges over [0, 12] in the samples
  EXPECT_LE(b.min(), 0.0);
  EXPECT_GE(b.max(), 12.0 - 1e-3);
  const ir::Encoding& o = *g.tensor(3).encoding;
  EXPECT_GE(o.max(), 16.0 - 1e-2);  // largest output: a0[11] + b0[11] = 5 + 11
}

TEST(QuantCompletion, BadSampleSizeNamesTheFile) {
  Inputs in;
  test::write_floats(in.dir.file("short.raw"), std::vector<float>(3));
  test::write_text(in.dir.file("pq.txt"), in.dir.file("short.raw") + " " + in.dir.file("b0.raw"));
  ir::Graph g = partly_quantized();
  auto list = read_input_list(in.dir.file("pq.txt"));
  ASSERT_TRUE(list.has_value());
  Status s = complete_quantization(g, *list);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  EXPECT_TRUE(contains(s.error().message, "short.raw"));
}

}  // namespace
}  // namespace oqnn::rt
