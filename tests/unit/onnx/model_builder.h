// Builds small ONNX models in C++ for the importer tests and writes them to a fresh
// temporary folder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <onnx/onnx_pb.h>

#include "onnx/importer.h"

namespace oqnn::onnx_import::test_util {

struct Dim {
  Dim(int64_t v) : value(v) {}      // NOLINT: a static dimension
  Dim(const char* p) : param(p) {}  // NOLINT: a symbolic dimension
  int64_t value = 0;
  std::string param;
};

class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 13);

  void input(const std::string& name, const std::vector<Dim>& dims,
             int elem_type = ::onnx::TensorProto::FLOAT);
  void input_without_shape(const std::string& name);
  void output(const std::string& name);
  // Initializers stored as raw_data (or, with typed = true, in float_data / int64_data).
  ::onnx::TensorProto& init_f32(const std::string& name, const std::vector<int64_t>& shape,
                                const std::vector<float>& values, bool typed = false);
  ::onnx::TensorProto& init_i64(const std::string& name, const std::vector<int64_t>& shape,
                                const std::vector<int64_t>& values, bool typed = false);
  ::onnx::NodeProto& node(const std::string& op, const std::vector<std::string>& inputs,
                          const std::vector<std::string>& outputs, const std::string& name = "");

  // Writes the model to `dir`/`file`; returns the path.
  std::string write(const std::string& dir, const std::string& file = "model.onnx") const;
  ImportOptions options(const std::string& dir) const;  // writes, returns options for it

  ::onnx::ModelProto model;
};

void set_attr(::onnx::NodeProto& n, const std::string& name, int64_t v);
void set_attr(::onnx::NodeProto& n, const std::string& name, float v);
void set_attr(::onnx::NodeProto& n, const std::string& name, const std::string& v);
void set_attr(::onnx::NodeProto& n, const std::string& name, const std::vector<int64_t>& v);

// A new empty folder under the system temp folder.
std::string make_temp_dir();
// Values 0, 1, 2, ... scaled, for weights whose layout a test checks.
std::vector<float> iota_values(size_t n, float scale = 1.0f);

// Ops of the graph's nodes in order, e.g. {"Transpose", "Conv2d", "Transpose"}.
std::vector<std::string> ops_of(const ir::Graph& g);
// The first node running `op` (fails the test when there is none).
const ir::Node& node_of(const ir::Graph& g, const std::string& op);
// A static tensor's float32 values.
std::vector<float> static_floats(const ir::Graph& g, ir::TensorId id);

// Each test gets its own temporary folder, removed afterwards.
class ImporterTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;
  // Writes `b` and imports it with the given options filled in.
  Expected<ir::Graph> import(const ModelBuilder& b, ImportOptions opts = {});
  std::string dir_;
};

}  // namespace oqnn::onnx_import::test_util
