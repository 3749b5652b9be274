#include "runtime/model_library/backend_support.h"

#include <dlfcn.h>

#include <map>
#include <memory>
#include <set>

#include "oqnn/backend_api.h"
#include "runtime/graph_partition.h"
#include "support/files.h"

namespace oqnn::rt {
namespace {

// The capability rows a backend library declares, copied out before it is closed.
Expected<std::vector<Capability>> backend_rows(const std::string& name, const std::string& path) {
  if (!file_exists(path))
    return unsupported("backend '" + name + "' is not available: " + path + " does not exist");
  dlerror();
  std::unique_ptr<void, int (*)(void*)> h(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL), dlclose);
  if (!h) {
    const char* why = dlerror();
    return unsupported("backend '" + name + "' cannot be loaded: " + (why ? why : path));
  }
  auto get = reinterpret_cast<OqnnGetBackendInterfaceFn>(dlsym(h.get(), OQNN_BACKEND_ENTRY_SYMBOL));
  const OqnnBackendInterface* iface = get ? get() : nullptr;
  if (iface == nullptr || iface->abi_version != OQNN_BACKEND_ABI_VERSION)
    return bad_input(path + ": not an OpenQNN backend library (ABI version " +
                     std::to_string(OQNN_BACKEND_ABI_VERSION) + ")");
  return capability_rows(iface);
}

}  // namespace

std::string backend_library_name(const std::string& short_name) {
  if (short_name == "cpu") return "libQnnCpu.so";
  if (short_name == "gpu") return "libQnnGpu.so";
  if (short_name == "htp") return "libQnnHtp.so";
  return "";
}

Status check_backend_support(const ir::Graph& g, const std::vector<std::string>& backends,
                             const std::string& lib_dir, std::vector<std::string>& warnings) {
  for (const auto& name : backends)
    if (backend_library_name(name).empty())
      return usage_error("unknown backend '" + name + "' in --target_backends",
                         {"choose from htp, gpu, cpu"});
  OQNN_ASSIGN_OR_RETURN(auto cpu_rows, backend_rows("cpu", join_path(lib_dir, "libQnnCpu.so")));
  std::set<std::string> cpu_ops;
  for (const Capability& c : cpu_rows) cpu_ops.insert(c.op);
  for (const auto& name : backends) {
    OQNN_ASSIGN_OR_RETURN(auto rows,
                          backend_rows(name, join_path(lib_dir, backend_library_name(name))));
    std::set<std::string> ops;
    for (const Capability& c : rows) ops.insert(c.op);
    bool is_cpu = name == "cpu";
    std::vector<bool> on_backend = nodes_supported(g, rows, name);
    std::vector<std::string> missing;  // not on this backend, nor on the CPU
    std::map<std::string, int> fallback;
    std::string names;  // the first few nodes that fall back
    int named = 0;
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const ir::Node& n = g.nodes[i];
      bool native = ops.count(n.op) && (is_cpu || on_backend[i]);
      if (native) continue;
      if (!is_cpu && cpu_ops.count(n.op)) {
        ++fallback[n.op];
        if (named++ < 8) names += (names.empty() ? "'" : ", '") + n.name + "'";
        continue;
      }
      missing.push_back("op '" + n.op + "' (node '" + n.name + "') is not supported by the " +
                        name + " backend");
    }
    if (!fallback.empty()) {
      std::string ops_list;
      int count = 0;
      for (const auto& [op, k] : fallback) {
        ops_list += (ops_list.empty() ? "" : ", ") + op + " x" + std::to_string(k);
        count += k;
      }
      warnings.push_back(std::to_string(count) + " of " + std::to_string(g.nodes.size()) +
                         " nodes will run on the CPU (fallback) on the " + name + " backend (" +
                         ops_list + "): " + names + (named > 8 ? ", ..." : ""));
    }
    if (missing.empty()) continue;
    Error e = unsupported(missing.front());
    for (size_t i = 1; i < missing.size() && i <= 10; ++i) e.hints.push_back(missing[i]);
    if (missing.size() > 11)
      e.hints.push_back(std::to_string(missing.size() - 11) + " more nodes are not supported");
    e.hints.push_back("drop '" + name + "' from --target_backends, or change the model");
    return e;
  }
  return Status::ok();
}

}  // namespace oqnn::rt
