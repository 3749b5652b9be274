// Loading backend libraries (libQnnCpu.so, libQnnHtp.so, libQnnGpu.so) behind
// backend_api.h, and the plans they produce. `Backend::load` takes what users pass to
// --backend: a short name ("cpu", "gpu", "htp"), a bare library name ("libQnnHtp.so"),
// both looked up in <exe_dir>/../lib first and then on the dynamic loader's search path,
// or a path containing '/', used as given. Errors reported through the C ABI keep their
// code and message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "oqnn/backend_api.h"
#include "runtime/config.h"
#include "runtime/tensor_info.h"
#include "support/files.h"
#include "support/status.h"

namespace oqnn::rt {

struct Capability {
  std::string op;
  std::string dtype;
  std::string constraints;
};

// A backend library's capability table, copied out (null strings become "").
std::vector<Capability> capability_rows(const OqnnBackendInterface* iface);

struct BackendState;
struct PlanState;
struct PartitionedState;
struct PlanPart;

// An executable plan of one backend. Keeps its backend library (and the bytes it was
// deserialized from) alive. Move-only.
class Plan {
 public:
  Plan(Plan&&) noexcept;
  Plan& operator=(Plan&&) noexcept;
  ~Plan();

  const std::vector<TensorInfo>& inputs() const { return inputs_; }
  const std::vector<TensorInfo>& outputs() const { return outputs_; }
  // Tensors travel in the plan's own dtypes ("native"); `outputs_native` is resized to fit.
  Status execute(const std::vector<std::vector<std::byte>>& inputs_native,
                 std::vector<std::vector<std::byte>>& outputs_native,
                 const OqnnExecuteOptions* opts = nullptr);
  // A single backend's plan bytes; an internal error for a partitioned plan (its parts
  // are serialized one by one into the context binary's partition sections).
  Expected<std::vector<std::byte>> serialize() const;

  // A plan made of partitions run in order (heterogeneous execution, DESIGN §5): each
  // part's inputs are graph inputs or earlier parts' outputs, matched by name, and a tensor
  // crossing parts is converted between their dtypes and encodings (quantized at an HTP
  // input, dequantized at its output). `inputs`/`outputs` name the graph's I/O in order.
  static Expected<Plan> partitioned(std::vector<PlanPart> parts,
                                    const std::vector<std::string>& inputs,
                                    const std::vector<std::string>& outputs);
  // The parts of a partitioned plan; empty for a single backend's plan.
  std::span<const PlanPart> parts() const;
  std::string backend_name() const;  // of a single plan; "" for a partitioned one

 private:
  friend class Backend;
  Plan(std::unique_ptr<PlanState> state, std::vector<TensorInfo> in, std::vector<TensorInfo> out);
  Plan(std::unique_ptr<PartitionedState> parts, std::vector<TensorInfo> in,
       std::vector<TensorInfo> out);
  std::unique_ptr<PlanState> state_;
  std::unique_ptr<PartitionedState> parts_;
  std::vector<TensorInfo> inputs_, outputs_;
};

struct PlanPart {
  std::string name;  // the partition's graph name
  uint32_t backend_id = 0;
  Plan plan;
};

class Backend {
 public:
  // `config_json` is this backend's section of the user's config ("{}" for defaults).
  static Expected<Backend> load(const std::string& spec, const std::string& config_json);
  // The same, handing the backend its own section of a config file (chosen by the name
  // the library reports, so that a backend given by path gets the right section).
  static Expected<Backend> load(const std::string& spec, const BackendConfigs& configs);

  const std::string& name() const;
  uint32_t id() const;
  const std::string& version() const;
  const std::string& library_path() const;  // the file that was loaded
  std::vector<Capability> capabilities() const;

  Expected<Plan> finalize(const ir::Graph& graph);
  // The plan may point into `blob`; it keeps it alive.
  Expected<Plan> deserialize(std::shared_ptr<const Blob> blob);

 private:
  static Expected<Backend> load_with(const std::string& spec, const BackendConfigs* configs,
                                     const std::string& config_json);
  std::shared_ptr<BackendState> state_;
};

// What a tensor view from the C ABI describes (the data itself is not copied).
std::optional<ir::Encoding> encoding_from_c(const OqnnEncoding* e);
Expected<TensorInfo> tensor_info_from_view(const OqnnTensorView& v);

// "cpu" -> "libQnnCpu.so" etc.; a name with '/' or ending in ".so" is returned as is;
// anything else is a usage error listing the valid names.
Expected<std::string> backend_library_file(const std::string& spec);
// "cpu"/"gpu"/"htp" for a backend id, "" for an unknown one.
std::string backend_short_name(uint32_t id);

}  // namespace oqnn::rt
