#include "runtime/model_library/model_library.h"

#include <dlfcn.h>

#include <exception>

#include "oqnn/model_api.h"
#include "runtime/model_library/graph_builder.h"

namespace oqnn::rt {
namespace {

Expected<std::shared_ptr<void>> open_library(const std::string& path) {
  // dlopen searches the library path for a bare name; a model is always a file path.
  std::string p = path.find('/') == std::string::npos ? "./" + path : path;
  if (!file_exists(p)) return bad_input(path + ": no such model library");
  dlerror();
  void* h = dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (h == nullptr) {
    const char* why = dlerror();
    return bad_input(path + ": not a loadable shared library: " + (why ? why : "unknown error"));
  }
  return std::shared_ptr<void>(h, [](void* handle) { dlclose(handle); });
}

template <class Fn>
Expected<Fn> find_symbol(void* handle, const std::string& path, const std::string& name) {
  dlerror();
  void* sym = dlsym(handle, name.c_str());
  if (sym == nullptr)
    return bad_input(path + ": not an OpenQNN model library: it does not export '" + name + "'",
                     {"libraries built by qnn-model-lib-generator export <prefix>_composeGraphs "
                      "and " OQNN_WEIGHTS_SYMBOL "; pass --model_prefix if the model was "
                      "converted with --overwrite_model_prefix"});
  return reinterpret_cast<Fn>(sym);
}

Expected<LoadedModel> load(const std::string& path, const std::string& prefix) {
  OQNN_ASSIGN_OR_RETURN(std::shared_ptr<void> handle, open_library(path));
  OQNN_ASSIGN_OR_RETURN(auto compose, find_symbol<OqnnComposeGraphsFn>(handle.get(), path,
                                                                       prefix + "_composeGraphs"));
  OQNN_ASSIGN_OR_RETURN(auto weights,
                        find_symbol<OqnnGetWeightsFn>(handle.get(), path, OQNN_WEIGHTS_SYMBOL));
  uint64_t size = 0;
  const unsigned char* base = weights(&size);
  if (base == nullptr && size != 0) return bad_input(path + ": weights archive pointer is null");
  std::span<const std::byte> archive(reinterpret_cast<const std::byte*>(base),
                                     static_cast<size_t>(size));
  OQNN_ASSIGN_OR_RETURN(auto members, index_ustar(archive, path));
  GraphBuilder builder(archive, std::move(members), handle, path);
  int rc = compose(builder.api());
  OQNN_ASSIGN_OR_RETURN(ir::Graph graph, builder.finish(rc));
  return LoadedModel{std::move(graph), std::move(handle), path};
}

}  // namespace

Expected<LoadedModel> load_model_library(const std::string& path, const std::string& prefix) {
  try {
    return load(path, prefix);
  } catch (const std::exception& e) {
    return internal_error(path + ": loading the model library failed: " + e.what());
  }
}

}  // namespace oqnn::rt
