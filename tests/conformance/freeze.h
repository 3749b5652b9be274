// The node tests feed everything as graph inputs, weights included (Conv's W, Gemm's B,
// BatchNormalization's statistics, Reshape's shape, Clip's bounds, Pad's pads...), where
// an exported model holds initializers, and the converter (like QNN's) needs those
// constant. When the converter refuses a test as unsupported, the runner retries it once
// with every input but the first frozen: made an initializer holding the test's own data
// (the same in every data set, or nothing is frozen). The frozen model is written to a
// temporary file that lives as long as the FrozenModel.
#pragma once

#include <string>
#include <vector>

#include "node_test.h"
#include "support/status.h"

namespace oqnn::conformance {

class FrozenModel {
 public:
  FrozenModel() = default;
  FrozenModel(std::string path, std::vector<std::string> frozen)
      : path_(std::move(path)), frozen_(std::move(frozen)) {}
  FrozenModel(FrozenModel&& o) noexcept;
  FrozenModel& operator=(FrozenModel&& o) noexcept;
  ~FrozenModel();

  const std::string& path() const { return path_; }
  const std::vector<std::string>& frozen() const { return frozen_; }  // input names

 private:
  std::string path_;
  std::vector<std::string> frozen_;
};

// Whether freezing applies: the test has more than one input and inputs 1.. are tensors
// whose data files are byte-identical across data sets.
bool can_freeze(const NodeTest& t, size_t num_data_sets);

// Writes the model with inputs 1.. turned into initializers (data from test_data_set_0)
// into `tmp_dir`.
Expected<FrozenModel> freeze_inputs(const NodeTest& t, const std::string& tmp_dir);

}  // namespace oqnn::conformance
