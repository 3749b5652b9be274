#include "node_test.h"

#include <onnx/onnx_pb.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "onnx/const_tensor.h"
#include "onnx/tensor_proto.h"
#include "support/files.h"

namespace oqnn::conformance {
namespace fs = std::filesystem;
namespace {

Expected<std::string> read_bytes(const std::string& path) {
  auto blob = map_file(path);
  if (!blob) return blob.error();
  return std::string(reinterpret_cast<const char*>((*blob)->data()), (*blob)->size());
}

Expected<TensorData> read_tensor(const std::string& path) {
  auto bytes = read_bytes(path);
  if (!bytes) return bytes.error();
  ::onnx::TensorProto tp;
  if (!tp.ParseFromString(*bytes)) return bad_input(path + ": not a serialized TensorProto");
  TensorData d;
  d.onnx_dtype = onnx_import::onnx_dtype_name(tp.data_type());
  d.shape.assign(tp.dims().begin(), tp.dims().end());
  bool floating = tp.data_type() == ::onnx::TensorProto::FLOAT ||
                  tp.data_type() == ::onnx::TensorProto::FLOAT16 ||
                  tp.data_type() == ::onnx::TensorProto::DOUBLE;
  using TP = ::onnx::TensorProto;
  bool integer = !floating && (onnx_import::dtype_from_onnx(tp.data_type()).has_value() ||
                               tp.data_type() == TP::UINT32 || tp.data_type() == TP::UINT64);
  if (!floating && !integer) return d;  // string, float8...: only the type matters
  if (!floating && !onnx_import::dtype_from_onnx(tp.data_type()))
    return d;  // uint32/uint64: the IR has no such type (unsupported)
  auto c = onnx_import::copy_tensor_proto(tp, path);
  if (!c) return c.error();
  d.is_float = floating;
  d.is_integer = integer;
  d.values = onnx_import::to_floats(*c);
  return d;
}

// <dir>/<prefix>_0.pb, _1.pb, ... up to the first missing one; a value that is not a
// tensor is recorded by kind only.
Expected<std::vector<TensorData>> read_numbered(const std::string& dir, const std::string& prefix,
                                                const std::vector<bool>& is_tensor) {
  std::vector<TensorData> out;
  for (size_t k = 0;; ++k) {
    std::string path = dir + "/" + prefix + "_" + std::to_string(k) + ".pb";
    if (!file_exists(path)) return out;
    if (k < is_tensor.size() && !is_tensor[k]) {
      out.push_back(TensorData{"non-tensor (sequence, map or optional)", false, {}, {}});
      continue;
    }
    auto t = read_tensor(path);
    if (!t) return t.error();
    out.push_back(std::move(*t));
  }
}

}  // namespace

Expected<std::vector<NodeTest>> list_node_tests(const std::string& root) {
  std::error_code ec;
  fs::directory_iterator it(root, ec);
  if (ec) return bad_input(root + ": cannot list the node tests (" + ec.message() + ")");
  std::vector<NodeTest> tests;
  for (const auto& entry : it) {
    std::string dir = entry.path().string();
    if (!file_exists(dir + "/model.onnx")) continue;
    tests.push_back(
        {entry.path().filename().string(), dir, dir + "/model.onnx", {}, {}, {}, {}, {}});
  }
  std::sort(tests.begin(), tests.end(),
            [](const NodeTest& a, const NodeTest& b) { return a.name < b.name; });
  if (tests.empty()) return bad_input(root + ": holds no <test>/model.onnx");
  return tests;
}

Status read_io_names(NodeTest& t) {
  auto bytes = read_bytes(t.model_path);
  if (!bytes) return bytes.error();
  ::onnx::ModelProto m;
  if (!m.ParseFromString(*bytes)) return bad_input(t.model_path + ": not a ModelProto");
  std::set<std::string> initializers;
  for (const auto& i : m.graph().initializer()) initializers.insert(i.name());
  t.input_names.clear();
  t.output_names.clear();
  t.input_dynamic.clear();
  t.input_is_tensor.clear();
  t.output_is_tensor.clear();
  for (const auto& v : m.graph().input()) {
    if (initializers.count(v.name())) continue;
    t.input_names.push_back(v.name());
    t.input_is_tensor.push_back(v.type().has_tensor_type());
    const auto& tt = v.type().tensor_type();
    bool dynamic = !tt.has_shape();
    for (const auto& d : tt.shape().dim())
      dynamic = dynamic || !d.has_dim_value() || d.dim_value() < 1;
    t.input_dynamic.push_back(dynamic);
  }
  for (const auto& v : m.graph().output()) {
    t.output_names.push_back(v.name());
    t.output_is_tensor.push_back(v.type().has_tensor_type());
  }
  return Status::ok();
}

Expected<std::vector<DataSet>> read_data_sets(const NodeTest& t) {
  std::vector<std::string> dirs;
  for (int n = 0;; ++n) {
    std::string d = t.dir + "/test_data_set_" + std::to_string(n);
    if (!fs::is_directory(d)) break;
    dirs.push_back(d);
  }
  if (dirs.empty()) return bad_input(t.dir + ": no test_data_set_0");
  std::vector<DataSet> sets;
  for (const auto& d : dirs) {
    DataSet s;
    auto in = read_numbered(d, "input", t.input_is_tensor);
    if (!in) return in.error();
    auto out = read_numbered(d, "output", t.output_is_tensor);
    if (!out) return out.error();
    if (in->size() != t.input_names.size() || out->size() != t.output_names.size())
      return bad_input(d + ": " + std::to_string(in->size()) + " inputs and " +
                       std::to_string(out->size()) + " outputs for a model with " +
                       std::to_string(t.input_names.size()) + " and " +
                       std::to_string(t.output_names.size()));
    s.inputs = std::move(*in);
    s.outputs = std::move(*out);
    sets.push_back(std::move(s));
  }
  return sets;
}

}  // namespace oqnn::conformance
