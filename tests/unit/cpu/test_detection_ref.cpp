// The static-output reference kernels: NonMaxSuppression's and NonZero's padding (-1) and
// count, NMS's score threshold, corner order and center boxes, RoiPooling's bad batch index.
// (Their ONNX-defined values are checked against onnxruntime's by the conformance suite and
// test_cpu_onnxruntime.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "backends/cpu/kernels.h"
#include "ir/verifier.h"
#include "runtime/thread_pool.h"

namespace oqnn::cpu::testing {
namespace {

struct Data {
  ir::DataType dtype;
  ir::Shape shape;
  std::vector<std::byte> bytes;
};

template <class T>
Data data(ir::DataType dt, ir::Shape shape, std::vector<T> v) {
  Data d{dt, std::move(shape), std::vector<std::byte>(v.size() * sizeof(T))};
  std::memcpy(d.bytes.data(), v.data(), d.bytes.size());
  return d;
}

// Runs node "node" of `op` over `inputs`; returns each output's int32 (or float) words.
Expected<std::vector<std::vector<int32_t>>> run(const std::string& op, std::vector<Data> inputs,
                                                ir::Params p, size_t outputs) {
  ir::Graph g;
  std::vector<ir::TensorId> in, out;
  for (size_t i = 0; i < inputs.size(); ++i)
    in.push_back(g.add_tensor({"x" + std::to_string(i),
                               inputs[i].dtype,
                               inputs[i].shape,
                               ir::TensorKind::kInput,
                               {},
                               {}}));
  for (size_t j = 0; j < outputs; ++j)
    out.push_back(g.add_tensor(
        {"y" + std::to_string(j), ir::DataType::kInt32, {}, ir::TensorKind::kOutput, {}, {}}));
  g.nodes.push_back(ir::Node{"node", op, in, out, std::move(p)});
  OQNN_RETURN_IF_ERROR(ir::infer_shapes(g));
  OQNN_ASSIGN_OR_RETURN(auto k, make_ref_kernel(g, g.nodes[0]));
  std::vector<rt::HostTensor> hin, hout;
  for (size_t i = 0; i < inputs.size(); ++i)
    hin.push_back({&g.tensor(in[i]), inputs[i].bytes.data(), inputs[i].bytes.size()});
  std::vector<std::vector<int32_t>> ys(outputs);
  for (size_t j = 0; j < outputs; ++j) {
    ys[j].assign(static_cast<size_t>(ir::num_elements(g.tensor(out[j]).shape)), 7777);
    hout.push_back(
        {&g.tensor(out[j]), reinterpret_cast<std::byte*>(ys[j].data()), ys[j].size() * 4});
  }
  rt::ThreadPool pool(1);
  rt::KernelContext ctx{&pool};
  OQNN_RETURN_IF_ERROR(k->run(hin, hout, ctx));
  return ys;
}

using F = ir::DataType;

// Boxes 0 and 1 overlap with IoU 0.6 (box 1's corners given flipped), box 2 is apart and
// scores below the threshold: 0 is kept, 1 suppressed, 2 dropped; 2 rows stay -1.
TEST(RefDetection, NmsPadsPastTheValidCount) {
  auto boxes = data<float>(F::kFloat32, {1, 3, 4}, {0, 0, 1, 1, 1, 0.25f, 0, 1.25f, 5, 5, 6, 6});
  auto scores = data<float>(F::kFloat32, {1, 1, 3}, {0.9f, 0.8f, 0.05f});
  ir::Params p;
  p.set("iou_threshold", 0.5);
  p.set("score_threshold", 0.1);
  p.set("max_boxes_selected", int64_t{3});
  auto y = run("NonMaxSuppression", {boxes, scores}, p, 2);
  ASSERT_TRUE(y.has_value()) << y.error().message;
  EXPECT_EQ((*y)[0], (std::vector<int32_t>{0, 0, 0, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ((*y)[1], (std::vector<int32_t>{1}));
  p.set("iou_threshold", 0.7);  // IoU 0.6 no longer suppresses
  y = run("NonMaxSuppression", {boxes, scores}, p, 2);
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ((*y)[0], (std::vector<int32_t>{0, 0, 0, 0, 0, 1, -1, -1, -1}));
  EXPECT_EQ((*y)[1], (std::vector<int32_t>{2}));
  // The same boxes as centres and sizes.
  auto centres =
      data<float>(F::kFloat32, {1, 3, 4}, {0.5f, 0.5f, 1, 1, 0.75f, 0.5f, 1, 1, 5.5f, 5.5f, 1, 1});
  p.set("iou_threshold", 0.5);
  p.set("center_point_box", int64_t{1});
  y = run("NonMaxSuppression", {centres, scores}, p, 2);
  ASSERT_TRUE(y.has_value());
  EXPECT_EQ((*y)[1], (std::vector<int32_t>{1}));
}

TEST(RefDetection, NonZeroListsCoordinatesThenPads) {
  auto x = data<int32_t>(F::kInt32, {2, 3}, {0, 4, 0, -1, 0, 2});
  auto y = run("NonZero", {x}, {}, 2);
  ASSERT_TRUE(y.has_value()) << y.error().message;
  EXPECT_EQ((*y)[0], (std::vector<int32_t>{0, 1, 1, 0, 1, 2, -1, -1, -1, -1, -1, -1}));
  EXPECT_EQ((*y)[1], (std::vector<int32_t>{3}));
}

TEST(RefDetection, RoiPoolingBatchIndexOutOfRangeIsBadInputNamingTheNode) {
  auto x = data<float>(F::kFloat32, {1, 2, 2, 1}, {0, 1, 2, 3});
  ir::Params p;
  p.set("output_height", int64_t{1});
  p.set("output_width", int64_t{1});
  for (float batch : {1.0f, -1.0f, 1e20f, NAN}) {
    auto rois = data<float>(F::kFloat32, {1, 5}, {batch, 0, 0, 1, 1});
    auto y = run("RoiPooling", {x, rois}, p, 1);
    ASSERT_FALSE(y.has_value()) << batch;
    EXPECT_EQ(y.error().code, ErrorCode::kBadInput) << y.error().message;
    EXPECT_NE(y.error().message.find("'node'"), std::string::npos) << y.error().message;
  }
  // A box with NaN or huge corners is clamped to the image, not undefined behaviour.
  auto wild = data<float>(F::kFloat32, {1, 5}, {0, NAN, -1e30f, 1e30f, 1e30f});
  EXPECT_TRUE(run("RoiPooling", {x, wild}, p, 1).has_value());
}

}  // namespace
}  // namespace oqnn::cpu::testing
