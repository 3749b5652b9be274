#include "freeze.h"

#include <onnx/onnx_pb.h>

#include <cstdio>
#include <set>

#include "support/files.h"

namespace oqnn::conformance {
namespace {

std::string input_file(const NodeTest& t, size_t set, size_t k) {
  return t.dir + "/test_data_set_" + std::to_string(set) + "/input_" + std::to_string(k) + ".pb";
}

Expected<std::string> read_all(const std::string& path) {
  auto blob = map_file(path);
  if (!blob) return blob.error();
  return std::string(reinterpret_cast<const char*>((*blob)->data()), (*blob)->size());
}

}  // namespace

FrozenModel::FrozenModel(FrozenModel&& o) noexcept
    : path_(std::move(o.path_)), frozen_(std::move(o.frozen_)) {
  o.path_.clear();
}

FrozenModel& FrozenModel::operator=(FrozenModel&& o) noexcept {
  if (this != &o) {
    if (!path_.empty()) std::remove(path_.c_str());
    path_ = std::move(o.path_);
    frozen_ = std::move(o.frozen_);
    o.path_.clear();
  }
  return *this;
}

FrozenModel::~FrozenModel() {
  if (!path_.empty()) std::remove(path_.c_str());
}

bool can_freeze(const NodeTest& t, size_t num_data_sets) {
  if (t.input_names.size() < 2) return false;
  for (size_t k = 1; k < t.input_names.size(); ++k) {
    if (!t.input_is_tensor[k]) return false;
    auto first = read_all(input_file(t, 0, k));
    if (!first) return false;
    for (size_t s = 1; s < num_data_sets; ++s) {
      auto other = read_all(input_file(t, s, k));
      if (!other || *other != *first) return false;
    }
  }
  return true;
}

Expected<FrozenModel> freeze_inputs(const NodeTest& t, const std::string& tmp_dir) {
  auto bytes = read_all(t.model_path);
  if (!bytes) return bytes.error();
  ::onnx::ModelProto m;
  if (!m.ParseFromString(*bytes)) return bad_input(t.model_path + ": not a ModelProto");
  std::set<std::string> frozen(t.input_names.begin() + 1, t.input_names.end());
  ::onnx::GraphProto& g = *m.mutable_graph();
  for (size_t k = 1; k < t.input_names.size(); ++k) {
    std::string path = input_file(t, 0, k);
    auto data = read_all(path);
    if (!data) return data.error();
    ::onnx::TensorProto* init = g.add_initializer();
    if (!init->ParseFromString(*data)) return bad_input(path + ": not a serialized TensorProto");
    init->set_name(t.input_names[k]);
  }
  // Initializers that stay graph inputs could be overridden at run time: drop the inputs.
  auto* inputs = g.mutable_input();
  for (int i = inputs->size() - 1; i >= 0; --i)
    if (frozen.count(inputs->Get(i).name())) inputs->DeleteSubrange(i, 1);
  std::string path = tmp_dir + "/" + t.name + ".onnx";
  std::string out;
  if (!m.SerializeToString(&out)) return internal_error(t.model_path + ": cannot serialize");
  OQNN_RETURN_IF_ERROR(write_text_atomic(path, out));
  return FrozenModel(path, {t.input_names.begin() + 1, t.input_names.end()});
}

}  // namespace oqnn::conformance
