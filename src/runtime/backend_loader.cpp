#include "runtime/backend_loader.h"

#include <dlfcn.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "ir/serialize.h"
#include "runtime/backend_glue.h"
#include "runtime/partitioned_plan.h"

namespace oqnn::rt {
namespace {

constexpr uint32_t kErrLen = 16384;

struct ShortName {
  const char* name;
  const char* library;
  uint32_t id;
};
constexpr std::array<ShortName, 3> kShortNames{{
    {"cpu", "libQnnCpu.so", OQNN_BACKEND_CPU},
    {"gpu", "libQnnGpu.so", OQNN_BACKEND_GPU},
    {"htp", "libQnnHtp.so", OQNN_BACKEND_HTP},
}};

// QNN backends OpenQNN does not implement: named, so that scripts get "unsupported"
// rather than "not found".
constexpr std::array<ShortName, 4> kQnnOnly{{
    {"dsp", "libQnnDsp.so", 0},
    {"hta", "libQnnHta.so", 0},
    {"saver", "libQnnSaver.so", 0},
    {"lpai", "libQnnLpai.so", 0},
}};

// The C ABI joins message and hints with newlines (backend_glue.cpp); split them again.
Error error_from_c(int rc, const char* err, const std::string& fallback) {
  std::string text(err);
  Error e;
  e.code = rc >= 1 && rc <= 4 ? static_cast<ErrorCode>(rc) : ErrorCode::kInternal;
  size_t nl = text.find('\n');
  e.message = text.substr(0, nl);
  if (e.message.empty()) e.message = fallback + " failed (status " + std::to_string(rc) + ")";
  while (nl != std::string::npos) {
    size_t next = text.find('\n', nl + 1);
    std::string hint = text.substr(nl + 1, next == std::string::npos ? next : next - nl - 1);
    if (!hint.empty()) e.hints.push_back(hint);
    nl = next;
  }
  return e;
}

std::string string_or_empty(const char* s) {
  return s ? std::string(s) : std::string();
}

}  // namespace

struct BackendState {
  void* dl = nullptr;
  const OqnnBackendInterface* iface = nullptr;
  void* instance = nullptr;
  std::string path, name, version;
  ~BackendState() {
    if (instance) iface->destroy(instance);
    if (dl) dlclose(dl);
  }
};

struct PlanState {
  std::shared_ptr<BackendState> backend;  // declared first: released last
  std::shared_ptr<const Blob> blob;
  void* handle = nullptr;
  ~PlanState() {
    if (handle) backend->iface->free_plan(handle);
  }
};

Expected<std::string> backend_library_file(const std::string& spec) {
  if (spec.find('/') != std::string::npos) return spec;
  std::string lower = spec;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& s : kShortNames)
    if (lower == s.name) return std::string(s.library);
  for (const auto& s : kQnnOnly)
    if (lower == s.name || spec == s.library)
      return unsupported(spec + ": QNN's " + s.name + " backend is not supported by OpenQNN",
                         {"use htp (libQnnHtp.so), gpu (libQnnGpu.so) or cpu (libQnnCpu.so)"});
  if (spec.size() > 3 && spec.find(".so") != std::string::npos) return spec;
  return usage_error("unknown backend '" + spec + "'",
                     {"use cpu, gpu or htp, a library name such as libQnnHtp.so, or a path to a "
                      "backend library"});
}

std::string backend_short_name(uint32_t id) {
  for (const auto& s : kShortNames)
    if (s.id == id) return s.name;
  return "";
}

