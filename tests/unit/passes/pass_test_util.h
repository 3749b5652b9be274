// Test support for the passes: a builder that makes graphs the way the ONNX importer
// does (channel-first tensors with ONNX names, every spatial op wrapped as
// Transpose(0,2,3,1) -> op -> Transpose(0,3,1,2)), and a runner that executes a graph on
// the CPU reference kernels so a rewrite can be checked numerically.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "ir/graph.h"
#include "passes/pipeline.h"

namespace oqnn::passes::testing {

ir::Params params(std::initializer_list<std::pair<std::string, ir::ParamValue>> kv);
std::vector<int64_t> ints(std::initializer_list<int64_t> v);

class GraphBuilder {
 public:
  explicit GraphBuilder(uint32_t seed = 7);
  ir::TensorId input(const std::string& name, ir::Shape shape);
  // Static tensor with uniform random values in [lo, hi).
  ir::TensorId weight(const std::string& name, ir::Shape shape, float lo = -1.0f, float hi = 1.0f);
  ir::TensorId constant(const std::string& name, ir::Shape shape, std::vector<float> values);
  // One node; its output shape comes from the op table.
  ir::TensorId node(const std::string& op, std::vector<ir::TensorId> inputs,
                    const std::string& out_name, ir::Params p = {});
  ir::TensorId transpose(ir::TensorId x, std::vector<int64_t> perm, const std::string& out_name);
  // Importer-style spatial op on a channel-first tensor: the NHWC op between two
  // transposes; `out_name` names the channel-first result (the ONNX name).
  ir::TensorId spatial(const std::string& op, ir::TensorId x_nchw,
                       std::vector<ir::TensorId> extra_inputs, const std::string& out_name,
                       ir::Params p = {});
  ir::TensorId conv(ir::TensorId x_nchw, int64_t cout, int64_t k, const std::string& out_name,
                    bool bias = true, ir::Params p = {});
  void output(ir::TensorId t);
  ir::Graph& graph() { return g_; }
  ir::Graph take();

 private:
  ir::Graph g_;
  std::mt19937 rng_;
  int counter_ = 0;
};

// Random inputs for g (fixed seed), one vector per graph input.
std::vector<std::vector<float>> random_inputs(const ir::Graph& g, uint32_t seed);
// Runs g on the CPU reference kernels; fails the current test on error.
std::vector<std::vector<float>> run_graph(const ir::Graph& g,
                                          const std::vector<std::vector<float>>& inputs);
// Runs `before` and `after` on the same random inputs (given in before's layout; inputs
// and outputs that io_layout made NHWC in `after` are permuted to match) and returns the
// largest error relative to each output's largest magnitude.
double max_rel_error(const ir::Graph& before, const ir::Graph& after, uint32_t seed = 1);

int count_ops(const ir::Graph& g, const std::string& op);
// Near misses of fusions: the named tensor also becomes a graph output, or gets one more
// reader (a Sigmoid writing a new graph output).
void make_graph_output(ir::Graph& g, const std::string& tensor_name);
void add_reader(ir::Graph& g, const std::string& tensor_name);
const ir::Node* producer_of(const ir::Graph& g, const std::string& tensor_name);
// Runs one pass and fails the test on error or when the result does not verify.
bool run_pass(Pass& pass, ir::Graph& g);

}  // namespace oqnn::passes::testing
