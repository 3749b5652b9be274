// The GPU plan as a whole: a multi-op graph against the reference, execute options,
// serialization round trips, malformed plan bytes, and the capability check.
#include <gtest/gtest.h>

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <random>

#include "backends/gpu/buffer_plan.h"
#include "backends/gpu/gpu_plan.h"
#include "backends/gpu/half.h"
#include "backends/gpu/plan_format.h"
#include "gpu_test_util.h"
#include "ir/serialize.h"

namespace oqnn::gpu::testing {
namespace {

using Ints = std::vector<int64_t>;

ir::TensorId add_weight(ir::Graph& g, const std::string& name, ir::Shape shape, std::mt19937& rng,
                        float scale) {
  std::uniform_real_distribution<float> d(-scale, scale);
  std::vector<float> v(static_cast<size_t>(ir::num_elements(shape)));
  for (float& x : v) x = d(rng);
  return g.add_static(name, ir::DataType::kFloat32, shape,
                      make_owned_blob(v.data(), v.size() * sizeof(float)));
}

ir::TensorId add_node(ir::Graph& g, const std::string& op, std::vector<ir::TensorId> in,
                      ir::Shape out_shape, ir::Params p = {}, bool is_output = false) {
  std::string name = "n" + std::to_string(g.nodes.size()) + "_" + op;
  ir::TensorId out =
      g.add_tensor({name + "_out",
                    ir::DataType::kFloat32,
                    std::move(out_shape),
                    is_output ? ir::TensorKind::kOutput : ir::TensorKind::kIntermediate,
                    {},
                    {}});
  g.nodes.push_back({name, op, std::move(in), {out}, std::move(p)});
  if (is_output) g.outputs.push_back(out);
  return out;
}

// conv → maxpool → (1x1 conv, 3x3 dwconv) → add → reshape/transpose → mean → fc → softmax,
// with a second output taken from the middle.
ir::Graph small_net() {
  std::mt19937 rng(3);
  ir::Graph g;
  g.name = "small_net";
  ir::TensorId x = g.add_tensor(
      {"image", ir::DataType::kFloat32, {1, 16, 16, 3}, ir::TensorKind::kInput, {}, {}});
  g.inputs.push_back(x);
  ir::Params conv;
  conv.set("stride", Ints{2, 2});
  conv.set("pad_amount", Ints{1, 1, 1, 1});
  conv.set("fused_activation", std::string("relu"));
  ir::TensorId c1 = add_node(
      g, "Conv2d",
      {x, add_weight(g, "w1", {3, 3, 3, 8}, rng, 0.4f), add_weight(g, "b1", {8}, rng, 0.1f)},
      {1, 8, 8, 8}, conv);
  ir::Params pool;
  pool.set("filter_size", Ints{2, 2});
  pool.set("stride", Ints{2, 2});
  ir::TensorId p1 = add_node(g, "PoolMax2d", {c1}, {1, 4, 4, 8}, pool);
  ir::TensorId c2 =
      add_node(g, "Conv2d", {p1, add_weight(g, "w2", {1, 1, 8, 8}, rng, 0.4f)}, {1, 4, 4, 8});
  ir::Params dw;
  dw.set("pad_amount", Ints{1, 1, 1, 1});
  ir::TensorId d1 = add_node(g, "DepthWiseConv2d",
                             {p1, add_weight(g, "w3", {3, 3, 1, 8}, rng, 0.4f)}, {1, 4, 4, 8}, dw);
  ir::TensorId s1 = add_node(g, "ElementWiseAdd", {c2, d1}, {1, 4, 4, 8}, {}, true);
  ir::Params rs;
  rs.set("shape", Ints{1, 16, 8});
  ir::TensorId r1 = add_node(g, "Reshape", {s1}, {1, 16, 8}, rs);
  ir::Params tp;
  tp.set("perm", Ints{0, 2, 1});
  ir::TensorId t1 = add_node(g, "Transpose", {r1}, {1, 8, 16}, tp);
  ir::Params mean;
  mean.set("axes", Ints{2});
  mean.set("keep_dims", int64_t{0});
  ir::TensorId m1 = add_node(g, "ReduceMean", {t1}, {1, 8}, mean);
  ir::TensorId f1 = add_node(
      g, "FullyConnected",
      {m1, add_weight(g, "wf", {5, 8}, rng, 0.5f), add_weight(g, "bf", {5}, rng, 0.1f)}, {1, 5});
  add_node(g, "Softmax", {f1}, {1, 5}, {}, true);
  return g;
}

// Rewrites the trailing checksum after a deliberate edit, so the edit reaches the parser.
void reseal(std::vector<std::byte>& b) {
  uint64_t h = XXH64(b.data(), b.size() - 8, 0);
  std::memcpy(b.data() + b.size() - 8, &h, 8);
}

struct Fixture : ::testing::Test {
  void SetUp() override {
    std::string why;
    backend = open_backend("{}", &why);
    if (!backend) GTEST_SKIP() << "no OpenCL device: " << why;
  }
  // `plan` serialized and loaded again, as from a context binary.
  Expected<std::unique_ptr<rt::PlanImpl>> reload(const rt::PlanImpl& plan) {
    auto bytes = plan.serialize();
    if (!bytes) return bytes.error();
    return backend->deserialize(make_owned_blob(std::move(*bytes)));
  }
  std::unique_ptr<GpuBackend> backend;
};

using GpuPlanTest = Fixture;

TEST_F(GpuPlanTest, SmallNetMatchesReference) {
  ir::Graph g = small_net();
  auto inputs = random_inputs(g, 5);
  Tensors want, got;
  ASSERT_TRUE(run_reference(g, inputs, &want).is_ok());
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Status s = run_plan(**plan, inputs, &got);
  ASSERT_TRUE(s.is_ok()) << s.error().message;
  ASSERT_EQ(got.size(), 2u);
  for (size_t i = 0; i < got.size(); ++i) EXPECT_LE(relative_error(got[i], want[i]), 1e-2) << i;
}

// Weights and biases that are graph inputs rather than static tensors: the plan widens
// them to float32 with to_float launches before the Conv2d / FullyConnected kernels read
// them (with and without the transform optimization, which picks gemm_nn or fc_nt).
TEST_F(GpuPlanTest, ComputedWeightsMatchReference) {
  ir::Graph g;
  g.name = "computed_weights";
  auto input = [&](const std::string& name, ir::Shape shape) {
    ir::TensorId t = g.add_tensor(
        {name, ir::DataType::kFloat32, std::move(shape), ir::TensorKind::kInput, {}, {}});
    g.inputs.push_back(t);
    return t;
  };
  ir::TensorId x = input("x", {1, 6, 6, 4});
  ir::TensorId w = input("w", {3, 3, 4, 8});
  ir::TensorId b = input("b", {8});
  ir::TensorId wf = input("wf", {3, 128});
  ir::Params conv;
  conv.set("pad_amount", Ints{0, 0, 0, 0});
  ir::TensorId c = add_node(g, "Conv2d", {x, w, b}, {1, 4, 4, 8}, conv);
  ir::Params rs;
  rs.set("shape", Ints{1, 128});
  ir::TensorId r = add_node(g, "Reshape", {c}, {1, 128}, rs);
  add_node(g, "FullyConnected", {r, wf}, {1, 3}, {}, true);
  auto inputs = random_inputs(g, 11);
  Tensors want;
  ASSERT_TRUE(run_reference(g, inputs, &want).is_ok());
  for (const char* cfg : {"{}", R"({"enable_transform_optimization": false})"}) {
    std::string why;
    auto be = open_backend(cfg, &why);
    ASSERT_TRUE(be) << why;
    auto plan = be->finalize(g);
    ASSERT_TRUE(plan.has_value()) << plan.error().message;
    Tensors got;
    Status st = run_plan(**plan, inputs, &got);
    ASSERT_TRUE(st.is_ok()) << st.error().message;
    ASSERT_EQ(got.size(), 1u);
    EXPECT_LE(relative_error(got[0], want[0]), 1e-2) << cfg;
  }
}

// As in QNN, the precision mode applies to intermediate tensors only: graph inputs and
// outputs stay float32, so a node between them computes exactly what float arithmetic
// gives, while an intermediate in between is rounded to fp16.
TEST_F(GpuPlanTest, GraphInputsAndOutputsStayFloat32) {
  ir::Graph g;
  g.name = "io_float";
  auto input = [&](const std::string& name) {
    ir::TensorId t =
        g.add_tensor({name, ir::DataType::kFloat32, {1, 300}, ir::TensorKind::kInput, {}, {}});
    g.inputs.push_back(t);
    return t;
  };
  ir::TensorId x = input("x"), y = input("y");
  ir::TensorId direct = add_node(g, "ElementWiseAdd", {x, y}, {1, 300}, {}, true);
  ir::TensorId mid = add_node(g, "ElementWiseMultiply", {x, y}, {1, 300});
  add_node(g, "ElementWiseAdd", {mid, x}, {1, 300}, {}, true);
  ASSERT_TRUE(direct >= 0);
  auto inputs = random_inputs(g, 21);
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Tensors got;
  ASSERT_TRUE(run_plan(**plan, inputs, &got).is_ok());
  ASSERT_EQ(got.size(), 2u);
  size_t inexact_fp16 = 0, rounded = 0;
  for (size_t i = 0; i < 300; ++i) {
    const float xv = inputs[0][i], yv = inputs[1][i];
    EXPECT_EQ(got[0][i], xv + yv) << i;  // float32 in, float32 out: exact
    const float prod = xv * yv;
    uint16_t h = 0;
    floats_to_halves(&prod, &h, 1);
    float prod16 = 0;
    halves_to_floats(&h, &prod16, 1);
    inexact_fp16 += prod16 != prod;
    EXPECT_EQ(got[1][i], prod16 + xv) << i;  // the intermediate is stored as fp16
    rounded += got[1][i] != prod + xv;
  }
  EXPECT_GT(inexact_fp16, 0u);
  EXPECT_GT(rounded, 0u);
}

TEST_F(GpuPlanTest, ExecuteOptionsReportEveryNodeAndTensor) {
  ir::Graph g = small_net();
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  struct Seen {
    std::vector<std::string> nodes, tensors;
    std::vector<std::vector<float>> values;
  } seen;
  OqnnExecuteOptions opts{};
  opts.user = &seen;
  opts.on_node_time = [](void* u, const char* node, const char*, uint64_t) {
    static_cast<Seen*>(u)->nodes.push_back(node);
  };
  opts.on_tensor = [](void* u, const OqnnTensorView* t) {
    auto* s = static_cast<Seen*>(u);
    s->tensors.push_back(t->name);
    EXPECT_EQ(t->dtype, static_cast<int32_t>(ir::DataType::kFloat32));
    const float* f = static_cast<const float*>(t->data);
    s->values.emplace_back(f, f + t->size / sizeof(float));
  };
  auto inputs = random_inputs(g, 5);
  Tensors got, want;
  ASSERT_TRUE(run_plan(**plan, inputs, &got, &opts).is_ok());
  ASSERT_EQ(seen.nodes.size(), g.nodes.size());
  ASSERT_EQ(seen.tensors.size(), g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    EXPECT_EQ(seen.nodes[i], g.nodes[i].name);
    EXPECT_EQ(seen.tensors[i], g.tensor(g.nodes[i].outputs[0]).name);
  }
  // The last dump is the graph output; callbacks do not change results.
  EXPECT_EQ(seen.values.back(), got[1]);
  ASSERT_TRUE(run_plan(**plan, inputs, &want).is_ok());
  EXPECT_EQ(want, got);
}

TEST_F(GpuPlanTest, SerializeRoundTripGivesIdenticalOutputs) {
  ir::Graph g = small_net();
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  auto again = (*plan)->serialize();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*bytes, *again);  // deterministic
  auto blob = make_owned_blob(std::move(*bytes));
  auto loaded = backend->deserialize(blob);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  ASSERT_EQ((*loaded)->inputs().size(), 1u);
  EXPECT_EQ((*loaded)->inputs()[0].name, "image");
  auto inputs = random_inputs(g, 9);
  Tensors a, b;
  ASSERT_TRUE(run_plan(**plan, inputs, &a).is_ok());
  ASSERT_TRUE(run_plan(**loaded, inputs, &b).is_ok());
  EXPECT_EQ(a, b);
  // Statics the kernels read as float32 (weights and biases, and every static input of a
  // node that touches graph I/O) travel as float32, every other static tensor as float16.
  auto payload = parse_plan(blob);
  ASSERT_TRUE(payload.has_value()) << payload.error().message;
  const ir::Graph& pg = payload->graph;
  const auto& gp = dynamic_cast<const GpuPlan&>(**plan);
  std::vector<bool> weight(pg.tensors.size(), false);
  for (const ir::Node& n : pg.nodes) {
    bool io = false;
    for (ir::TensorId t : n.inputs)
      io = io || (t >= 0 && !pg.tensor(t).is_static() && gp.is_float(t));
    for (ir::TensorId t : n.outputs) io = io || gp.is_float(t);
    for (size_t i = 0; i < n.inputs.size(); ++i)
      if (n.inputs[i] >= 0 && (io || is_weight_input(n, i)))
        weight[static_cast<size_t>(n.inputs[i])] = true;
  }
  size_t weights = 0;
  for (size_t id = 0; id < pg.tensors.size(); ++id)
    if (pg.tensors[id].is_static()) {
      weights += weight[id];
      EXPECT_EQ(pg.tensors[id].dtype, weight[id] ? ir::DataType::kFloat32 : ir::DataType::kFloat16)
          << pg.tensors[id].name;
    }
  EXPECT_GT(weights, 0u);
  EXPECT_FALSE(payload->programs[0].binary.empty());
  EXPECT_FALSE(payload->programs[1].binary.empty());  // fp16 plans carry the float32 program
}

// A node writing a graph output runs the float32 kernels on a static operand that is not a
// weight (MatMul's B): its context binary must compute what the finalized plan computed
// (it once carried B as float16 and differed in the last bits).
TEST_F(GpuPlanTest, StaticOperandOfAGraphOutputNodeSurvivesSerialization) {
  std::mt19937 rng(5);
  ir::Graph g;
  g.name = "mm";
  ir::TensorId x =
      g.add_tensor({"x", ir::DataType::kFloat32, {1, 6, 16}, ir::TensorKind::kInput, {}, {}});
  g.inputs.push_back(x);
  ir::TensorId r = add_node(g, "Relu", {x}, {1, 6, 16});
  add_node(g, "MatMul", {r, add_weight(g, "b", {16, 4}, rng, 1.0f)}, {1, 6, 4}, {}, true);
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto loaded = reload(**plan);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  auto inputs = random_inputs(g, 2);
  Tensors a, b;
  ASSERT_TRUE(run_plan(**plan, inputs, &a).is_ok());
  ASSERT_TRUE(run_plan(**loaded, inputs, &b).is_ok());
  EXPECT_EQ(a, b);
}

TEST_F(GpuPlanTest, OtherDeviceKeyRebuildsFromSource) {
  ir::Graph g = small_net();
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value());
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value());
  // Change one character of the stored device key (same length, so offsets hold).
  std::string key = backend->device().key();
  auto it =
      std::search(bytes->begin(), bytes->end(), reinterpret_cast<const std::byte*>(key.data()),
                  reinterpret_cast<const std::byte*>(key.data() + key.size()));
  ASSERT_NE(it, bytes->end());
  *it = static_cast<std::byte>(static_cast<char>(*it) ^ 0x20);
  reseal(*bytes);
  auto loaded = backend->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  auto inputs = random_inputs(g, 4);
  Tensors a, b;
  ASSERT_TRUE(run_plan(**plan, inputs, &a).is_ok());
  ASSERT_TRUE(run_plan(**loaded, inputs, &b).is_ok());
  EXPECT_EQ(a, b);
}