namespace {

// dlopen the library: a bare name is looked for beside the tools first (<exe>/../lib).
Expected<void*> open_library(const std::string& file, std::string& opened_path) {
  std::string looked_in;
  if (file.find('/') == std::string::npos) {
    namespace fs = std::filesystem;
    std::string sibling = (fs::path(executable_dir()) / ".." / "lib" / file).lexically_normal();
    if (file_exists(sibling)) {
      opened_path = sibling;
      if (void* h = dlopen(sibling.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)) return h;
      return bad_input(sibling + ": cannot load backend library: " + string_or_empty(dlerror()));
    }
    looked_in = dirname_of(sibling);
  }
  opened_path = file;
  if (void* h = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE)) {
    // Report where the loader found it, for logs and error messages.
    Dl_info info{};
    auto entry = dlsym(h, OQNN_BACKEND_ENTRY_SYMBOL);
    if (entry && dladdr(entry, &info) && info.dli_fname) opened_path = info.dli_fname;
    return h;
  }
  std::string why = string_or_empty(dlerror());
  std::vector<std::string> hints;
  if (!looked_in.empty())
    hints.push_back("looked in " + looked_in +
                    " and on the dynamic loader's search path (LD_LIBRARY_PATH)");
  hints.push_back("build the OpenQNN backends, or pass the backend library's path to --backend");
  return bad_input(file + ": cannot load backend library: " + why, hints);
}

Status check_interface(const OqnnBackendInterface* i, const std::string& path) {
  if (!i) return bad_input(path + ": " + OQNN_BACKEND_ENTRY_SYMBOL + " returned no interface");
  if (i->abi_version != OQNN_BACKEND_ABI_VERSION)
    return bad_input(path + ": backend ABI version " + std::to_string(i->abi_version) +
                         ", this runtime supports version " +
                         std::to_string(OQNN_BACKEND_ABI_VERSION),
                     {"rebuild the backend and the tools from the same OpenQNN release"});
  if (!i->create || !i->destroy || !i->finalize || !i->serialize || !i->deserialize || !i->num_io ||
      !i->io_info || !i->execute || !i->free_plan)
    return bad_input(path + ": backend interface is incomplete (a function pointer is NULL)");
  return Status::ok();
}

}  // namespace

Expected<Backend> Backend::load(const std::string& spec, const std::string& config_json) {
  return load_with(spec, nullptr, config_json);
}

Expected<Backend> Backend::load(const std::string& spec, const BackendConfigs& configs) {
  return load_with(spec, &configs, "{}");
}

Expected<Backend> Backend::load_with(const std::string& spec, const BackendConfigs* configs,
                                     const std::string& config_json) {
  OQNN_ASSIGN_OR_RETURN(std::string file, backend_library_file(spec));
  auto state = std::make_shared<BackendState>();
  OQNN_ASSIGN_OR_RETURN(state->dl, open_library(file, state->path));
  auto entry =
      reinterpret_cast<OqnnGetBackendInterfaceFn>(dlsym(state->dl, OQNN_BACKEND_ENTRY_SYMBOL));
  if (!entry)
    return bad_input(state->path + ": not an OpenQNN backend library (it does not export " +
                         OQNN_BACKEND_ENTRY_SYMBOL + ")",
                     {"Qualcomm's QNN SDK libraries cannot be loaded by OpenQNN; use the "
                      "libQnn*.so libraries built with OpenQNN"});
  state->iface = entry();
  OQNN_RETURN_IF_ERROR(check_interface(state->iface, state->path));
  state->name = string_or_empty(state->iface->name);
  state->version = string_or_empty(state->iface->version);
  std::vector<char> err(kErrLen, '\0');
  std::string config = configs ? configs->section(state->name) : config_json;
  int rc = state->iface->create(config.c_str(), &state->instance, err.data(), kErrLen);
  err.back() = '\0';
  if (rc != OQNN_OK) {
    state->instance = nullptr;
    Error e = error_from_c(rc, err.data(), state->path + ": creating the backend");
    // The backend judged its section of a config file: name the file.
    if (configs && !configs->origin.empty()) e.message = configs->origin + ": " + e.message;
    return e;
  }
  Backend b;
  b.state_ = std::move(state);
  return b;
}

const std::string& Backend::name() const {
  return state_->name;
}
uint32_t Backend::id() const {
  return state_->iface->backend_id;
}
const std::string& Backend::version() const {
  return state_->version;
}
const std::string& Backend::library_path() const {
  return state_->path;
}

std::vector<Capability> capability_rows(const OqnnBackendInterface* i) {
  std::vector<Capability> caps;
  for (uint32_t k = 0; i->capabilities && k < i->num_capabilities; ++k) {
    const OqnnOpCapability& c = i->capabilities[k];
    caps.push_back(
        {string_or_empty(c.op), string_or_empty(c.dtype), string_or_empty(c.constraints)});
  }
  return caps;
}

