#include "runtime/net_runner.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <set>

#include "runtime/plan_source.h"
#include "runtime/raw_io.h"
#include "support/names.h"

namespace oqnn::rt {
namespace {

using Tensors = std::vector<std::vector<std::byte>>;

// Intermediate tensors captured during one execute (--debug), already as float32: the
// backend's buffers are reused as soon as the callback returns.
struct DebugCapture {
  std::set<std::string> skip;  // graph outputs: written as outputs anyway
  std::vector<std::pair<TensorInfo, std::vector<float>>> tensors;
  std::optional<Error> error;
};

struct ExecuteHooks {
  ProfileRecorder* prof = nullptr;
  DebugCapture* debug = nullptr;
};

void on_tensor(void* user, const OqnnTensorView* v) {
  auto* dump = static_cast<ExecuteHooks*>(user)->debug;
  if (!dump || dump->error || !v || !v->name || dump->skip.count(v->name)) return;
  try {
    auto t = tensor_info_from_view(*v);
    if (!t || !v->data || v->size != t->byte_size()) return;
    dump->tensors.emplace_back(
        *t, native_to_float({static_cast<const std::byte*>(v->data), v->size}, *t));
  } catch (const std::exception& e) {
    dump->error = internal_error(std::string("--debug: capturing a tensor failed: ") + e.what());
  }
}

void on_node_time(void* user, const char* node, const char* op, uint64_t ns) {
  ProfileRecorder::node_time_callback(static_cast<ExecuteHooks*>(user)->prof, node, op, ns);
}

// Which plan inputs are read as native files.
Expected<std::vector<bool>> native_inputs(const NetRunOptions& o,
                                          const std::vector<TensorInfo>& in) {
  std::vector<bool> native(in.size(), o.native_inputs);
  for (const std::string& name : o.native_input_names) {
    bool found = false;
    for (size_t i = 0; i < in.size(); ++i)
      if (in[i].name == name || sanitize_name(in[i].name) == sanitize_name(name))
        native[i] = found = true;
    if (!found) {
      std::string all;
      for (const auto& t : in) all += (all.empty() ? "" : ", ") + t.name;
      return usage_error("--native_input_tensor_names: '" + name + "' is not a graph input",
                         {"the graph's inputs are: " + all});
    }
  }
  return native;
}

Expected<Tensors> read_line(const InputList& list, const InputLine& line,
                            const std::vector<TensorInfo>& in, const std::vector<bool>& native) {
  OQNN_ASSIGN_OR_RETURN(auto paths, assign_inputs(list, line, in));
  Tensors tensors;
  for (size_t j = 0; j < in.size(); ++j) {
    OQNN_ASSIGN_OR_RETURN(auto bytes, read_raw_input(paths[j], in[j], native[j]));
    tensors.push_back(std::move(bytes));
  }
  return tensors;
}

Status write_result(const std::string& dir, const Plan& plan, const Tensors& outputs,
                    const DebugCapture* debug, const NetRunOptions& o, OutputGuard& guard) {
  OQNN_RETURN_IF_ERROR(guard.make_dirs(dir));
  for (size_t k = 0; k < outputs.size(); ++k) {
    const TensorInfo& t = plan.outputs()[k];
    for (bool native : {false, true}) {
      if (native ? !o.native_outputs : !o.float_outputs) continue;
      guard.add_file(join_path(dir, output_file_name(t.name, native)));
      OQNN_RETURN_IF_ERROR(write_raw_output(dir, t, outputs[k], native).status());
    }
  }
  if (!debug) return Status::ok();
  for (const auto& [t, values] : debug->tensors) {
    TensorInfo as_float = t;
    as_float.dtype = ir::DataType::kFloat32;
    guard.add_file(join_path(dir, output_file_name(t.name, false)));
    OQNN_RETURN_IF_ERROR(
        write_raw_output(dir, as_float, std::as_bytes(std::span(values)), false).status());
  }
  return Status::ok();
}

}  // namespace

Expected<NetRunResult> run_network(const NetRunOptions& o, OutputGuard& guard) {
  ProfileRecorder prof(o.profiling, "qnn-net-run");
  OQNN_RETURN_IF_ERROR(backend_library_file(o.backend).status());  // usage errors first
  OQNN_ASSIGN_OR_RETURN(InputList list, read_input_list(o.input_list));
  auto t0 = std::chrono::steady_clock::now();
  std::optional<Backend> backend;
  OQNN_ASSIGN_OR_RETURN(backend, open_backend(o.backend, o.config_file, o.perf_profile));
  prof.add_stage("init", micros_since(t0));
  prof.set_backend(backend->name(), backend->version());

  std::optional<FinalizedModel> model;  // keeps the model library loaded while the plan runs
  std::optional<RetrievedContext> context;
  if (!o.model_path.empty()) {
    FallbackOptions fallback{o.cpu_fallback, o.config_file, o.perf_profile};
    OQNN_ASSIGN_OR_RETURN(
        model, finalize_model(*backend, o.model_path, o.model_prefix, &list, prof, &fallback));
  } else {
    OQNN_ASSIGN_OR_RETURN(context, retrieve_context(*backend, o.context_path, prof, o.config_file));
  }
  Plan& plan = model ? model->plan : context->plan;
  OQNN_ASSIGN_OR_RETURN(std::vector<bool> native, native_inputs(o, plan.inputs()));

  OQNN_RETURN_IF_ERROR(guard.make_dirs(o.output_dir));
  const size_t lines = list.lines.size();
  const size_t total = o.num_inferences > 0 ? static_cast<size_t>(o.num_inferences) : lines;
  std::vector<std::optional<Tensors>> cache(total > lines ? lines : 0);  // repeated lines
  DebugCapture debug;
  for (const auto& t : plan.outputs()) debug.skip.insert(t.name);
  ExecuteHooks hooks{&prof, o.debug ? &debug : nullptr};
  OqnnExecuteOptions exec{};
  exec.on_tensor = o.debug ? on_tensor : nullptr;
  exec.on_node_time = prof.detailed() ? on_node_time : nullptr;
  exec.user = &hooks;

  Tensors outputs;
  for (size_t i = 0; i < total; ++i) {
    const InputLine& line = list.lines[i % lines];
    Tensors fresh;
    const Tensors* inputs = nullptr;
    if (!cache.empty() && cache[i % lines]) {
      inputs = &*cache[i % lines];
    } else {
      OQNN_ASSIGN_OR_RETURN(fresh, read_line(list, line, plan.inputs(), native));
      if (!cache.empty()) cache[i % lines] = std::move(fresh);
      inputs = cache.empty() ? &fresh : &*cache[i % lines];
    }
    debug.tensors.clear();
    prof.begin_inference();
    t0 = std::chrono::steady_clock::now();
    Status s = plan.execute(*inputs, outputs, &exec);
    prof.end_inference(micros_since(t0));
    if (!s.is_ok()) {
      Error e = s.take_error();
      e.message = list.origin + ":" + std::to_string(line.line_number) + ": inference " +
                  std::to_string(i) + ": " + e.message;
      return e;
    }
    if (debug.error) return *debug.error;
    if (o.keep_num_outputs < 0 || i < static_cast<size_t>(o.keep_num_outputs)) {
      std::string dir = join_path(o.output_dir, "Result_" + std::to_string(i));
      OQNN_RETURN_IF_ERROR(write_result(dir, plan, outputs, o.debug ? &debug : nullptr, o, guard));
    }
    if (o.progress) o.progress(i + 1, total);
  }

  t0 = std::chrono::steady_clock::now();
  model.reset();
  context.reset();
  backend.reset();
  prof.add_stage("de-init", micros_since(t0));
  NetRunResult result;
  result.inferences = static_cast<int>(total);
  if (prof.enabled()) {
    result.profiling_log = join_path(o.output_dir, kProfilingLogName);
    guard.add_file(result.profiling_log);
    OQNN_RETURN_IF_ERROR(write_profile_log(result.profiling_log, prof.log()));
  }
  return result;
}

}  // namespace oqnn::rt
