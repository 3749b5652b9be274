#include "runtime/plan_source.h"

#include <spdlog/spdlog.h>

#include "runtime/graph_partition.h"
#include "runtime/quant_completion.h"

#include <algorithm>

namespace oqnn::rt {

Expected<Backend> open_backend(const std::string& spec, const std::string& config_file,
                               const std::string& perf_profile) {
  BackendConfigs configs;
  if (!config_file.empty()) {
    OQNN_ASSIGN_OR_RETURN(configs, load_backend_config(config_file));
  }
  if (!perf_profile.empty()) {
    for (std::string* section : {&configs.htp, &configs.gpu, &configs.cpu}) {
      OQNN_ASSIGN_OR_RETURN(*section, with_performance_mode(*section, perf_profile));
    }
  }
  OQNN_ASSIGN_OR_RETURN(Backend backend, Backend::load(spec, configs));
  spdlog::info("backend {} {} from {}", backend.name(), backend.version(), backend.library_path());
  return backend;
}

Expected<FinalizedModel> finalize_model(Backend& backend, const std::string& model_path,
                                        const std::string& model_prefix,
                                        const InputList* calibration, ProfileRecorder& prof,
                                        const FallbackOptions* fallback) {
  auto t0 = std::chrono::steady_clock::now();
  OQNN_ASSIGN_OR_RETURN(LoadedModel model, load_model_library(model_path, model_prefix));
  prof.add_stage("compose", micros_since(t0));
  prof.set_graph(model.graph.name);
  // Without an input list the HTP finalize reports the missing encodings itself (naming the
  // tensors and both ways to fix it).
  if (backend.id() == OQNN_BACKEND_HTP && calibration &&
      !tensors_missing_encodings(model.graph).empty()) {
    t0 = std::chrono::steady_clock::now();
    OQNN_RETURN_IF_ERROR(complete_quantization(model.graph, *calibration));
    prof.add_stage("calibrate", micros_since(t0));
  }
  t0 = std::chrono::steady_clock::now();
  OQNN_ASSIGN_OR_RETURN(Plan plan,
                        finalize_with_fallback(backend, model.graph, model_path, fallback));
  prof.add_stage("finalize", micros_since(t0));
  return FinalizedModel{std::move(model), std::move(plan)};
}

namespace {

Error named(Error e, const std::string& origin) {
  e.message = origin + ": " + e.message;  // the backend names the node; name the file too
  return e;
}

// The node an unsupported error of a backend names ("node 'x' (Op): ..."), if it is one of
// `g`'s nodes on the primary backend.
std::optional<size_t> refused_node(const Error& e, const ir::Graph& g,
                                   const std::vector<bool>& on_primary) {
  if (e.code != ErrorCode::kUnsupported) return std::nullopt;
  size_t at = e.message.find("node '");
  if (at == std::string::npos) return std::nullopt;
  size_t end = e.message.find("' (", at + 6);
  if (end == std::string::npos) return std::nullopt;
  std::string name = e.message.substr(at + 6, end - at - 6);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (on_primary[i] && g.nodes[i].name == name) return i;
  return std::nullopt;
}

Error fallback_refused(const ir::Graph& g, const std::vector<bool>& on_primary,
                       const std::string& backend) {
  return unsupported("the " + backend + " backend cannot run " + fallback_summary(g, on_primary),
                     {"drop --disable_cpu_fallback to run these nodes on the cpu backend"});
}

}  // namespace

Expected<Plan> finalize_with_fallback(Backend& backend, const ir::Graph& graph,
                                      const std::string& origin, const FallbackOptions* fallback) {
  if (!fallback || backend.id() == OQNN_BACKEND_CPU) {
    auto plan = backend.finalize(graph);
    if (!plan) return named(plan.error(), origin);
    return std::move(*plan);
  }
  std::vector<bool> on_primary = nodes_supported(graph, backend.capabilities(), backend.name());
  std::optional<Backend> cpu;
  // Each round finalizes the parts; a node the primary backend refuses (a constraint its
  // capability table does not show) moves to the cpu and the graph is cut again.
  for (size_t round = 0; round <= graph.nodes.size(); ++round) {
    bool all_primary = std::all_of(on_primary.begin(), on_primary.end(), [](bool b) { return b; });
    if (!all_primary && !fallback->allow)
      return named(fallback_refused(graph, on_primary, backend.name()), origin);
    if (all_primary) {
      auto plan = backend.finalize(graph);
      if (plan) return std::move(*plan);
      auto node = refused_node(plan.error(), graph, on_primary);
      if (!node || !fallback->allow) return named(plan.error(), origin);
      on_primary[*node] = false;
      continue;
    }
    if (!cpu) {
      OQNN_ASSIGN_OR_RETURN(cpu,
                            open_backend("cpu", fallback->config_file, fallback->perf_profile));
    }
    std::vector<GraphPart> parts = split_graph(graph, on_primary);
    std::vector<PlanPart> plans;
    std::optional<size_t> retry;
    for (GraphPart& part : parts) {
      Backend& b = part.primary ? backend : *cpu;
      auto plan = b.finalize(part.graph);
      if (!plan) {
        retry = part.primary ? refused_node(plan.error(), graph, on_primary) : std::nullopt;
        if (!retry) return named(plan.error(), origin);
        break;
      }
      plans.push_back(PlanPart{part.graph.name, b.id(), std::move(*plan)});
    }
    if (retry) {
      on_primary[*retry] = false;
      continue;
    }
    size_t on_cpu = 0;
    for (const PlanPart& p : plans) on_cpu += p.backend_id == OQNN_BACKEND_CPU ? 1 : 0;
    spdlog::warn("{}: cpu fallback for {}; {} partitions, {} of them on the cpu", origin,
                 fallback_summary(graph, on_primary), plans.size(), on_cpu);
    std::vector<std::string> ins, outs;
    for (ir::TensorId t : graph.inputs) ins.push_back(graph.tensor(t).name);
    for (ir::TensorId t : graph.outputs) outs.push_back(graph.tensor(t).name);
    return Plan::partitioned(std::move(plans), ins, outs);
  }
  return internal_error(origin + ": partitioning did not settle");
}

Expected<RetrievedContext> retrieve_context(Backend& backend, const std::string& path,
                                            ProfileRecorder& prof, const std::string& config_file) {
  auto t0 = std::chrono::steady_clock::now();
  OQNN_ASSIGN_OR_RETURN(LoadedContext ctx, read_context_binary(path));
  prof.add_stage("load", micros_since(t0));  // map and validate the container
  const ContextInfo& info = ctx.info;
  if (info.backend_id != backend.id()) {
    std::string made_for = info.backend_name.empty()
                               ? "backend id " + std::to_string(info.backend_id)
                               : "the " + info.backend_name + " backend";
    return bad_input(path + ": the context binary was generated for " + made_for +
                         ", but --backend loaded the " + backend.name() + " backend (" +
                         backend.library_path() + ")",
                     {"pass --backend " +
                      (info.backend_name.empty() ? std::string("<backend>") : info.backend_name) +
                      ", or regenerate the context binary with --backend " + backend.name()});
  }
  if (info.backend_version != backend.version())
    spdlog::warn("{}: generated by {} backend version {}, running with version {}", path,
                 info.backend_name, info.backend_version, backend.version());
  t0 = std::chrono::steady_clock::now();
  std::optional<Plan> plan;
  // One partition of the backend itself is its plan; a lone cpu partition (every node fell
  // back) goes through the partitioned plan like any other.
  if (ctx.partitions.size() == 1 && ctx.partitions[0].backend_id == backend.id()) {
    auto p = backend.deserialize(ctx.partitions[0].plan);
    if (!p) return named(p.error(), path);
    plan = std::move(*p);
  } else {
    std::optional<Backend> cpu;
    std::vector<PlanPart> parts;
    for (const Partition& part : ctx.partitions) {
      Backend* b = &backend;
      if (part.backend_id != backend.id()) {
        if (part.backend_id != OQNN_BACKEND_CPU)
          return bad_input(path + ": partition '" + part.name + "' is for backend id " +
                           std::to_string(part.backend_id) + "; only cpu partitions may join the " +
                           backend.name() + " backend's");
        if (!cpu) {
          OQNN_ASSIGN_OR_RETURN(cpu, open_backend("cpu", config_file, ""));
        }
        b = &*cpu;
      }
      auto p = b->deserialize(part.plan);
      if (!p) return named(p.error(), path + " (partition '" + part.name + "')");
      parts.push_back(PlanPart{part.name, b->id(), std::move(*p)});
    }
    std::vector<std::string> ins, outs;
    for (const TensorInfo& t : info.inputs) ins.push_back(t.name);
    for (const TensorInfo& t : info.outputs) outs.push_back(t.name);
    auto p = Plan::partitioned(std::move(parts), ins, outs);
    if (!p) return named(p.error(), path);
    plan = std::move(*p);
  }
  prof.add_stage("deserialize", micros_since(t0));
  prof.set_graph(info.graph_name);
  return RetrievedContext{std::move(ctx), std::move(*plan)};
}

}  // namespace oqnn::rt