std::vector<Capability> Backend::capabilities() const {
  return capability_rows(state_->iface);
}

namespace {

Expected<std::vector<TensorInfo>> read_io(const OqnnBackendInterface* i, void* plan, int out) {
  std::vector<TensorInfo> ts;
  uint32_t n = i->num_io(plan, out);
  for (uint32_t k = 0; k < n; ++k) {
    OqnnTensorView v{};
    auto t = i->io_info(plan, out, k, &v) == OQNN_OK ? tensor_info_from_view(v)
                                                     : Expected<TensorInfo>(internal_error(""));
    if (!t)
      return internal_error(std::string("backend reported an invalid ") +
                            (out ? "output " : "input ") + std::to_string(k));
    ts.push_back(std::move(*t));
  }
  return ts;
}

}  // namespace

std::optional<ir::Encoding> encoding_from_c(const OqnnEncoding* c) {
  if (!c || c->num_channels == 0 || !c->scales || !c->offsets) return std::nullopt;
  ir::Encoding e;
  e.bitwidth = c->bitwidth;
  e.is_signed = c->is_signed != 0;
  e.symmetric = c->symmetric != 0;
  e.axis = c->axis;
  e.scale.assign(c->scales, c->scales + c->num_channels);
  e.offset.assign(c->offsets, c->offsets + c->num_channels);
  return e;
}

Expected<TensorInfo> tensor_info_from_view(const OqnnTensorView& v) {
  if (v.dtype < 0 || v.dtype > static_cast<int32_t>(ir::DataType::kBool) || (v.rank && !v.dims))
    return internal_error("invalid tensor view '" + string_or_empty(v.name) + "'");
  TensorInfo t;
  t.name = string_or_empty(v.name);
  t.dtype = static_cast<ir::DataType>(v.dtype);
  if (v.rank > 0) t.shape.assign(v.dims, v.dims + v.rank);
  t.encoding = encoding_from_c(v.encoding);
  return t;
}

Expected<Plan> Backend::finalize(const ir::Graph& graph) {
  std::vector<std::byte> bytes = ir::serialize_graph(graph);
  auto ps = std::make_unique<PlanState>();
  ps->backend = state_;
  std::vector<char> err(kErrLen, '\0');
  int rc = state_->iface->finalize(state_->instance, bytes.data(), bytes.size(), &ps->handle,
                                   err.data(), kErrLen);
  err.back() = '\0';
  if (rc != OQNN_OK) {
    ps->handle = nullptr;
    return error_from_c(rc, err.data(), name() + " finalize of graph '" + graph.name + "'");
  }
  OQNN_ASSIGN_OR_RETURN(auto in, read_io(state_->iface, ps->handle, 0));
  OQNN_ASSIGN_OR_RETURN(auto out, read_io(state_->iface, ps->handle, 1));
  return Plan(std::move(ps), std::move(in), std::move(out));
}

Expected<Plan> Backend::deserialize(std::shared_ptr<const Blob> blob) {
  auto ps = std::make_unique<PlanState>();
  ps->backend = state_;
  ps->blob = std::move(blob);
  std::vector<char> err(kErrLen, '\0');
  int rc = state_->iface->deserialize(state_->instance, ps->blob->data(), ps->blob->size(),
                                      &ps->handle, err.data(), kErrLen);
  err.back() = '\0';
  if (rc != OQNN_OK) {
    ps->handle = nullptr;
    return error_from_c(rc, err.data(), name() + " deserialize");
  }
  OQNN_ASSIGN_OR_RETURN(auto in, read_io(state_->iface, ps->handle, 0));
  OQNN_ASSIGN_OR_RETURN(auto out, read_io(state_->iface, ps->handle, 1));
  return Plan(std::move(ps), std::move(in), std::move(out));
}

Plan::Plan(std::unique_ptr<PlanState> state, std::vector<TensorInfo> in,
           std::vector<TensorInfo> out)
    : state_(std::move(state)), inputs_(std::move(in)), outputs_(std::move(out)) {}
