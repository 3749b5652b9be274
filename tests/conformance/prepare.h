// A node test made ready for the backends: the converter's graph (ONNX import and the pass
// pipeline, exactly as qnn-onnx-converter runs them, static shapes from the model) and how
// each graph input and output maps to the test's data. The converter may have made a
// rank-4 input or output NHWC (io_layout; attribute "io_layout.<name>"): such data is
// permuted from the ONNX layout on the way in and back on the way out.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "freeze.h"
#include "ir/graph.h"
#include "node_test.h"
#include "support/status.h"

namespace oqnn::conformance {

struct IoBinding {
  std::string name;       // the graph tensor's name
  size_t onnx_index = 0;  // position among the test's input_K / output_K files
  bool nhwc = false;      // the graph holds it NHWC, the test data NCHW
  // A static-maximum output (attributes "valid_count.<name>" / "valid_axis.<name>",
  // docs/architecture.md): the graph output holding its valid length along valid_axis.
  // Only that prefix is compared, and the length must be the reference's.
  std::string valid_count;
  int64_t valid_axis = 0;
};

struct PreparedTest {
  ir::Graph graph;
  std::vector<IoBinding> inputs, outputs;  // in graph input / output order
  FrozenModel frozen;                      // when inputs were frozen (freeze.h)
};

// Converts `model_path` (the test's model, or its frozen copy whose frozen inputs are
// `frozen`). Errors keep the converter's code: kUnsupported is what qnn-onnx-converter
// would refuse with exit code 3. An input whose dimensions the model leaves unknown is
// bound to the shape of `first`'s data, as a user would with --input_dim; a tensor with no
// elements cannot be bound so (unsupported).
Expected<PreparedTest> prepare_test(const NodeTest& t, const DataSet& first,
                                    const std::string& model_path,
                                    const std::vector<std::string>& frozen);

// Unsupported when a data set feeds a graph input or expects an output of a type the IR
// does not hold (strings, uint64...); bad input when the data does not fit the graph's I/O.
Status check_data(const PreparedTest& p, const std::vector<DataSet>& sets);

// Whether graph output `name` is another output's valid count (not an ONNX output).
bool is_valid_count(const PreparedTest& p, const std::string& name);
// The first `count` entries along `axis` of row-major `v` of `shape`.
std::vector<float> valid_prefix(std::span<const float> v, const ir::Shape& shape, int64_t axis,
                                int64_t count);

// NCHW <-> NHWC for rank-4 data; `to_nhwc` picks the direction, `shape` is the source's.
std::vector<float> permute_nchw(std::span<const float> v, const ir::Shape& shape, bool to_nhwc);
ir::Shape nhwc_shape(const ir::Shape& nchw);

// A graph input's values for one data set, in the graph's layout.
std::vector<float> graph_input_values(const IoBinding& b, const DataSet& s);
// All of a data set's inputs, in graph input order (calibration samples).
std::vector<std::vector<float>> graph_inputs(const PreparedTest& p, const DataSet& s);

}  // namespace oqnn::conformance
