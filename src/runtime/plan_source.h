// Where the runner's plan comes from, shared by qnn-net-run and
// qnn-context-binary-generator: a backend opened from --backend/--config_file/--perf_profile,
// then either a model library composed and finalized now (completing quantization for HTP
// from the input list when encodings are missing), or a context binary deserialized.
#pragma once

#include <optional>
#include <string>

#include "runtime/backend_loader.h"
#include "runtime/context_binary.h"
#include "runtime/input_list.h"
#include "runtime/model_library/model_library.h"
#include "runtime/profiling.h"
#include "support/status.h"

namespace oqnn::rt {

// Loads the backend with its section of `config_file` ("" for none); a non-empty
// `perf_profile` sets performance_mode in every section.
Expected<Backend> open_backend(const std::string& spec, const std::string& config_file,
                               const std::string& perf_profile);

struct FinalizedModel {
  LoadedModel model;  // the composed graph (quantization completed where it was)
  Plan plan;
};

// CPU fallback (DESIGN §5): nodes the gpu or htp backend cannot run are finalized by the
// cpu backend, the graph cut into partitions run in order. `allow` false makes any such
// node an unsupported error naming them all (--disable_cpu_fallback).
struct FallbackOptions {
  bool allow = true;
  std::string config_file;  // the cpu backend's section comes from it
  std::string perf_profile;
};

// Stages "compose", "calibrate" (when it ran) and "finalize" go to `prof`.
// `calibration` may be null (no input list); so may `fallback` (no fallback: the backend
// finalizes the whole graph or fails).
Expected<FinalizedModel> finalize_model(Backend& backend, const std::string& model_path,
                                        const std::string& model_prefix,
                                        const InputList* calibration, ProfileRecorder& prof,
                                        const FallbackOptions* fallback = nullptr);

// Finalizes `graph` on `backend`, with the nodes it cannot run on the cpu backend when
// `fallback` allows (a partitioned plan, or a single plan when none fall back). Errors
// name `origin` (the model library or context binary).
Expected<Plan> finalize_with_fallback(Backend& backend, const ir::Graph& graph,
                                      const std::string& origin, const FallbackOptions* fallback);

struct RetrievedContext {
  LoadedContext context;
  Plan plan;
};

// Checks that the context was made for `backend` and deserializes its plan (stages "load":
// map and validate the file, and "deserialize": the backend rebuilds its plan). A context
// with cpu fallback partitions loads the cpu backend for them (its section of
// `config_file`).
Expected<RetrievedContext> retrieve_context(Backend& backend, const std::string& path,
                                            ProfileRecorder& prof,
                                            const std::string& config_file = "");

}  // namespace oqnn::rt