Plan::Plan(std::unique_ptr<PartitionedState> parts, std::vector<TensorInfo> in,
           std::vector<TensorInfo> out)
    : parts_(std::move(parts)), inputs_(std::move(in)), outputs_(std::move(out)) {}
Plan::Plan(Plan&&) noexcept = default;
Plan& Plan::operator=(Plan&&) noexcept = default;
Plan::~Plan() = default;

namespace {

Status check_native(const std::vector<std::vector<std::byte>>& given,
                    const std::vector<TensorInfo>& want) {
  if (given.size() != want.size()) {
    std::string names;
    for (const auto& t : want) names += (names.empty() ? "" : ", ") + t.name;
    return bad_input("the graph has " + std::to_string(want.size()) + " input(s) (" + names +
                     "), got " + std::to_string(given.size()));
  }
  for (size_t i = 0; i < want.size(); ++i)
    if (given[i].size() != want[i].byte_size())
      return bad_input("input '" + want[i].name + "': expected " +
                       std::to_string(want[i].byte_size()) + " bytes (" +
                       std::string(ir::dtype_name(want[i].dtype)) + ir::shape_str(want[i].shape) +
                       "), got " + std::to_string(given[i].size()));
  return Status::ok();
}

OqnnTensorView view_of(const TensorInfo& t, const std::byte* data, size_t size,
                       std::vector<OqnnEncoding>& encs) {
  OqnnTensorView v{};
  v.name = t.name.c_str();
  v.dtype = static_cast<int32_t>(t.dtype);
  v.rank = static_cast<uint32_t>(t.shape.size());
  v.dims = t.shape.data();
  v.data = const_cast<std::byte*>(data);
  v.size = size;
  if (t.encoding) {
    encs.push_back(encoding_to_c(*t.encoding));
    v.encoding = &encs.back();
  }
  return v;
}

}  // namespace

std::string Plan::backend_name() const {
  return state_ ? state_->backend->name : std::string();
}

Status Plan::execute(const std::vector<std::vector<std::byte>>& inputs_native,
                     std::vector<std::vector<std::byte>>& outputs_native,
                     const OqnnExecuteOptions* opts) {
  OQNN_RETURN_IF_ERROR(check_native(inputs_native, inputs_));
  if (parts_) return execute_parts(*parts_, inputs_native, outputs_native, opts);
  outputs_native.resize(outputs_.size());
  std::vector<OqnnEncoding> encs;
  encs.reserve(inputs_.size() + outputs_.size());  // views point into it: no reallocation
  std::vector<OqnnTensorView> in, out;
  for (size_t i = 0; i < inputs_.size(); ++i)
    in.push_back(view_of(inputs_[i], inputs_native[i].data(), inputs_native[i].size(), encs));
  for (size_t i = 0; i < outputs_.size(); ++i) {
    outputs_native[i].resize(outputs_[i].byte_size());
    out.push_back(view_of(outputs_[i], outputs_native[i].data(), outputs_native[i].size(), encs));
  }
  const OqnnBackendInterface* iface = state_->backend->iface;
  std::vector<char> err(kErrLen, '\0');
  int rc = iface->execute(state_->handle, in.data(), static_cast<uint32_t>(in.size()), out.data(),
                          static_cast<uint32_t>(out.size()), opts, err.data(), kErrLen);
  err.back() = '\0';
  if (rc != OQNN_OK) return error_from_c(rc, err.data(), state_->backend->name + " execute");
  return Status::ok();
}

Expected<std::vector<std::byte>> Plan::serialize() const {
  if (parts_) return internal_error("a partitioned plan is serialized partition by partition");
  std::vector<std::byte> bytes;
  OqnnWriteFn append = [](void* user, const void* data, uint64_t size) -> int {
    auto* v = static_cast<std::vector<std::byte>*>(user);
    const auto* p = static_cast<const std::byte*>(data);
    v->insert(v->end(), p, p + size);
    return 0;
  };
  std::vector<char> err(kErrLen, '\0');
  int rc = state_->backend->iface->serialize(state_->handle, append, &bytes, err.data(), kErrLen);
  err.back() = '\0';
  if (rc != OQNN_OK) return error_from_c(rc, err.data(), state_->backend->name + " serialize");
  return bytes;
}

}  // namespace oqnn::rt
