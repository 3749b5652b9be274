#include "backends/htp/htp_backend.h"

#include "backends/htp/quantize_graph.h"
#include "backends/htp/ref/qtensor.h"
#include "ir/serialize.h"
#include "ir/verifier.h"
#include "runtime/host_plan.h"

namespace oqnn::htp {

Expected<std::unique_ptr<rt::PlanImpl>> HtpBackend::finalize(ir::Graph graph) {
  QuantizeOptions options;
  options.widen_activations_to_16 = config_.precision_mode == "int16";
  OQNN_ASSIGN_OR_RETURN(ir::Graph quantized, quantize_graph(std::move(graph), options));
  OQNN_ASSIGN_OR_RETURN(
      auto plan,
      rt::HostPlan::create(std::move(quantized), kernel_factory(variant_), config_.hvx_threads));
  return std::unique_ptr<rt::PlanImpl>(std::move(plan));
}

Expected<std::unique_ptr<rt::PlanImpl>> HtpBackend::deserialize(std::shared_ptr<const Blob> blob) {
  const size_t size = blob->size();
  OQNN_ASSIGN_OR_RETURN(ir::Graph g, ir::deserialize_graph(std::move(blob), 0, size, "HTP plan"));
  // The bytes may come from an untrusted file: re-check the graph before building kernels.
  OQNN_RETURN_IF_ERROR(ir::verify(g));
  auto codes = integer_codes(g);
  if (!codes) return bad_input("HTP plan: " + codes.error().message);
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const ir::Tensor& t = g.tensors[i];
    if (!t.is_static() && t.dtype != ir::DataType::kUInt8 && t.dtype != ir::DataType::kUInt16 &&
        !is_unquantized(t) && !(*codes)[i])
      return bad_input("HTP plan: tensor '" + t.name + "' is " +
                       std::string(ir::dtype_name(t.dtype)) +
                       ", not a quantized activation, integer codes, int32 or bool");
  }
  OQNN_ASSIGN_OR_RETURN(
      auto plan, rt::HostPlan::create(std::move(g), kernel_factory(variant_), config_.hvx_threads));
  return std::unique_ptr<rt::PlanImpl>(std::move(plan));
}

Expected<std::unique_ptr<rt::BackendImpl>> create_backend(const std::string& config_json) {
  OQNN_ASSIGN_OR_RETURN(HtpConfig config, parse_htp_config(config_json));
  return std::unique_ptr<rt::BackendImpl>(new HtpBackend(std::move(config)));
}

}  // namespace oqnn::htp
