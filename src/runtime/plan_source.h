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

// Stages "compose", "calibrate" (when it ran) and "finalize" go to `prof`.
// `calibration` may be null (no input list).
Expected<FinalizedModel> finalize_model(Backend& backend, const std::string& model_path,
                                        const std::string& model_prefix,
                                        const InputList* calibration, ProfileRecorder& prof);

struct RetrievedContext {
  LoadedContext context;
  Plan plan;
};

// Checks that the context was made for `backend` and deserializes its plan (stages "load":
// map and validate the file, and "deserialize": the backend rebuilds its plan).
Expected<RetrievedContext> retrieve_context(Backend& backend, const std::string& path,
                                            ProfileRecorder& prof);

}  // namespace oqnn::rt
