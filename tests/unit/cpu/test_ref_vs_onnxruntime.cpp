// The reference kernels (and make_kernel's choice) against onnxruntime on the single-op
// cases gen_ref_data.py writes. Data in ONNX layout is converted here: activations
// NCHW -> NHWC, conv weights OIHW -> HWIO. Skips when the data folder is absent.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "backends/cpu/kernels.h"
#include "op_test_util.h"
#include "support/files.h"

namespace oqnn::cpu::testing {
namespace {

std::string data_dir() {
  if (const char* env = std::getenv("OQNN_CPU_REF_DATA")) return env;
  return OQNN_CPU_REF_DATA_DIR;
}

struct Array {
  ir::Shape shape;
  std::vector<float> values;
};

Array read_raw(const std::string& path, const ir::Shape& shape) {
  Array a{shape, std::vector<float>(static_cast<size_t>(ir::num_elements(shape)))};
  std::ifstream f(path, std::ios::binary);
  f.read(reinterpret_cast<char*>(a.values.data()),
         static_cast<std::streamsize>(a.values.size() * sizeof(float)));
  EXPECT_TRUE(f.good() && f.peek() == std::char_traits<char>::eof())
      << path << " does not hold " << a.values.size() << " floats";
  return a;
}

// out[i0, i1, ...] = in[... index perm[k] at position k ...]: out.shape[k] = in.shape[perm[k]].
Array permute(const Array& in, const std::vector<size_t>& perm) {
  Array out{ir::Shape(in.shape.size()), std::vector<float>(in.values.size())};
  std::vector<int64_t> in_strides(in.shape.size(), 1);
  for (size_t d = in.shape.size(); d-- > 1;) in_strides[d - 1] = in_strides[d] * in.shape[d];
  for (size_t k = 0; k < perm.size(); ++k) out.shape[k] = in.shape[perm[k]];
  for (int64_t flat = 0; flat < static_cast<int64_t>(out.values.size()); ++flat) {
    int64_t rem = flat, src = 0;
    for (size_t k = perm.size(); k-- > 0;) {
      src += (rem % out.shape[k]) * in_strides[perm[k]];
      rem /= out.shape[k];
    }
    out.values[static_cast<size_t>(flat)] = in.values[static_cast<size_t>(src)];
  }
  return out;
}

Array to_ir_layout(const Array& a, const std::string& layout) {
  if (layout == "nchw") {  // any rank: channels (axis 1) last
    std::vector<size_t> perm{0};
    for (size_t d = 2; d < a.shape.size(); ++d) perm.push_back(d);
    perm.push_back(1);
    return permute(a, perm);
  }
  // Conv weights of any rank: [O, I, spatial...] → [spatial..., I, O]; ConvTranspose's
  // [I, O, spatial...] → [spatial..., I, O].
  if (layout == "oihw" || layout == "iohw") {
    std::vector<size_t> perm;
    for (size_t d = 2; d < a.shape.size(); ++d) perm.push_back(d);
    perm.insert(perm.end(), layout == "oihw" ? std::initializer_list<size_t>{1, 0}
                                             : std::initializer_list<size_t>{0, 1});
    return permute(a, perm);
  }
  EXPECT_EQ(layout, "plain");
  return a;
}

ir::ParamValue to_param(const nlohmann::json& v) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  bool all_int = true;
  for (const auto& e : v) all_int = all_int && e.is_number_integer();
  if (all_int) return v.get<std::vector<int64_t>>();
  return v.get<std::vector<double>>();
}

TEST(RefVsOnnxruntime, SingleOpCases) {
  const std::string dir = data_dir();
  const std::string manifest_path = join_path(dir, "manifest.json");
  if (!file_exists(manifest_path))
    GTEST_SKIP() << "no onnxruntime reference data at " << dir
                 << " (ctest generates it with gen_ref_data.py; it needs numpy, onnx and "
                    "onnxruntime in OQNN_PYTHON)";
  auto text = read_text_file(manifest_path);
  ASSERT_TRUE(text.has_value());
  auto manifest = nlohmann::json::parse(*text);
  ASSERT_GT(manifest.at("cases").size(), 0u);
  for (const auto& c : manifest.at("cases")) {
    SCOPED_TRACE(c.at("name").get<std::string>() + " (" + c.at("op").get<std::string>() + ")");
    OpCase oc{c.at("op").get<std::string>(), {}, {}};
    for (const auto& [k, v] : c.at("params").items()) oc.params.set(k, to_param(v));
    std::vector<std::vector<float>> data;
    for (const auto& in : c.at("inputs")) {
      Array a =
          to_ir_layout(read_raw(join_path(dir, in.at("file")), in.at("shape")), in.at("layout"));
      oc.inputs.push_back({a.shape, in.at("static").get<bool>()});
      data.push_back(std::move(a.values));
    }
    const auto& out = c.at("output");
    Array want =
        to_ir_layout(read_raw(join_path(dir, out.at("file")), out.at("shape")), out.at("layout"));
    auto og = build_op_graph(oc, std::move(data));
    ASSERT_TRUE(og.has_value()) << og.error().message;
    EXPECT_EQ(og->graph.tensor(og->graph.outputs[0]).shape, want.shape);
    for (auto factory : {make_ref_kernel, make_kernel}) {
      auto got = run_op(factory, *og, 2);
      ASSERT_TRUE(got.has_value()) << got.error().message;
      EXPECT_TRUE(all_close((*got)[0], want.values, 1e-5))
          << (factory == make_ref_kernel ? "reference" : "make_kernel");
    }
  }
}

}  // namespace
}  // namespace oqnn::cpu::testing
