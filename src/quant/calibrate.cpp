#include "quant/calibrate.h"

#include <fmt/format.h>

#include <cstring>

#include "backends/cpu/kernels.h"
#include "ir/int_values.h"
#include "runtime/host_plan.h"

namespace oqnn::quant {
namespace {

Status check_samples(const ir::Graph& g,
                     const std::vector<std::vector<std::vector<float>>>& input_sets) {
  if (input_sets.empty()) return bad_input("calibration: no samples were given");
  for (ir::TensorId id : g.inputs) {
    const ir::Tensor& t = g.tensor(id);
    if (ir::is_float(t.dtype) && t.dtype != ir::DataType::kFloat32 &&
        t.dtype != ir::DataType::kFloat16)
      return unsupported(
          fmt::format("calibration: input '{}' is {}; only float32, float16, integer and bool "
                      "inputs can be calibrated",
                      t.name, ir::dtype_name(t.dtype)));
  }
  for (size_t i = 0; i < input_sets.size(); ++i) {
    if (input_sets[i].size() != g.inputs.size())
      return bad_input(fmt::format("calibration sample {}: {} inputs given, the graph has {}", i,
                                   input_sets[i].size(), g.inputs.size()));
    for (size_t j = 0; j < g.inputs.size(); ++j) {
      const ir::Tensor& t = g.tensor(g.inputs[j]);
      auto want = static_cast<size_t>(ir::num_elements(t.shape));
      if (input_sets[i][j].size() != want)
        return bad_input(
            fmt::format("calibration sample {}: input '{}' has {} values, expected "
                        "{} (shape {})",
                        i, t.name, input_sets[i][j].size(), want, ir::shape_str(t.shape)));
    }
  }
  return Status::ok();
}

// on_tensor callback: widens the range of every float32 tensor the plan computes.
void observe_tensor(void* user, const OqnnTensorView* v) {
  if (v->dtype != OQNN_DTYPE_FLOAT32 || !v->data) return;
  auto* ranges = static_cast<ActivationRanges*>(user);
  (*ranges)[v->name].observe(static_cast<const float*>(v->data), v->size / sizeof(float));
}

OqnnTensorView view_of(const ir::Tensor& t, const void* data, size_t bytes) {
  return OqnnTensorView{
      t.name.c_str(), static_cast<int32_t>(t.dtype), static_cast<uint32_t>(t.shape.size()),
      t.shape.data(), const_cast<void*>(data),       bytes,
      nullptr};
}

}  // namespace

Expected<ActivationRanges> calibrate(const ir::Graph& g,
                                     const std::vector<std::vector<std::vector<float>>>& input_sets,
                                     int num_threads) {
  OQNN_RETURN_IF_ERROR(check_samples(g, input_sets));
  OQNN_ASSIGN_OR_RETURN(auto plan, rt::HostPlan::create(g, cpu::make_kernel, num_threads));
  ActivationRanges ranges;
  std::vector<std::vector<std::byte>> out_bufs;
  std::vector<OqnnTensorView> outs;
  for (const ir::Tensor& t : plan->outputs()) {
    size_t bytes = static_cast<size_t>(ir::num_elements(t.shape)) * ir::dtype_size(t.dtype);
    out_bufs.emplace_back(bytes);
    outs.push_back(view_of(t, out_bufs.back().data(), bytes));
  }
  OqnnExecuteOptions opts{observe_tensor, nullptr, &ranges};
  for (size_t i = 0; i < input_sets.size(); ++i) {
    std::vector<OqnnTensorView> ins;
    std::vector<std::vector<std::byte>> native(g.inputs.size());
    for (size_t j = 0; j < g.inputs.size(); ++j) {
      const std::vector<float>& data = input_sets[i][j];
      const ir::Tensor& t = g.tensor(g.inputs[j]);
      if (t.dtype == ir::DataType::kFloat32) {
        ranges[t.name].observe(data.data(), data.size());
        ins.push_back(view_of(t, data.data(), data.size() * sizeof(float)));
        continue;
      }
      // float16 inputs (a float16 model's boundary, Cast to float32 inside) and integer
      // and bool inputs (token ids, masks): samples are float values, as in the input files
      // qnn-net-run reads; converted as it converts them. No range: they are not quantized.
      const size_t es = ir::dtype_size(t.dtype);
      native[j].resize(data.size() * es);
      for (size_t k = 0; k < data.size(); ++k) {
        if (t.dtype == ir::DataType::kFloat16) {
          const uint16_t h = ir::float_to_half(data[k]);
          std::memcpy(native[j].data() + k * es, &h, sizeof(h));
        } else {
          ir::store_int(t.dtype, data[k], native[j].data() + k * es);
        }
      }
      ins.push_back(view_of(t, native[j].data(), native[j].size()));
    }
    Status s = plan->execute(ins, outs, &opts);
    if (!s.is_ok())
      return make_error(s.error().code,
                        fmt::format("calibration sample {}: {}", i, s.error().message),
                        s.error().hints);
  }
  return ranges;
}

}  // namespace oqnn::quant
