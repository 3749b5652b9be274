#include "sample_graphs.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "ir/verifier.h"

namespace oqnn::testing {
namespace {

std::shared_ptr<Blob> floats(size_t n, float seed) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = seed * static_cast<float>((i * 7919) % 101) / 101.0f - 0.5f;
  return make_owned_blob(v.data(), v.size() * sizeof(float));
}

}  // namespace

ir::Graph sample_cnn(const std::string& name) {
  using ir::DataType;
  using ir::TensorKind;
  ir::Graph g;
  g.name = name;
  auto x = g.add_tensor({"input", DataType::kFloat32, {1, 8, 8, 3}, TensorKind::kInput, {}, {}});
  g.tensor(x).encoding = ir::Encoding{8, false, false, -1, {0.0078125}, {-128}};
  auto w1 = g.add_static("conv1.weight", DataType::kFloat32, {3, 3, 3, 4}, floats(108, 1.0f));
  g.tensor(w1).encoding =
      ir::Encoding{8, true, true, 3, {0.01, 0.02, 1.0 / 3.0, 1e-7}, {0, 0, 0, 0}};
  auto b1 = g.add_static("conv1_weight", DataType::kFloat32, {4}, floats(4, 2.0f));
  auto c1 = g.add_intermediate("/model/conv1/Conv_output_0", DataType::kFloat32, {1, 8, 8, 4});
  g.tensor(c1).encoding = ir::Encoding{8, false, false, -1, {6.0 / 255.0}, {0}};
  auto wd = g.add_static("onnx::Conv_192", DataType::kFloat32, {3, 3, 1, 4}, floats(36, 3.0f));
  auto d1 = g.add_intermediate("we\"ird\\name?\?/\n", DataType::kFloat32, {1, 4, 4, 4});
  auto p1 = g.add_intermediate("pool", DataType::kFloat32, {1, 1, 1, 4});
  auto r1 = g.add_intermediate("flat", DataType::kFloat32, {1, 4});
  auto wf = g.add_static(std::string(150, 'w') + ".fc/weight", DataType::kFloat32, {5, 4},
                         floats(20, 4.0f));
  auto logits = g.add_tensor({"logits", DataType::kFloat32, {1, 5}, TensorKind::kOutput, {}, {}});
  auto prob = g.add_tensor({"prob", DataType::kFloat32, {1, 5}, TensorKind::kOutput, {}, {}});

  ir::Node conv{"conv1", "Conv2d", {x, w1, b1}, {c1}, {}};
  conv.params.set("stride", std::vector<int64_t>{1, 1});
  conv.params.set("pad_amount", std::vector<int64_t>{1, 1, 1, 1});
  conv.params.set("dilation", std::vector<int64_t>{1, 1});
  conv.params.set("group", int64_t{1});
  conv.params.set("fused_activation", std::string("clip"));
  conv.params.set("clip_min", 0.0);
  conv.params.set("clip_max", 6.0);
  ir::Node dw{"/model/dw/Conv", "DepthWiseConv2d", {c1, wd}, {d1}, {}};
  dw.params.set("stride", std::vector<int64_t>{2, 2});
  dw.params.set("pad_amount", std::vector<int64_t>{1, 0, 1, 0});
  ir::Node pool{"pool", "PoolAvg2d", {d1}, {p1}, {}};
  pool.params.set("filter_size", std::vector<int64_t>{4, 4});
  pool.params.set("count_pad_for_edges", int64_t{0});
  ir::Node reshape{"flatten", "Reshape", {p1}, {r1}, {}};
  reshape.params.set("shape", std::vector<int64_t>{1, 4});
  ir::Node fc{"fc", "FullyConnected", {r1, wf, ir::kNoTensor}, {logits}, {}};
  ir::Node softmax{"softmax", "Softmax", {logits}, {prob}, {}};
  softmax.params.set("axis", int64_t{1});
  softmax.params.set("beta", 0.1);
  g.nodes = {conv, dw, pool, reshape, fc, softmax};
  g.inputs = {x};
  g.outputs = {prob, logits};
  g.attributes["io_layout.input"] = "NHWC";
  g.attributes["io_layout.prob"] = "NF";
  return g;
}

namespace {
// Folders fresh_dir made, removed when the test program exits (set OQNN_KEEP_TEST_FILES
// to keep them for a look).
struct CreatedDirs {
  std::vector<std::string> dirs;
  ~CreatedDirs() {
    if (std::getenv("OQNN_KEEP_TEST_FILES")) return;
    std::error_code ec;
    for (const auto& d : dirs) std::filesystem::remove_all(d, ec);
  }
};
CreatedDirs created_dirs;
}  // namespace

std::string fresh_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("oqnn_codegen_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  created_dirs.dirs.push_back(dir.string());
  return dir.string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace oqnn::testing
