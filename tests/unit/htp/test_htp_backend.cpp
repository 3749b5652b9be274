// The HTP backend as the runtime sees it: config validation, finalize -> execute versus
// serialize -> deserialize -> execute, determinism across runs and thread counts, and the
// exported C interface of libQnnHtp.so.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <limits>

#include "backends/htp/capabilities.h"
#include "backends/htp/htp_backend.h"
#include "backends/htp/ref/qtensor.h"
#include "htp_test_util.h"
#include "ir/op_def.h"
#include "ir/serialize.h"

namespace oqnn::htp::test {
namespace {

// conv(relu) -> depthwise -> avg pool -> reshape -> fc -> softmax, plus a residual add.
ir::Graph small_net() {
  GraphBuilder b("small_net");
  ir::TensorId x = b.input("input", {1, 12, 12, 3}, u8(-1, 1));
  ir::Params conv;
  conv.set("pad_amount", std::vector<int64_t>{1, 1, 1, 1});
  conv.set("fused_activation", std::string("relu"));
  ir::TensorId c1 = b.node("Conv2d",
                           {x, b.constant("w1", {3, 3, 3, 8}, random_floats(216, -0.5f, 0.5f, 1)),
                            b.constant("b1", {8}, random_floats(8, -0.1f, 0.1f, 2))},
                           std::nullopt, conv, false);
  ir::TensorId d1 = b.node("DepthWiseConv2d",
                           {c1, b.constant("w2", {3, 3, 1, 8}, random_floats(72, -0.5f, 0.5f, 3))},
                           std::nullopt, conv, false);
  ir::TensorId r = b.node("ElementWiseAdd", {c1, d1}, std::nullopt, {}, false);
  ir::Params pool;
  pool.set("filter_size", std::vector<int64_t>{12, 12});
  ir::TensorId p = b.node("PoolAvg2d", {r}, std::nullopt, pool, false);
  ir::Params shape;
  shape.set("shape", std::vector<int64_t>{1, 8});
  ir::TensorId f = b.node("Reshape", {p}, std::nullopt, shape, false);
  ir::TensorId fc = b.node("FullyConnected",
                           {f, b.constant("w3", {5, 8}, random_floats(40, -1.0f, 1.0f, 4)),
                            b.constant("b3", {5}, random_floats(5, -0.1f, 0.1f, 5))},
                           std::nullopt, {}, false);
  b.node("Softmax", {fc}, u8(0, 1));
  calibrate(b.g, 8, 6, 3);
  return b.g;
}

Expected<std::vector<Bytes>> finalize_and_run(const ir::Graph& g, const std::string& config,
                                              const std::vector<Bytes>& inputs,
                                              std::vector<std::byte>* serialized = nullptr) {
  OQNN_ASSIGN_OR_RETURN(auto backend, create_backend(config));
  OQNN_ASSIGN_OR_RETURN(auto plan, backend->finalize(g));
  if (serialized) {
    OQNN_ASSIGN_OR_RETURN(*serialized, plan->serialize());
  }
  return run_plan(*plan, inputs);
}

TEST(HtpConfig, AcceptsTheSeedSectionAndHvxThreads) {
  auto c = parse_htp_config(
      R"({"device_id": 0, "performance_mode": "high_performance", "precision_mode": "int8",
          "vtcm_mb": 8, "enable_dma": true, "hvx_threads": 3})");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  EXPECT_EQ(c->performance_mode, "high_performance");
  EXPECT_EQ(c->vtcm_mb, 8);
  EXPECT_EQ(c->hvx_threads, 3);
  auto whole = parse_htp_config(R"({"htp_config": {"precision_mode": "int16"}})");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->precision_mode, "int16");
  auto empty = parse_htp_config("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_GE(empty->hvx_threads, 1);
}

TEST(HtpConfig, BadValuesNameTheKey) {
  for (const auto& [json, key] : std::vector<std::pair<std::string, std::string>>{
           {R"({"vtcm_mb": "8"})", "vtcm_mb"},
           {R"({"vtcm_mb": -1})", "vtcm_mb"},
           {R"({"enable_dma": 1})", "enable_dma"},
           {R"({"precision_mode": "fp16"})", "precision_mode"},
           {R"({"performance_mode": "turbo"})", "performance_mode"},
           {R"({"hvx_threads": 0})", "hvx_threads"},
           {R"({"device_id": 2})", "device_id"},
           {R"({"vtcm": 8})", "vtcm"},
       }) {
    auto c = parse_htp_config(json);
    ASSERT_FALSE(c.has_value()) << json;
    EXPECT_EQ(c.error().code, ErrorCode::kBadInput);
    EXPECT_NE(c.error().message.find("'" + key + "'"), std::string::npos) << c.error().message;
  }
  EXPECT_FALSE(parse_htp_config("{not json").has_value());
  EXPECT_FALSE(parse_htp_config("[1, 2]").has_value());
}

TEST(HtpBackend, DeserializedPlanExecutesBitForBitLikeTheFinalizedOne) {
  const ir::Graph g = small_net();
  auto backend = create_backend(R"({"hvx_threads": 2})");
  ASSERT_TRUE(backend.has_value());
  auto plan = (*backend)->finalize(g);
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  const std::vector<Bytes> inputs = random_inputs(**plan, 9);
  auto want = run_plan(**plan, inputs);
  ASSERT_TRUE(want.has_value()) << want.error().message;

  auto bytes = (*plan)->serialize();
  ASSERT_TRUE(bytes.has_value());
  auto blob = make_owned_blob(std::move(*bytes));
  auto other = create_backend(R"({"hvx_threads": 1})");
  ASSERT_TRUE(other.has_value());
  auto back = (*other)->deserialize(blob);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  ASSERT_EQ((*back)->inputs().size(), 1u);
  EXPECT_EQ((*back)->inputs()[0].dtype, ir::DataType::kUInt8);
  EXPECT_EQ((*back)->inputs()[0].encoding, (*plan)->inputs()[0].encoding);
  auto got = run_plan(**back, inputs);
  ASSERT_TRUE(got.has_value()) << got.error().message;
  EXPECT_TRUE(*got == *want);
}

TEST(HtpBackend, SameBytesAcrossRunsThreadCountsAndKernelVariants) {
  const ir::Graph g = small_net();
  auto probe = create_backend("{}");
  ASSERT_TRUE(probe.has_value());
  auto p = (*probe)->finalize(g);
  ASSERT_TRUE(p.has_value()) << p.error().message;
  const std::vector<Bytes> inputs = random_inputs(**p, 4);
  std::vector<std::byte> first_plan;
  auto first = finalize_and_run(g, R"({"hvx_threads": 1})", inputs, &first_plan);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  for (int threads : {1, 2, 4, 7}) {
    std::vector<std::byte> plan_bytes;
    auto again = finalize_and_run(g, "{\"hvx_threads\": " + std::to_string(threads) + "}", inputs,
                                  &plan_bytes);
    ASSERT_TRUE(again.has_value());
    EXPECT_TRUE(*again == *first) << threads << " threads";
    EXPECT_TRUE(plan_bytes == first_plan) << "the serialized plan must be deterministic";
  }
  HtpBackend reference(HtpConfig{}, KernelVariant::kReference);
  auto rp = reference.finalize(g);
  ASSERT_TRUE(rp.has_value());
  auto ref_out = run_plan(**rp, inputs);
  ASSERT_TRUE(ref_out.has_value());
  EXPECT_TRUE(*ref_out == *first);
}

TEST(HtpBackend, DeserializeRejectsMalformedPlans) {
  auto backend = create_backend("{}");
  ASSERT_TRUE(backend.has_value());
  std::vector<std::byte> junk(100, std::byte{0x5a});
  auto r = (*backend)->deserialize(make_owned_blob(junk));
  EXPECT_FALSE(r.has_value());
  // A float graph is not an HTP plan.
  auto bytes = ir::serialize_graph(small_net());
  auto f = (*backend)->deserialize(make_owned_blob(std::move(bytes)));
  ASSERT_FALSE(f.has_value());
  EXPECT_EQ(f.error().code, ErrorCode::kBadInput);
}

TEST(HtpBackend, Int16PrecisionRunsSixteenBitPlans) {
  auto backend = create_backend(R"({"precision_mode": "int16"})");
  ASSERT_TRUE(backend.has_value());
  auto plan = (*backend)->finalize(small_net());
  ASSERT_TRUE(plan.has_value()) << plan.error().message;
  EXPECT_EQ((*plan)->inputs()[0].dtype, ir::DataType::kUInt16);
  EXPECT_EQ((*plan)->outputs()[0].dtype, ir::DataType::kUInt16);
  EXPECT_TRUE(run_plan(**plan, random_inputs(**plan, 1)).has_value());
}

// --- the exported C interface -------------------------------------------------------------

struct Library {
  void* handle = dlopen(OQNN_HTP_LIBRARY, RTLD_NOW | RTLD_LOCAL);
  ~Library() {
    if (handle) dlclose(handle);
  }
  const OqnnBackendInterface* iface() const {
    auto fn = reinterpret_cast<OqnnGetBackendInterfaceFn>(dlsym(handle, OQNN_BACKEND_ENTRY_SYMBOL));
    return fn ? fn() : nullptr;
  }
};

TEST(HtpLibrary, ExportsTheBackendInterface) {
  Library lib;
  ASSERT_NE(lib.handle, nullptr) << dlerror();
  const OqnnBackendInterface* i = lib.iface();
  ASSERT_NE(i, nullptr);
  EXPECT_EQ(i->abi_version, OQNN_BACKEND_ABI_VERSION);
  EXPECT_STREQ(i->name, "htp");
  EXPECT_EQ(i->backend_id, static_cast<uint32_t>(OQNN_BACKEND_HTP));
  EXPECT_EQ(i->num_capabilities, std::size(kCapabilities));

  char err[512] = {0};
  void* backend = nullptr;
  EXPECT_EQ(i->create(R"({"vtcm_mb": "8"})", &backend, err, sizeof err), OQNN_ERR_BAD_INPUT);
  EXPECT_NE(std::string(err).find("vtcm_mb"), std::string::npos) << err;
  ASSERT_EQ(i->create(R"({"vtcm_mb": 8, "hvx_threads": 2})", &backend, err, sizeof err), OQNN_OK);

  // Missing encodings: code 1 and a message listing the tensor.
  GraphBuilder b;
  ir::TensorId x = b.input("raw_input", {1, 4}, std::nullopt);
  b.node("Relu", {x}, u8(0, 1));
  auto bad = ir::serialize_graph(b.g);
  void* plan = nullptr;
  EXPECT_EQ(i->finalize(backend, bad.data(), bad.size(), &plan, err, sizeof err),
            OQNN_ERR_BAD_INPUT);
  EXPECT_NE(std::string(err).find("'raw_input'"), std::string::npos) << err;
  EXPECT_NE(std::string(err).find("--input_list"), std::string::npos) << err;

  auto good = ir::serialize_graph(small_net());
  ASSERT_EQ(i->finalize(backend, good.data(), good.size(), &plan, err, sizeof err), OQNN_OK) << err;
  ASSERT_EQ(i->num_io(plan, 0), 1u);
  OqnnTensorView in{}, out{};
  ASSERT_EQ(i->io_info(plan, 0, 0, &in), OQNN_OK);
  ASSERT_EQ(i->io_info(plan, 1, 0, &out), OQNN_OK);
  EXPECT_EQ(in.dtype, OQNN_DTYPE_UINT8);
  ASSERT_NE(in.encoding, nullptr);
  EXPECT_EQ(in.encoding->bitwidth, 8);
  std::vector<uint8_t> input(12 * 12 * 3, 128), output(5, 0);
  in.data = input.data();
  in.size = input.size();
  out.data = output.data();
  out.size = output.size();
  EXPECT_EQ(i->execute(plan, &in, 1, &out, 1, nullptr, err, sizeof err), OQNN_OK) << err;
  int sum = 0;
  for (uint8_t v : output) sum += v;
  EXPECT_NEAR(sum, 255, 5);  // softmax outputs sum to ~1.0 on a [0, 1] encoding
  i->free_plan(plan);
  i->destroy(backend);
}

// Found by tests/fuzz (fuzz_plan_htp): encodings from a damaged plan whose offsets overflow
// the kernels' int32 arithmetic, and biases too large for llround, must be refused or bounded.
TEST(HtpBackend, HostileEncodingsInAPlanAreRefused) {
  GraphBuilder b("fc");
  ir::TensorId x = b.input("x", {1, 4}, u8(-1, 1));
  b.node("FullyConnected",
         {x, b.constant("w", {2, 4}, random_floats(8, -1, 1, 3)),
          b.constant("bias", {2}, random_floats(2, -1, 1, 4))},
         u8(-2, 2));
  auto q = finalize_graph(b.g);
  ASSERT_TRUE(q.has_value()) << q.error().message;
  ASSERT_TRUE(make_plan(*q, KernelVariant::kFast, 1).has_value());
  for (const char* name : {"x", "w"}) {
    ir::Graph bad = *q;
    bad.tensor(*bad.find_tensor(name)).encoding->offset[0] = std::numeric_limits<int32_t>::min();
    for (KernelVariant v : {KernelVariant::kFast, KernelVariant::kReference}) {
      auto plan = make_plan(bad, v, 1);
      ASSERT_FALSE(plan.has_value()) << name;
      EXPECT_NE(plan.error().message.find("offset outside its code range"), std::string::npos);
    }
  }
  EXPECT_EQ(bias_to_acc(1e300, 1e-300), int64_t{1} << 60);
  EXPECT_EQ(bias_to_acc(-1e300, 1e-300), -(int64_t{1} << 60));
  EXPECT_EQ(bias_to_acc(0.0, 0.0), 0);
  EXPECT_EQ(bias_to_acc(3.0, 0.5), 6);
}

}  // namespace
}  // namespace oqnn::htp::test
