#include "runtime/context_generator.h"

#include <spdlog/spdlog.h>

#include "runtime/plan_source.h"
#include "runtime/version.h"

namespace oqnn::rt {
namespace {

// The plan's I/O as the metadata records it, with each tensor's layout from the graph.
std::vector<TensorInfo> with_layouts(std::vector<TensorInfo> ts, const ir::Graph& g) {
  for (auto& t : ts) {
    auto it = g.attributes.find("io_layout." + t.name);
    if (it != g.attributes.end()) t.layout = it->second;
  }
  return ts;
}

ContextInfo context_info(const Backend& backend, const FinalizedModel& fm,
                         const ContextGenOptions& o) {
  ContextInfo info;
  info.backend_id = backend.id();
  info.backend_name = backend.name();
  info.backend_version = backend.version();
  info.toolchain_version = toolchain_version();
  info.graph_name = fm.model.graph.name;
  info.inputs = with_layouts(fm.plan.inputs(), fm.model.graph);
  info.outputs = with_layouts(fm.plan.outputs(), fm.model.graph);
  info.attributes = fm.model.graph.attributes;
  // Base names only: the same command run from another folder gives the same bytes.
  info.attributes["generator.model_library"] = basename_of(o.model_path);
  info.attributes["generator.model_prefix"] = o.model_prefix;
  if (!o.optimization_level.empty())
    info.attributes["generator.optimization_level"] = o.optimization_level;
  return info;
}

}  // namespace

Expected<ContextGenResult> generate_context_binary(const ContextGenOptions& o, OutputGuard& guard) {
  ProfileRecorder prof(o.profiling, "qnn-context-binary-generator");
  auto t0 = std::chrono::steady_clock::now();
  OQNN_ASSIGN_OR_RETURN(Backend backend, open_backend(o.backend, o.config_file, ""));
  prof.add_stage("init", micros_since(t0));
  prof.set_backend(backend.name(), backend.version());

  std::optional<InputList> calibration;
  if (!o.input_list.empty()) {
    OQNN_ASSIGN_OR_RETURN(calibration, read_input_list(o.input_list));
  }
  FallbackOptions fallback{o.cpu_fallback, o.config_file, ""};
  OQNN_ASSIGN_OR_RETURN(FinalizedModel fm,
                        finalize_model(backend, o.model_path, o.model_prefix,
                                       calibration ? &*calibration : nullptr, prof, &fallback));
  t0 = std::chrono::steady_clock::now();
  // One plan section per partition; the bytes must outlive the write.
  std::vector<std::vector<std::byte>> plan_bytes;
  std::vector<PartitionBytes> sections;
  if (fm.plan.parts().empty()) {
    OQNN_ASSIGN_OR_RETURN(auto bytes, fm.plan.serialize());
    plan_bytes.push_back(std::move(bytes));
    sections.push_back({fm.model.graph.name, backend.id(), {}});
  } else {
    for (const PlanPart& part : fm.plan.parts()) {
      OQNN_ASSIGN_OR_RETURN(auto bytes, part.plan.serialize());
      plan_bytes.push_back(std::move(bytes));
      sections.push_back({part.name, part.backend_id, {}});
    }
  }
  size_t total = 0;
  for (size_t i = 0; i < sections.size(); ++i) {
    sections[i].plan = plan_bytes[i];
    total += plan_bytes[i].size();
  }
  prof.add_stage("serialize", micros_since(t0));

  ContextGenResult result;
  std::string name = o.binary_file.empty() ? backend.name() + "_context" : o.binary_file;
  result.binary_path = join_path(o.output_dir, name + ".bin");
  OQNN_RETURN_IF_ERROR(guard.make_dirs(dirname_of(result.binary_path)));
  guard.add_file(result.binary_path);
  OQNN_RETURN_IF_ERROR(
      write_context_binary(result.binary_path, context_info(backend, fm, o), sections));
  spdlog::info("wrote {} ({} bytes of plan in {} partition{})", result.binary_path, total,
               sections.size(), sections.size() == 1 ? "" : "s");
  if (prof.enabled()) {
    result.profiling_log = join_path(o.output_dir, kProfilingLogName);
    guard.add_file(result.profiling_log);
    OQNN_RETURN_IF_ERROR(write_profile_log(result.profiling_log, prof.log()));
  }
  return result;
}

}  // namespace oqnn::rt