TEST_F(GpuPlanTest, Fp32PlanRoundTripsToo) {
  std::string why;
  auto b32 = open_backend(R"({"precision_mode": "fp32"})", &why);
  ASSERT_TRUE(b32) << why;
  ir::Graph g = small_net();
  auto plan = b32->finalize(g);
  ASSERT_TRUE(plan.has_value());
  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value());
  // The plan's precision wins over the loading backend's config.
  auto loaded = backend->deserialize(make_owned_blob(std::move(*bytes)));
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  auto inputs = random_inputs(g, 2);
  Tensors a, b, want;
  ASSERT_TRUE(run_plan(**plan, inputs, &a).is_ok());
  ASSERT_TRUE(run_plan(**loaded, inputs, &b).is_ok());
  EXPECT_EQ(a, b);
  ASSERT_TRUE(run_reference(g, inputs, &want).is_ok());
  EXPECT_LE(relative_error(a[1], want[1]), 1e-5);
}

TEST_F(GpuPlanTest, MalformedPlanBytesAreErrors) {
  auto plan = backend->finalize(small_net());
  ASSERT_TRUE(plan.has_value());
  auto good = (*plan)->serialize();
  ASSERT_TRUE(good.has_value());
  auto load = [&](std::vector<std::byte> b) {
    return backend->deserialize(make_owned_blob(std::move(b)));
  };
  // Truncations anywhere: always an error, never a crash.
  for (size_t cut : {size_t{0}, size_t{4}, size_t{8}, size_t{13}, size_t{40}, good->size() / 3,
                     good->size() / 2, good->size() - 64, good->size() - 1}) {
    auto r = load(std::vector<std::byte>(good->begin(), good->begin() + static_cast<long>(cut)));
    ASSERT_FALSE(r.has_value()) << "cut at " << cut;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput) << r.error().message;
  }
  auto corrupt = [&](size_t at, uint8_t x, bool sealed) {
    auto b = *good;
    b[at] ^= static_cast<std::byte>(x);
    if (sealed) reseal(b);
    return load(std::move(b));
  };
  std::mt19937 rng(1);
  // Any flip breaks the checksum, so a damaged program binary never reaches the driver.
  for (int i = 0; i < 100; ++i) {
    size_t at = rng() % good->size();
    auto r = corrupt(at, static_cast<uint8_t>(1u << (rng() % 8)), false);
    ASSERT_FALSE(r.has_value()) << at;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput);
  }
  // Header fields with a valid checksum are still checked one by one.
  auto expect_error = [&](size_t at, uint8_t x, const char* what) {
    auto r = corrupt(at, x, true);
    ASSERT_FALSE(r.has_value()) << what;
    EXPECT_EQ(r.error().code, ErrorCode::kBadInput) << what;
    EXPECT_NE(r.error().message.find(what), std::string::npos) << r.error().message;
  };
  expect_error(0, 0x01, "magic");
  expect_error(8, 0x07, "version");
  expect_error(12, 0x10, "flags");
  expect_error(19, 0x40, "header strings");  // performance_mode length
  auto payload = parse_plan(make_owned_blob(*good));
  ASSERT_TRUE(payload.has_value());
  expect_error(static_cast<size_t>(payload->graph_offset), 0x01, "graph section");
  std::vector<std::byte> garbage(4096);
  for (auto& x : garbage) x = static_cast<std::byte>(rng());
  EXPECT_FALSE(load(garbage).has_value());
  // Resealed flips inside the graph section: an error or a working plan, never a crash.
  size_t span = good->size() - 8 - static_cast<size_t>(payload->graph_offset);
  for (int i = 0; i < 150; ++i) {
    size_t at = static_cast<size_t>(payload->graph_offset) + rng() % span;
    auto r = corrupt(at, static_cast<uint8_t>(1u << (rng() % 8)), true);
    if (!r.has_value()) {
      EXPECT_NE(r.error().message, "") << at;
    }
  }
}

