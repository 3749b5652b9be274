// Helpers for the HTP tests: build small float graphs with encodings by hand, finalize
// them, run plans on integer codes, and generate deterministic random data.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "backends/htp/kernel_factory.h"
#include "ir/graph.h"
#include "runtime/host_plan.h"

namespace oqnn::htp::test {

using Bytes = std::vector<std::byte>;

ir::Encoding u8(double min, double max);   // tf encoding, 8 bits
ir::Encoding u16(double min, double max);  // tf encoding, 16 bits

// Builds a float-typed graph the way the converter hands it to a backend.
class GraphBuilder {
 public:
  explicit GraphBuilder(std::string name = "g") { g.name = std::move(name); }
  ir::TensorId input(const std::string& name, ir::Shape shape, std::optional<ir::Encoding> e);
  ir::TensorId constant(const std::string& name, ir::Shape shape, const std::vector<float>& v,
                        std::optional<ir::Encoding> e = std::nullopt);
  // Adds a node with one output whose shape comes from the op's shape rule. `output`
  // marks it a graph output.
  ir::TensorId node(const std::string& op, std::vector<ir::TensorId> inputs,
                    std::optional<ir::Encoding> out_encoding, ir::Params params = {},
                    bool output = true);
  ir::Graph g;
};

std::vector<float> random_floats(size_t n, float lo, float hi, uint32_t seed);
// Random codes covering the whole range of `t`'s dtype (uint8 or uint16).
Bytes random_codes(const ir::Tensor& t, uint32_t seed);

Expected<ir::Graph> finalize_graph(const ir::Graph& g, bool widen16 = false);
Expected<std::unique_ptr<rt::HostPlan>> make_plan(const ir::Graph& quantized, KernelVariant v,
                                                  int threads);
// Runs the plan on the given inputs (bytes in the plan's dtypes) and returns the outputs.
Expected<std::vector<Bytes>> run_plan(rt::PlanImpl& plan, const std::vector<Bytes>& inputs);
std::vector<Bytes> random_inputs(const rt::PlanImpl& plan, uint32_t seed);

// Codes of a byte buffer read as the dtype of `t`.
std::vector<int32_t> codes_of(const ir::Tensor& t, const Bytes& b);
// Real values of a tensor's codes (per-tensor or per-axis encodings).
std::vector<double> dequantize(const ir::Tensor& t, const std::vector<int32_t>& codes);
std::vector<double> static_reals(const ir::Tensor& t);  // float32 data or dequantized codes

}  // namespace oqnn::htp::test

namespace oqnn::htp::test {
// Min-max calibration by float simulation: runs `g` in double on `samples` random inputs
// drawn uniformly over each input's encoding range, and gives every non-static tensor that
// lacks an encoding a tf encoding of `bits` over the values seen.
void calibrate(ir::Graph& g, int bits, uint32_t seed, int samples = 2);
// Per-output-channel symmetric int8 encoding of a weight's data along `axis`.
ir::Encoding per_channel_encoding(const ir::Shape& shape, const std::vector<float>& v, int axis);
}  // namespace oqnn::htp::test
