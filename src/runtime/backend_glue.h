// C++ side of backend_api.h. A backend implements BackendImpl and PlanImpl; the
// OQNN_DEFINE_BACKEND macro turns them into the exported C interface, catching every
// exception and turning Errors into status codes plus one message.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ir/graph.h"
#include "oqnn/backend_api.h"
#include "support/status.h"

namespace oqnn::rt {

class PlanImpl {
 public:
  virtual ~PlanImpl() = default;
  // Graph I/O as the plan exchanges it: dtype, shape, encoding (names as in the model).
  virtual const std::vector<ir::Tensor>& inputs() const = 0;
  virtual const std::vector<ir::Tensor>& outputs() const = 0;
  virtual Status execute(std::span<const OqnnTensorView> inputs, std::span<OqnnTensorView> outputs,
                         const OqnnExecuteOptions* opts) = 0;
  virtual Expected<std::vector<std::byte>> serialize() const = 0;
};

class BackendImpl {
 public:
  virtual ~BackendImpl() = default;
  virtual Expected<std::unique_ptr<PlanImpl>> finalize(ir::Graph graph) = 0;
  // `blob` holds the serialized plan; it stays alive as long as the plan keeps it.
  virtual Expected<std::unique_ptr<PlanImpl>> deserialize(std::shared_ptr<const Blob> blob) = 0;
};

using BackendFactory = Expected<std::unique_ptr<BackendImpl>> (*)(const std::string& config_json);

// Fills `iface` so that its function pointers call into `factory`'s backends.
void init_backend_interface(OqnnBackendInterface& iface, BackendFactory factory);
// Process-wide registration used by the glue (one backend per shared library).
BackendFactory& registered_factory();

// Helpers for PlanImpl implementations.
OqnnEncoding encoding_to_c(const ir::Encoding& e);
Status check_io(std::span<const OqnnTensorView> given, const std::vector<ir::Tensor>& expected,
                const char* what);

}  // namespace oqnn::rt

// Exports OqnnBackend_getInterface for a backend library.
#define OQNN_DEFINE_BACKEND(NAME, ID, VERSION, CAPS, FACTORY)                   \
  extern "C" __attribute__((visibility("default"))) const OqnnBackendInterface* \
  OqnnBackend_getInterface(void) {                                              \
    static const OqnnBackendInterface iface = [] {                              \
      OqnnBackendInterface i{};                                                 \
      ::oqnn::rt::init_backend_interface(i, FACTORY);                           \
      i.name = NAME;                                                            \
      i.backend_id = ID;                                                        \
      i.version = VERSION;                                                      \
      const std::span<const OqnnOpCapability> caps(CAPS);                       \
      i.capabilities = caps.data();                                             \
      i.num_capabilities = static_cast<uint32_t>(caps.size());                  \
      return i;                                                                 \
    }();                                                                        \
    return &iface;                                                              \
  }
