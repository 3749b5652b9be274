// One ONNX backend node test as it lies on disk: <dir>/model.onnx and
// <dir>/test_data_set_<N>/{input,output}_<K>.pb (serialized TensorProtos). The model's
// input and output names give the data files their meaning: input_K.pb feeds the K-th
// graph input that is not an initializer, output_K.pb is the K-th graph output.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ir/types.h"
#include "support/status.h"

namespace oqnn::conformance {

struct TensorData {
  std::string onnx_dtype;   // "float", "int64", ... (ONNX's name)
  bool is_float = false;    // float32, float16 or double: held as float32 in `values`
  bool is_integer = false;  // an integer type or bool: values held as float32 too (exact
                            // below 2^24, which every node test's integer data is)
  ir::Shape shape;
  std::vector<float> values;  // empty unless is_float or is_integer
};

struct DataSet {
  std::vector<TensorData> inputs, outputs;
};

struct NodeTest {
  std::string name;  // the folder's name, e.g. "test_conv_with_strides_padding"
  std::string dir;
  std::string model_path;
  std::vector<std::string> input_names, output_names;  // the model's, in order
  std::vector<bool> input_dynamic;  // the model leaves a dimension of input K unknown
  // Whether each input / output is a tensor (not a sequence, map or optional, whose data
  // files are not TensorProtos).
  std::vector<bool> input_is_tensor, output_is_tensor;
};

// Every test folder under `root` (those holding a model.onnx), sorted by name.
Expected<std::vector<NodeTest>> list_node_tests(const std::string& root);

// Reads the model's input (initializers excluded) and output names into `t`, and which
// inputs have dimensions the model leaves unknown.
Status read_io_names(NodeTest& t);

// Every test_data_set_<N> of the test, in N order.
Expected<std::vector<DataSet>> read_data_sets(const NodeTest& t);

}  // namespace oqnn::conformance
