#include "backends/cpu/backend/cpu_backend.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <thread>

#include "backends/cpu/kernel_registry.h"
#include "backends/cpu/kernels.h"
#include "ir/serialize.h"
#include "ir/verifier.h"
#include "runtime/host_plan.h"
#include "runtime/performance_modes.h"
#include "runtime/thread_pool.h"

namespace oqnn::cpu {
namespace {

constexpr int kMaxThreads = 1024;

Error config_error(const std::string& key, const std::string& what) {
  return bad_input("cpu backend config: '" + key + "' " + what);
}

// Checks the graph against the kernel registry and the dtypes the kernels run, and drops
// encodings: this backend computes float32 (and integer/bool tensors natively) and
// exchanges float32 I/O for float tensors.
Status prepare_graph(ir::Graph& g) {
  OQNN_RETURN_IF_ERROR(ir::verify(g));
  for (const ir::Node& n : g.nodes)
    if (!supports_op(n.op))
      return unsupported("node '" + n.name + "' (" + n.op + "): not supported by the cpu backend");
  // float16 and int64 tensors exist only at the I/O boundary (a graph input or output and
  // the Cast converting it); the kernels of every other op refuse them by dtype.
  for (ir::Tensor& t : g.tensors) t.encoding.reset();
  return Status::ok();
}

class CpuBackend final : public rt::BackendImpl {
 public:
  explicit CpuBackend(CpuConfig cfg) : cfg_(std::move(cfg)) {}

  Expected<std::unique_ptr<rt::PlanImpl>> finalize(ir::Graph graph) override {
    OQNN_RETURN_IF_ERROR(prepare_graph(graph));
    return make_plan(std::move(graph));
  }

  Expected<std::unique_ptr<rt::PlanImpl>> deserialize(std::shared_ptr<const Blob> blob) override {
    OQNN_ASSIGN_OR_RETURN(ir::Graph g,
                          ir::deserialize_graph(blob, 0, blob->size(), "cpu context binary"));
    OQNN_RETURN_IF_ERROR(prepare_graph(g));
    return make_plan(std::move(g));
  }

 private:
  Expected<std::unique_ptr<rt::PlanImpl>> make_plan(ir::Graph g) {
    OQNN_ASSIGN_OR_RETURN(auto plan,
                          rt::HostPlan::create(std::move(g), make_kernel, cfg_.num_threads));
    return std::unique_ptr<rt::PlanImpl>(std::move(plan));
  }
  CpuConfig cfg_;
};

}  // namespace

Expected<CpuConfig> parse_cpu_config(const std::string& text) {
  CpuConfig cfg;
  cfg.num_threads = std::clamp(rt::available_cores(), 1, kMaxThreads);
  auto root = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded()) return bad_input("cpu backend config: not valid JSON");
  if (!root.is_object()) return bad_input("cpu backend config: expected a JSON object");
  const nlohmann::json* sec = &root;
  if (auto it = root.find("cpu_config"); it != root.end()) {
    if (!it->is_object()) return config_error("cpu_config", "must be an object");
    sec = &*it;
  }
  if (auto it = sec->find("num_threads"); it != sec->end()) {
    if (!it->is_number_integer()) return config_error("num_threads", "must be an integer");
    auto v = it->get<int64_t>();
    if (v < 1 || v > kMaxThreads)
      return config_error("num_threads", "must be between 1 and " + std::to_string(kMaxThreads) +
                                             ", got " + std::to_string(v));
    cfg.num_threads = static_cast<int>(v);
  }
  if (auto it = sec->find("performance_mode"); it != sec->end()) {
    if (!it->is_string()) return config_error("performance_mode", "must be a string");
    cfg.performance_mode = it->get<std::string>();
    if (std::find(rt::kPerformanceModes.begin(), rt::kPerformanceModes.end(),
                  cfg.performance_mode) == rt::kPerformanceModes.end()) {
      std::string all;
      for (auto m : rt::kPerformanceModes) all += (all.empty() ? "" : ", ") + std::string(m);
      return config_error("performance_mode",
                          "has unknown value '" + cfg.performance_mode + "' (one of: " + all + ")");
    }
  }
  if (auto it = sec->find("enable_fast_math"); it != sec->end()) {
    if (!it->is_boolean()) return config_error("enable_fast_math", "must be true or false");
    cfg.enable_fast_math = it->get<bool>();
  }
  return cfg;
}

Expected<std::unique_ptr<rt::BackendImpl>> create_cpu_backend(const std::string& config_json) {
  OQNN_ASSIGN_OR_RETURN(CpuConfig cfg, parse_cpu_config(config_json));
  return std::unique_ptr<rt::BackendImpl>(std::make_unique<CpuBackend>(std::move(cfg)));
}

}  // namespace oqnn::cpu
