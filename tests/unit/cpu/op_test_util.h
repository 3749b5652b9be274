// Helpers for the CPU kernel tests: a one-node graph built from an op, input shapes and
// params (outputs from the op's shape rule), seeded random data, running any kernel on
// it, and a float comparison that reports the worst element.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "runtime/host_plan.h"

namespace oqnn::cpu::testing {

struct OpInput {
  ir::Shape shape;
  bool is_static = false;  // weights and biases: data lives in the graph
};

struct OpCase {
  std::string op;
  std::vector<OpInput> inputs;
  ir::Params params;
};

// A one-node graph "node" with tensors in0.. (data in `data`, one vector per input;
// static ones are copied into the graph) and out0.. shaped by ir::infer_shapes.
struct OpGraph {
  ir::Graph graph;
  std::vector<std::vector<float>> data;
};
Expected<OpGraph> build_op_graph(const OpCase& c, std::vector<std::vector<float>> data);
// Same, with inputs drawn uniformly from [-1, 1] with `seed`.
Expected<OpGraph> build_random_op_graph(const OpCase& c, uint32_t seed);
std::vector<float> random_floats(size_t count, uint32_t seed, float lo = -1.0f, float hi = 1.0f);

// Runs `kernel` (made for og.graph's only node) with a pool of `threads`; returns the
// node's outputs.
Expected<std::vector<std::vector<float>>> run_kernel(rt::HostKernel& kernel, const OpGraph& og,
                                                     int threads);

// Builds the kernel with `factory` and runs it.
using Factory = Expected<std::unique_ptr<rt::HostKernel>> (*)(const ir::Graph&, const ir::Node&);
Expected<std::vector<std::vector<float>>> run_op(Factory factory, const OpGraph& og, int threads);

// |got - want| <= rel * (|want| + mean |want|) element-wise (the mean term keeps values
// that cancel to nearly zero from demanding more than float accumulation can give).
::testing::AssertionResult all_close(const std::vector<float>& got, const std::vector<float>& want,
                                     double rel);

// The fast Conv2d / Conv3d kernel of og's node, with every GEMM micro-kernel this CPU runs
// and 2 threads, against the reference kernel (within 1e-5).
void expect_fast_conv_matches_ref(const OpGraph& og);

}  // namespace oqnn::cpu::testing