TEST_F(GpuPlanTest, UnsupportedDtypeNamesTheNode) {
  ir::Graph g = small_net();
  g.tensors[g.nodes[1].outputs[0]].dtype = ir::DataType::kInt32;
  auto plan = backend->finalize(g);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(plan.error().message.find(g.nodes[1].name), std::string::npos) << plan.error().message;
}

TEST_F(GpuPlanTest, UnknownFusedActivationIsUnsupported) {
  ir::Graph g = small_net();
  g.nodes[0].params.set("fused_activation", std::string("tanh"));
  auto plan = backend->finalize(g);
  ASSERT_FALSE(plan.has_value());
  EXPECT_EQ(plan.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(plan.error().message.find(g.nodes[0].name), std::string::npos);
}

TEST_F(GpuPlanTest, WrongInputSizeIsBadInput) {
  auto plan = backend->finalize(small_net());
  ASSERT_TRUE(plan.has_value());
  Tensors in = {std::vector<float>(10)}, out;
  Status s = run_plan(**plan, in, &out);
  ASSERT_FALSE(s.is_ok());
  EXPECT_EQ(s.error().code, ErrorCode::kBadInput);
  EXPECT_NE(s.error().message.find("image"), std::string::npos);
}

TEST_F(GpuPlanTest, ValuesOnlyMovedFromAGraphInputStayFloat32) {
  // A layout Transpose (and a Slice of it) of a graph input holds the input's own values:
  // they are not rounded to fp16 before the first node that computes with them.
  ir::Graph g;
  g.name = "moved_input";
  ir::TensorId x =
      g.add_tensor({"x", ir::DataType::kFloat32, {1, 4, 6, 5}, ir::TensorKind::kInput, {}, {}});
  g.inputs.push_back(x);
  ir::Params tp;
  tp.set("perm", Ints{0, 2, 3, 1});
  ir::TensorId t = add_node(g, "Transpose", {x}, {1, 6, 5, 4}, tp);
  ir::Params sl;
  sl.set("ranges", Ints{0, 1, 1, 0, 6, 1, 0, 5, 1, 1, 4, 1});
  ir::TensorId s = add_node(g, "StridedSlice", {t}, {1, 6, 5, 3}, sl);
  ir::TensorId sq = add_node(g, "ElementWiseMultiply", {s, s}, {1, 6, 5, 3});
  add_node(g, "ElementWiseAdd", {sq, s}, {1, 6, 5, 3}, {}, true);
  auto inputs = random_inputs(g, 5);
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  Tensors got;
  ASSERT_TRUE(run_plan(**plan, inputs, &got).is_ok());
  size_t rounded_input = 0;
  for (int h = 0; h < 6; ++h)
    for (int w = 0; w < 5; ++w)
      for (int c = 1; c < 4; ++c) {
        const float v = inputs[0][static_cast<size_t>((c * 6 + h) * 5 + w)];
        const float prod = v * v;
        uint16_t bits = 0;
        floats_to_halves(&prod, &bits, 1);
        float prod16 = 0;
        halves_to_floats(&bits, &prod16, 1);
        uint16_t vbits = 0;
        floats_to_halves(&v, &vbits, 1);
        float v16 = 0;
        halves_to_floats(&vbits, &v16, 1);
        rounded_input += v16 != v;
        // Only the product (computed) is stored as fp16; the moved input adds in exactly.
        EXPECT_EQ(got[0][static_cast<size_t>((h * 5 + w) * 3 + c - 1)], prod16 + v);
      }
  EXPECT_GT(rounded_input, 0u);  // the inputs are not fp16-exact, so this tells
}

TEST_F(GpuPlanTest, StaticOperandsFp16CannotHoldStayFloat32) {
  // Mul by a learned scale (0.1, inexact in fp16) between fp16 activations: the scale is
  // applied in float32 — rounding it would bias every product the same way — and only the
  // product is stored in fp16. The same in a context binary.
  ir::Graph g;
  g.name = "static_scale";
  ir::TensorId x =
      g.add_tensor({"x", ir::DataType::kFloat32, {1, 200}, ir::TensorKind::kInput, {}, {}});
  g.inputs.push_back(x);
  const float scale = 0.1f;
  ir::TensorId c =
      g.add_static("scale", ir::DataType::kFloat32, {1}, make_owned_blob(&scale, sizeof(float)));
  ir::TensorId r = add_node(g, "Relu", {x}, {1, 200});
  ir::TensorId m = add_node(g, "ElementWiseMultiply", {r, c}, {1, 200});
  add_node(g, "ElementWiseAdd", {m, x}, {1, 200}, {}, true);
  auto inputs = random_inputs(g, 9);
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto loaded = reload(**plan);
  ASSERT_TRUE(loaded.has_value()) << loaded.error().message;
  auto half_of = [](float v) {
    uint16_t h = 0;
    floats_to_halves(&v, &h, 1);
    float back = 0;
    halves_to_floats(&h, &back, 1);
    return back;
  };
  ASSERT_NE(half_of(scale), scale);
  for (auto* p : {plan->get(), loaded->get()}) {
    Tensors got;
    ASSERT_TRUE(run_plan(*p, inputs, &got).is_ok());
    for (size_t i = 0; i < 200; ++i) {
      const float xv = inputs[0][i];
      EXPECT_EQ(got[0][i], half_of(half_of(std::max(xv, 0.0f)) * scale) + xv) << i;
    }
  }
}

TEST(GpuBufferPlan, EveryValueMovingOpKeepsAGraphInputFloat32) {
  // Each data-movement op of a graph input's values (ChannelShuffle among them) writes a
  // float32 tensor; the first op that computes writes storage precision.
  ir::Params shuffle;
  shuffle.set("num_groups", int64_t{2});
  ir::Params perm;
  perm.set("perm", Ints{0, 2, 1});
  for (const auto& [op, p] : {std::pair{"ChannelShuffle", shuffle}, std::pair{"Transpose", perm}}) {
    ir::Graph g;
    ir::TensorId x =
        g.add_tensor({"x", ir::DataType::kFloat32, {1, 4, 4}, ir::TensorKind::kInput, {}, {}});
    g.inputs.push_back(x);
    ir::TensorId moved = add_node(g, op, {x}, {1, 4, 4}, p);
    ir::TensorId sq = add_node(g, "ElementWiseMultiply", {moved, moved}, {1, 4, 4});
    add_node(g, "ElementWiseAdd", {sq, moved}, {1, 4, 4}, {}, true);
    BufferPlan bp = plan_buffers(g, 2, 64);
    EXPECT_TRUE(bp.is_float[static_cast<size_t>(bp.root[moved])]) << op;
    EXPECT_FALSE(bp.is_float[static_cast<size_t>(bp.root[sq])]) << op;
  }
}

TEST_F(GpuPlanTest, ActivationsShareMemory) {
  // A chain of 12 element-wise nodes needs two live activations at a time, not twelve.
  ir::Graph g;
  ir::TensorId x =
      g.add_tensor({"x", ir::DataType::kFloat32, {64, 64}, ir::TensorKind::kInput, {}, {}});
  g.inputs.push_back(x);
  ir::TensorId t = x;
  for (int i = 0; i < 12; ++i) t = add_node(g, "Sigmoid", {t}, {64, 64}, {}, i == 11);
  auto plan = backend->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  auto* gp = static_cast<GpuPlan*>(plan->get());
  EXPECT_LE(gp->arena_size(), 2u * 64 * 64 * 2 + 2 * 4096);
  auto inputs = random_inputs(g, 1);
  Tensors want, got;
  ASSERT_TRUE(run_reference(g, inputs, &want).is_ok());
  ASSERT_TRUE(run_plan(**plan, inputs, &got).is_ok());
  EXPECT_LE(relative_error(got[0], want[0]), 1e-2);
}

}  // namespace
}  // namespace oqnn::gpu::testing
