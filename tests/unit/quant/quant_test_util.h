// Shared by the quant tests: a small Conv -> Relu -> Reshape -> FullyConnected graph with
// deterministic weights, and temp files for encodings JSON.
#pragma once

#include <unistd.h>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "ir/graph.h"

namespace oqnn::quant::testing {

// Deterministic, sign-mixed values that differ per index (no typed-in tables).
inline std::vector<float> wavy(size_t n, float amp, float phase) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] =
        amp * std::sin(0.37f * static_cast<float>(i) + phase) + 0.01f * static_cast<float>(i % 7);
  return v;
}

inline ir::TensorId add_static(ir::Graph& g, const std::string& name, ir::Shape shape, float amp,
                               float phase) {
  auto v = wavy(static_cast<size_t>(ir::num_elements(shape)), amp, phase);
  return g.add_static(name, ir::DataType::kFloat32, std::move(shape),
                      make_owned_blob(v.data(), v.size() * sizeof(float)));
}

// x[1,4,4,2] -> Conv2d(w 3x3x2x3, b 3, pad 1) -> conv_out -> Relu -> relu_out
//   -> Reshape[1,48] -> flat -> FullyConnected(fc.weight [5,48], fc.bias [5]) -> logits
inline ir::Graph conv_relu_fc_graph() {
  using ir::TensorKind;
  ir::Graph g;
  g.name = "tiny";
  auto t = [&](const char* name, ir::Shape s, TensorKind k) {
    return g.add_tensor({name, ir::DataType::kFloat32, std::move(s), k, {}, {}});
  };
  ir::TensorId x = t("x", {1, 4, 4, 2}, TensorKind::kInput);
  ir::TensorId w = add_static(g, "conv1.weight", {3, 3, 2, 3}, 0.8f, 0.3f);
  ir::TensorId b = add_static(g, "conv1.bias", {3}, 0.2f, 1.1f);
  ir::TensorId c = t("conv_out", {1, 4, 4, 3}, TensorKind::kIntermediate);
  ir::TensorId r = t("relu_out", {1, 4, 4, 3}, TensorKind::kIntermediate);
  ir::TensorId f = t("flat", {1, 48}, TensorKind::kIntermediate);
  ir::TensorId fw = add_static(g, "fc.weight", {5, 48}, 0.5f, 2.0f);
  ir::TensorId fb = add_static(g, "fc.bias", {5}, 0.1f, 0.7f);
  ir::TensorId y = t("logits", {1, 5}, TensorKind::kOutput);
  ir::Node conv{"conv1", "Conv2d", {x, w, b}, {c}, {}};
  conv.params.set("pad_amount", std::vector<int64_t>{1, 1, 1, 1});
  g.nodes.push_back(conv);
  g.nodes.push_back({"relu", "Relu", {c}, {r}, {}});
  ir::Node reshape{"flatten", "Reshape", {r}, {f}, {}};
  reshape.params.set("shape", std::vector<int64_t>{1, 48});
  g.nodes.push_back(reshape);
  g.nodes.push_back({"fc", "FullyConnected", {f, fw, fb}, {y}, {}});
  g.inputs = {x};
  g.outputs = {y};
  return g;
}

// A file under the test's temp folder holding `text`; returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  auto dir =
      std::filesystem::temp_directory_path() / ("oqnn_quant_tests_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

}  // namespace oqnn::quant::testing
