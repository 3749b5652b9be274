#include "runtime/quant_completion.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <thread>

#include "quant/calibrate.h"
#include "quant/quantize.h"
#include "runtime/raw_io.h"
#include "runtime/thread_pool.h"

namespace oqnn::rt {
namespace {

TensorInfo info_of(const ir::Tensor& t) {
  return TensorInfo{t.name, t.dtype, t.shape, t.encoding, ""};
}

// Completion keeps the activation bitwidth the graph already uses (the most common one among
// its encoded activations), 8 when it has none.
int activation_bitwidth(const ir::Graph& g) {
  std::map<int, int> votes;
  for (const auto& t : g.tensors)
    if (!t.is_static() && t.encoding && (t.encoding->bitwidth == 8 || t.encoding->bitwidth == 16))
      ++votes[t.encoding->bitwidth];
  int best = 8, count = 0;
  for (const auto& [bw, n] : votes)
    if (n > count) best = bw, count = n;
  return best;
}

}  // namespace

std::vector<std::string> tensors_missing_encodings(const ir::Graph& g) {
  std::vector<std::string> missing;
  for (const auto& t : g.tensors)
    if (!t.is_static() && ir::is_float(t.dtype) && !t.encoding &&
        !g.attributes.count(std::string(quant::kFloatFallbackAttr) + t.name))
      missing.push_back(t.name);
  return missing;
}

Expected<std::vector<std::vector<std::vector<float>>>> read_calibration_inputs(
    const ir::Graph& g, const InputList& list) {
  std::vector<TensorInfo> inputs;
  for (ir::TensorId id : g.inputs) inputs.push_back(info_of(g.tensor(id)));
  for (auto& t : inputs) t.encoding.reset();  // the files hold float32 values
  std::vector<std::vector<std::vector<float>>> samples;
  for (const InputLine& line : list.lines) {
    OQNN_ASSIGN_OR_RETURN(auto paths, assign_inputs(list, line, inputs));
    std::vector<std::vector<float>> sample;
    for (size_t j = 0; j < inputs.size(); ++j) {
      TensorInfo as_float = inputs[j];
      as_float.dtype = ir::DataType::kFloat32;
      OQNN_ASSIGN_OR_RETURN(auto bytes, read_raw_input(paths[j], as_float, false));
      std::vector<float> values(bytes.size() / sizeof(float));
      if (!bytes.empty()) std::memcpy(values.data(), bytes.data(), bytes.size());
      sample.push_back(std::move(values));
    }
    samples.push_back(std::move(sample));
  }
  return samples;
}

Status complete_quantization(ir::Graph& g, const InputList& list) {
  auto missing = tensors_missing_encodings(g);
  if (missing.empty()) return Status::ok();
  spdlog::info("{} tensor(s) have no encoding; calibrating them over {} sample(s) of {}",
               missing.size(), list.lines.size(), list.origin);
  OQNN_ASSIGN_OR_RETURN(auto samples, read_calibration_inputs(g, list));
  return complete_quantization(g, samples);
}

Status complete_quantization(ir::Graph& g,
                             const std::vector<std::vector<std::vector<float>>>& samples) {
  if (tensors_missing_encodings(g).empty()) return Status::ok();
  int threads = available_cores();
  OQNN_ASSIGN_OR_RETURN(quant::ActivationRanges ranges, quant::calibrate(g, samples, threads));
  quant::QuantizeOptions opts;
  opts.act_bitwidth = activation_bitwidth(g);
  return quant::quantize_graph(g, opts, nullptr, &ranges, nullptr);
}

}  // namespace oqnn::rt
