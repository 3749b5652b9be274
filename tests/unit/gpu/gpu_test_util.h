// Helpers for the GPU backend tests: build small graphs with random data, run them on the
// GPU backend and on the CPU reference kernels (the oracle), and compare.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backends/gpu/gpu_backend.h"
#include "ir/graph.h"
#include "runtime/backend_glue.h"

namespace oqnn::gpu::testing {

// A backend for `config_json`, or nullptr with `why` set when this machine has no
// OpenCL device (the tests then skip).
std::unique_ptr<GpuBackend> open_backend(const std::string& config_json, std::string* why);
// The same, kept for the whole test program (one program build per config, not per test).
GpuBackend* shared_backend(const std::string& config_json, std::string* why);

struct InputSpec {
  ir::Shape shape;
  bool is_static = false;
  float lo = -1.0f, hi = 1.0f;  // uniform random values (integers: lo..hi inclusive)
  ir::DataType dtype = ir::DataType::kFloat32;
};

// A graph holding one node of `op` whose output shape comes from the op's shape rule.
// Non-static inputs become graph inputs named in0, in1, ...; the outputs are "out", then
// "out1", "out2", ... when the node has more than one.
ir::Graph one_node_graph(const std::string& op, const std::vector<InputSpec>& inputs,
                         const ir::Params& params, uint32_t seed, int outputs = 1);

// Random values for every graph input, in graph-input order.
std::vector<std::vector<float>> random_inputs(const ir::Graph& g, uint32_t seed, float lo = -1.0f,
                                              float hi = 1.0f);

using Tensors = std::vector<std::vector<float>>;
// Runs a plan; the status is checked with gtest assertions by the caller.
Status run_plan(rt::PlanImpl& plan, const Tensors& inputs, Tensors* outputs,
                const OqnnExecuteOptions* opts = nullptr);
// Runs the graph on the CPU reference kernels.
Status run_reference(const ir::Graph& g, const Tensors& inputs, Tensors* outputs);

// Tensors of any dtype, as the bytes a view carries (float32 for float tensors).
using Bytes = std::vector<std::vector<std::byte>>;
// Random values for every graph input in its dtype: floats uniform in [lo, hi), integers
// uniform in [lo, hi] (clamped to the type), bool 0 or 1.
Bytes random_bytes(const ir::Graph& g, uint32_t seed, float lo = -1.0f, float hi = 1.0f);
Status run_plan_bytes(rt::PlanImpl& plan, const Bytes& inputs, Bytes* outputs);
Status run_reference_bytes(const ir::Graph& g, const Bytes& inputs, Bytes* outputs);
// Runs `g` on the CPU reference kernels into *want, then finalizes it on `backend` and runs
// the plan into *got; returns the plan (for more runs) or the first error.
Expected<std::unique_ptr<rt::PlanImpl>> run_gpu_and_reference(GpuBackend& backend,
                                                              const ir::Graph& g,
                                                              const Bytes& inputs, Bytes* want,
                                                              Bytes* got);
// An output's bytes as float32 values (for relative_error on float outputs).
std::vector<float> as_floats(const std::vector<std::byte>& b);

// max |a - b| over max |b| (0 when both are 0); sizes must match (else +inf).
double relative_error(const std::vector<float>& a, const std::vector<float>& b);

// The ops that test_gpu_indexing.cpp's cases cover (for the coverage test of test_gpu_ops).
std::vector<std::string> index_case_ops();
// The "op dtype" rows that test_gpu_eltwise.cpp's cases cover (input dtype; Select's values).
std::vector<std::string> eltwise_case_rows();
// The "op dtype" rows that test_gpu_table_ops.cpp's cases cover (the ops of table_ops.h).
std::vector<std::string> table_case_rows();

}  // namespace oqnn::gpu::testing
